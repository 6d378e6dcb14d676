/**
 * Defence in depth: the model unlinks every address no reader should follow and leaves raw HTML
 * out, but a renderer does not trust that alone. Here a model is doctored after it was checked, as
 * a bug or a plugin could leave it, and each format must still write no script: the HTML and EPUB
 * through the sanitiser, the PDF and the DOCX through the same link allowlist.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { Element, Root as HastRoot } from 'hast';
import type { Link, Paragraph } from 'mdast';
import { describe, expect, it } from 'vitest';
import { buildInfo } from '../src/build/dates.js';
import { editionSpec } from '../src/editions/spec.js';
import { renderDocx } from '../src/formats/docx/index.js';
import { renderEpub } from '../src/formats/epub/index.js';
import { renderHtml } from '../src/formats/html/index.js';
import { renderPdf } from '../src/formats/pdf/index.js';
import type { RenderContext } from '../src/formats/registry.js';
import { Report } from '../src/messages.js';
import { loadDocuments } from '../src/model/load.js';
import { sanitizePage } from '../src/page/sanitize.js';
import { toXhtml } from '../src/page/xhtml.js';
import { Templates } from '../src/templating/engine.js';
import { tempDir } from './helpers.js';

const HOSTILE = ['javascript:alert(1)', 'JAVASCRIPT:alert(2)', 'vbscript:msgbox(3)', 'data:text/html,<script>alert(4)</script>', 'file:///etc/passwd'];

async function doctored() {
  const dir = path.join(tempDir('defence-'), 'doc');
  mkdirSync(dir);
  const links = HOSTILE.map((_, i) => `[link ${i}](https://example.org/${i})`).join(' ');
  writeFileSync(path.join(dir, 'paper.en.md'), `---\ntitle: Defence\nissuer: X\nissued: 2024-01-01\nlanguage: en\n---\n# One\n\n${links} and [a good one](https://example.org/good).\n`);
  const report = new Report();
  const [model] = await loadDocuments([dir], report);
  expect(report.errorCount).toBe(0);
  // After the checks: the links now point where no reader should be sent.
  const paragraph = model!.blocks[0]!.node as Paragraph;
  paragraph.children.filter((c): c is Link => c.type === 'link').slice(0, HOSTILE.length).forEach((l, i) => (l.url = HOSTILE[i]!));
  const ctx: RenderContext = { templates: new Templates([]), build: buildInfo(model!, {}), memo: new Map(), edition: editionSpec(model!, 'print'), report };
  return { model: model!, ctx };
}

describe('a doctored model', () => {
  it('gives HTML and EPUB pages with no link to it, the good link kept', async () => {
    const { model, ctx } = await doctored();
    const html = new TextDecoder().decode(renderHtml(model, ctx));
    const page = new TextDecoder().decode(unzipSync(renderEpub(model, ctx))['EPUB/paper.xhtml']!);
    for (const text of [html, page]) {
      for (const url of HOSTILE) expect(text).not.toContain(`href="${url.replace(/</g, '&lt;')}`);
      expect(text).not.toMatch(/href="(?:javascript|vbscript|data|file):/i);
      expect(text).toContain('href="https://example.org/good"');
      for (let i = 0; i < HOSTILE.length; i++) expect(text).toContain(`link ${i}`);
    }
  });

  it('gives a PDF with no URI action to it, the good link kept', async () => {
    const { model, ctx } = await doctored();
    const pdf = Buffer.from(await renderPdf(model, ctx)).toString('latin1');
    const uris = [...pdf.matchAll(/\/URI \(([^)]*)\)/g)].map((m) => m[1]);
    expect(uris).toEqual(['https://example.org/good']);
  });

  it('gives a DOCX with no relationship to it, the good link kept', async () => {
    const { model, ctx } = await doctored();
    const rels = new TextDecoder().decode(unzipSync(await renderDocx(model, ctx))['word/_rels/document.xml.rels']!);
    const targets = [...rels.matchAll(/Target="([^"]*)" TargetMode="External"/g)].map((m) => m[1]);
    expect(targets).toEqual(['https://example.org/good']);
  });
});

describe('the page sanitiser', () => {
  const el = (tagName: string, properties: Element['properties'], children: Element['children'] = []): Element => ({ type: 'element', tagName, properties, children });

  it('strips script, event attributes, unknown elements and links outside the allowlist', () => {
    const tree: HastRoot = {
      type: 'root',
      children: [
        el('p', { id: 'i-p1', className: ['lead'], onClick: 'alert(1)' }, [
          el('a', { href: 'javascript:alert(2)' }, [{ type: 'text', value: 'bad' }]),
          el('a', { href: '#i-p1', dataFootnoteRef: true, ariaDescribedBy: ['footnote-label'] }, [{ type: 'text', value: 'fine' }]),
          el('img', { src: 'data:image/png;base64,AAAA', alt: 'chart', onError: 'alert(3)' }),
        ]),
        el('script', {}, [{ type: 'text', value: 'alert(4)' }]),
        el('iframe', { src: 'https://evil.example' }),
        { type: 'comment', value: 'hidden' },
      ],
    };
    expect(toXhtml(tree)).toBe('<p id="i-p1" class="lead"><a>bad</a><a href="#i-p1" data-footnote-ref="" aria-describedby="footnote-label">fine</a><img src="data:image/png;base64,AAAA" alt="chart" /></p>');
  });

  it('keeps the stable IDs as they are (no user-content- prefix)', () => {
    const out = sanitizePage({ type: 'root', children: [el('div', { id: 'iv-2-3' })] });
    expect((out.children[0] as Element).properties.id).toBe('iv-2-3');
  });
});
