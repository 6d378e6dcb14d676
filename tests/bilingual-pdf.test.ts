/**
 * The bilingual print editions, read back through qpdf and poppler: each column cropped on its
 * own, so a page's left column must hold the English and its right column the translation of
 * the same headings and blocks.
 */
import path from 'node:path';
import { toString } from 'mdast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentModel } from '../src/model/types.js';
import { repositoryBuild, hasPoppler, hasQpdf, ROOT, run, runCli, tempDir } from './helpers.js';

let out: string;
let models: DocumentModel[];

beforeAll(async () => {
  ({ out, models } = await repositoryBuild());
});

interface Outline {
  title: string;
  dest: string;
  destpageposfrom1: number;
  kids: Outline[];
}

/** Text without spaces, line ends or break hyphens (U+00AD, drawn as "-"): comparable across line breaks. */
const squash = (s: string) => s.replace(/\u00ad-?/g, '').replace(/\s+/g, '');

/** A4 in points; the text area's left edge alternates (inner margin 72 on rectos, outer 64 on versos). */
const TEXT_WIDTH = 595.28 - 72 - 64;
const GUTTER = 18;
const COLUMN = (TEXT_WIDTH - GUTTER) / 2;

/** The squashed text of one column of page `page` (from 1). */
function column(file: string, page: number, side: 0 | 1): string {
  const left = (page - 1) % 2 === 0 ? 72 : 64;
  const x = Math.floor(left + side * (COLUMN + GUTTER) - 3);
  const crop = ['-x', String(x), '-y', '62', '-W', String(Math.ceil(COLUMN + 6)), '-H', '728'];
  return squash(run('pdftotext', ['-raw', '-r', '72', ...crop, '-f', String(page), '-l', String(page), file, '-']));
}

describe.each(['zh-Hans', 'es'])('the English + %s print edition', (lang) => {
  const file = () => path.join(out, `china-lac-policy/china-lac-policy.en+${lang}.pdf`);
  const translation = () => models.find((m) => m.lang === lang)!;

  it.skipIf(!hasQpdf())('passes qpdf, with bookmarks in both languages at every section', () => {
    expect(run('qpdf', ['--check', file()])).toContain('No syntax or stream encoding errors found');
    const outlines = JSON.parse(run('qpdf', ['--json', '--json-key=outlines', file()])).outlines as Outline[];
    const all = (list: Outline[]): Outline[] => list.flatMap((o) => [o, ...all(o.kids)]);
    const other = new Map(translation().allSections.map((s) => [s.id, s.text]));
    expect(all(outlines).map((o) => o.title)).toEqual(translation().canonical!.allSections.map((s) => `${s.text} / ${other.get(s.id)}`));
  });

  it.skipIf(!hasPoppler() || !hasQpdf())('sets every English heading on the same page as its translation, level in the columns', () => {
    const outlines = JSON.parse(run('qpdf', ['--json', '--json-key=outlines', file()])).outlines as Outline[];
    const all = (list: Outline[]): Outline[] => list.flatMap((o) => [o, ...all(o.kids)]);
    const sections = translation().canonical!.allSections;
    const other = new Map(translation().allSections.map((s) => [s.id, s]));
    all(outlines).forEach((o, i) => {
      const s = sections[i]!;
      expect(column(file(), o.destpageposfrom1, 0), s.id).toContain(squash(s.text));
      expect(column(file(), o.destpageposfrom1, 1), s.id).toContain(squash(other.get(s.id)!.text));
    });
  });

  it.skipIf(!hasPoppler())('starts each block and its translation on the same page, English left', () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [file()]))![1]);
    const left = Array.from({ length: pages }, (_, p) => column(file(), p + 1, 0));
    const right = Array.from({ length: pages }, (_, p) => column(file(), p + 1, 1));
    const translated = new Map(translation().blocks.map((b) => [b.id, b]));
    let page = 0;
    for (const b of translation().canonical!.blocks) {
      const start = squash(toString(b.node)).slice(0, 40);
      while (page < pages && !left[page]!.includes(start)) page++;
      expect(page, `${b.id} not found in the English column`).toBeLessThan(pages);
      const other = squash(toString(translated.get(b.id)!.node)).slice(0, lang === 'zh-Hans' ? 12 : 40);
      expect(right[page], `${b.id}: the translation does not start on page ${page + 1}`).toContain(other);
    }
  });

  it.skipIf(!hasPoppler() || !hasQpdf())('embeds the fonts of both languages and tags each column with its language', () => {
    const fonts = run('pdffonts', [file()]).trim().split('\n').slice(2);
    for (const row of fonts) expect(row, row).toMatch(/CID TrueType\s+Identity-H\s+yes yes yes/);
    expect(fonts.join('\n')).toContain('SourceSerif4-Regular');
    if (lang === 'zh-Hans') expect(fonts.join('\n')).toContain('NotoSerifSC-Regular');
    const objects = JSON.parse(run('qpdf', ['--json=1', '--json-key=objects', file()])).objects as Record<string, { '/S'?: string; '/Lang'?: string } | null>;
    // A column is a Div; a contents entry's translation a NonStruct (a TOCI holds no Div).
    const divs = (tag: string) => Object.values(objects).filter((o) => (o?.['/S'] === '/Div' || o?.['/S'] === '/NonStruct') && o['/Lang'] === tag).length;
    // One column per language for each heading and block (94), the contents entries besides.
    expect(divs('en')).toBeGreaterThanOrEqual(94);
    expect(divs(lang)).toBeGreaterThanOrEqual(94 + 44);
  });
});

describe.skipIf(!hasPoppler() || !hasQpdf())('notes in a bilingual print edition', () => {
  it('are set per language, each linked from its own marks', () => {
    const dir = path.join(tempDir(), 'dist');
    const r = runCli(['build', path.join(ROOT, 'tests/fixtures/bilingual-notes'), '--out', dir, '--format', 'pdf', '-q']);
    expect(r.status, r.stderr).toBe(0);
    const file = path.join(dir, 'note-doc/note-doc.en+es.pdf');
    expect(run('qpdf', ['--check', file])).toContain('No syntax or stream encoding errors found');
    const dests = run('pdfinfo', ['-dests', file]);
    const named = new Set([...dests.matchAll(/"([^"]+)"$/gm)].map((m) => m[1]));
    expect([...named].filter((d) => d!.startsWith('fn-')).sort()).toEqual(['fn-c1:a', 'fn-c1:b', 'fn-c2:a', 'fn-c2:b']);
    const objects = JSON.parse(run('qpdf', ['--json=1', '--json-key=objects', file])).objects as Record<string, { '/S'?: string; '/D'?: string } | null>;
    const targets = Object.values(objects).filter((o) => o?.['/S'] === '/GoTo').map((o) => o!['/D']!);
    expect(targets.filter((t) => t.startsWith('fn-')).sort()).toEqual(['fn-c1:a', 'fn-c1:b', 'fn-c2:a', 'fn-c2:b']);
    for (const t of targets) expect(named, t).toContain(t);
    const text = run('pdftotext', ['-raw', file, '-']);
    expect(text).toMatch(/Notes\n1\. The first note\.\n2\. The second note\.\nNotas\n1\. La primera nota\.\n2\. La segunda nota\./);
  });
});
