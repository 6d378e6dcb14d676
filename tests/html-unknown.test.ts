/**
 * A node that no HTML handler knows (here the kinds a remark plugin would add) is reported at
 * its place in the source, its text kept; never dropped silently.
 */
import { editionSpec } from '../src/editions/spec.js';
import path from 'node:path';
import type { Paragraph } from 'mdast';
import { beforeEach, describe, expect, it } from 'vitest';
import { buildInfo } from '../src/build/dates.js';
import { renderEpub } from '../src/formats/epub/index.js';
import { dataUrls } from '../src/formats/html/index.js';
import { renderPage } from '../src/page/index.js';
import type { RenderContext } from '../src/formats/registry.js';
import { EditionsError, Report } from '../src/messages.js';
import { loadDocuments } from '../src/model/load.js';
import type { DocumentModel } from '../src/model/types.js';
import { Templates } from '../src/templating/engine.js';
import { ROOT } from './helpers.js';

const DOC = path.join(ROOT, 'tests', 'fixtures', 'corpus', 'notes-bilingual');

let original: DocumentModel;
let translation: DocumentModel;
/** Where the node stands: the start of the paragraph it is put into. */
let at: { line: number; column: number };

beforeEach(async () => {
  const loaded = new Report();
  [original, translation] = (await loadDocuments([DOC], loaded)).sort((a, b) => Number(Boolean(a.canonical)) - Number(Boolean(b.canonical)));
  expect(loaded.errorCount).toBe(0);
  // Into the translation's first paragraph: a highlight (with children) and a formula (a value).
  const paragraph = translation.blocks[0]!.node as Paragraph;
  const { line, column } = paragraph.position!.start;
  at = { line, column };
  paragraph.children.push(
    { type: 'highlight', children: [{ type: 'text', value: 'resaltado' }], position: paragraph.position } as never,
    { type: 'inlineMath', value: 'x^2', position: paragraph.position } as never,
  );
});

const context = (report?: Report): RenderContext => ({ templates: new Templates([]), build: buildInfo(original, {}), memo: new Map(), edition: editionSpec(original, 'bilingual'), ...(report && { report }) });

describe('an mdast node the HTML handlers do not know', () => {
  it('is reported with its file and position, once per build, and its text is kept', () => {
    const report = new Report();
    const ctx = context(report);
    const page = renderPage(translation, ctx, { images: dataUrls });
    // The bilingual edition and the EPUB convert the same text again: still one warning each.
    renderPage(original, ctx, { partner: translation, images: dataUrls });
    renderEpub(translation, ctx);
    expect(report.diagnostics.map((d) => [d.severity, d.ruleId, d.file, d.place, d.message])).toEqual([
      ['warning', 'unsupported-content', translation.file, at, '"highlight" content has no HTML rendering; only what it contains is kept'],
      ['warning', 'unsupported-content', translation.file, at, '"inlineMath" content has no HTML rendering; its text is kept as plain text'],
    ]);
    expect(page).toMatch(/<p id="i-p1">El comercio creció en 2020\.[\s\S]*?resaltadox\^2<\/p>/);
  });

  it('stops a render that has nowhere to report it', () => {
    let thrown: unknown;
    try {
      renderPage(original, context(), { partner: translation, images: dataUrls });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(EditionsError);
    expect((thrown as EditionsError).diagnostics).toMatchObject([{ severity: 'error', ruleId: 'unsupported-content', file: translation.file, place: at }]);
  });
});
