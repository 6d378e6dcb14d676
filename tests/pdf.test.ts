/**
 * The print edition, checked through real clients: qpdf for structure, poppler for fonts,
 * metadata, the structure tree and the text, and page images against stored ones.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { toString } from 'mdast-util-to-string';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Report } from '../src/messages.js';
import { loadDocuments } from '../src/model/load.js';
import type { DocumentModel } from '../src/model/types.js';
import { expectGoldenImage } from './golden.js';
import { paperAndSink, hasPoppler, hasQpdf, run, SOURCE, tempDir, typeset } from './helpers.js';

let out: string;
let paper: string;
let sink: string;
let model: DocumentModel;

beforeAll(async () => {
  ({ out, paper, sink } = paperAndSink('pdf'));
  [model] = typeset(await loadDocuments([path.join(SOURCE, 'china-lac-policy')], new Report()));
});

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();
/** The text area of an A4 page in points, without the running head and the page number. */
const TEXT_AREA = ['-x', '0', '-y', '62', '-W', '596', '-H', '728'];
/**
 * pdftotext's text with line ends rejoined: a break hyphen is marked U+00AD in the text layer and
 * goes; a real hyphen at a line end ("South-|South") stays, without a space. Either may end a
 * page (form feed) until the page breaker keeps hyphens off a page's last line.
 */
const rejoined = (text: string) => text.replace(/\u00ad-?\s*\n\f?/g, '').replace(/(\S-) ?\n\f?/g, '$1');

interface Outline {
  title: string;
  destpageposfrom1: number;
  kids: Outline[];
}

describe.skipIf(!hasQpdf())('qpdf', () => {
  it('finds no errors in the structure of any PDF: the paper, its translations, the kitchen sink', () => {
    const translations = ['es', 'zh-Hans'].map((l) => path.join(out, `china-lac-policy/china-lac-policy.${l}.pdf`));
    for (const file of [paper, ...translations, sink]) expect(run('qpdf', ['--check', file])).toContain('No syntax or stream encoding errors found');
  });

  it('reads an outline of 44 entries nested 6/4/34, each at its section', () => {
    const outlines = JSON.parse(run('qpdf', ['--json', '--json-key=outlines', paper])).outlines as Outline[];
    expect(outlines.map((o) => o.title)).toEqual(model.sections.map((s) => s.text));
    const iv = outlines[4]!;
    expect(iv.kids.map((k) => k.title)).toEqual(model.sections[4]!.children.map((s) => s.text));
    expect(iv.kids.map((k) => k.kids.length)).toEqual([6, 14, 11, 3]);
    const all = (list: Outline[]): Outline[] => list.flatMap((o) => [o, ...all(o.kids)]);
    expect(all(outlines)).toHaveLength(44);
  });
});

describe.skipIf(!hasPoppler())('poppler', () => {
  it('lists every font embedded and subsetted, none of the standard 14', () => {
    const rows = run('pdffonts', [paper]).trim().split('\n').slice(2);
    expect(rows.length).toBeGreaterThanOrEqual(3);
    for (const row of rows) {
      expect(row).toMatch(/^[A-Z]{6}\+\S+ +CID TrueType +Identity-H +yes yes yes /);
    }
  });

  it('shows the title, the author, the language, tagging and pinned dates', () => {
    const info = run('pdfinfo', [paper]);
    expect(info).toMatch(/^Title: +China’s Policy Paper on Latin America and the Caribbean$/m);
    expect(info).toMatch(/^Author: +Government of the People’s Republic of China$/m);
    expect(info).toMatch(/^Tagged: +yes$/m);
    expect(info).toMatch(/^CreationDate: +Wed Nov {2}5 00:00:00 2008 UTC$/m);
    const raw = readFileSync(paper, 'latin1');
    expect(raw).toContain('/Lang (en)');
    expect(raw).toContain('/DisplayDocTitle true');
    expect(raw).toContain('<pdfaid:part>2</pdfaid:part>');
    expect(raw).toContain('<pdfuaid:part>1</pdfuaid:part>');
  });

  it('has a structure tree with the headings, paragraphs and lists in reading order', () => {
    const tree = run('pdfinfo', ['-struct-text', paper]);
    const headings = [...tree.matchAll(/^ +(H[1-6]) \(block\)\n +"([^"]*)"/gm)].map((m) => `${m[1]} ${m[2]}`);
    const body = headings.slice(headings.indexOf('H1 Foreword'));
    expect(body).toEqual(model.allSections.map((s) => `H${s.depth} ${s.text}`));
    expect(tree).toMatch(/^ +L \(block\)\n +LI \(block\)\n +Lbl \(block\)\n +"•"\n +LBody \(block\)\n +P \(block\)\n +"Promote mutual respect/m);
    expect(tree).toMatch(/^ +TOC\n +TOCI\n +Reference \(inline\)\n +Link \(inline\)\n +"Foreword"/m);
    const paragraphs = tree.match(/^ +P \(block\)$/gm) ?? [];
    expect(paragraphs.length).toBeGreaterThanOrEqual(model.blocks.length);
    // Each paragraph's text is in the tree to its end, past its break hyphens (Spans of their own).
    const words = tree.replace(/^ +Span \(inline\)\n +"-"$/gm, '');
    const text = [...words.matchAll(/^ +"(.*)"$/gm)].map((m) => m[1]).join('').replace(/\s+/g, '');
    for (const b of model.blocks) expect(text, b.id).toContain(toString(b.node).replace(/\s+/g, '').slice(-40));
    expect(tree).toMatch(/^ +Span \(inline\)\n +"-"$/m);
  });

  it('holds every paragraph of the paper in order, with real spaces and reversible hyphenation', () => {
    // -raw: content-stream order, and no guessing (the default mode drops the hyphen of "decision-|making").
    const text = normalize(rejoined(run('pdftotext', ['-raw', ...TEXT_AREA, paper, '-'])));
    let from = 0;
    for (const block of model.blocks) {
      const want = normalize(toString(block.node));
      const at = text.indexOf(want, from);
      expect(at, `missing or out of order: ${block.id} "${want.slice(0, 50)}..."`).toBeGreaterThanOrEqual(from);
      from = at + want.length;
    }
    expect(text).toContain('The two sides are at a similar stage of development');
  });

  it('prints on each table-of-contents line the page on which that heading stands', () => {
    const outlines = JSON.parse(run('qpdf', ['--json', '--json-key=outlines', paper])).outlines as Outline[];
    const all = (list: Outline[]): Outline[] => list.flatMap((o) => [o, ...all(o.kids)]);
    const pageOf = new Map(all(outlines).map((o) => [o.title, o.destpageposfrom1]));
    const toc = run('pdftotext', ['-layout', '-f', '3', '-l', '3', paper, '-']);
    let seen = 0;
    for (const s of model.allSections) {
      const line = toc.split('\n').find((l) => l.trim().startsWith(s.text.slice(0, 40)));
      if (!line) continue;
      const printed = Number(/(\d+)\s*$/.exec(line)?.[1]);
      expect(printed, s.text).toBe(pageOf.get(s.text));
      // And the heading really stands on that page.
      const page = normalize(run('pdftotext', ['-f', String(printed), '-l', String(printed), paper, '-']));
      expect(page).toContain(normalize(s.text).slice(0, 30));
      seen++;
    }
    expect(seen).toBeGreaterThanOrEqual(40);
  });

  it('makes every table-of-contents entry a link to its section', () => {
    const raw = readFileSync(paper, 'latin1');
    for (const s of model.allSections) expect(raw).toContain(`/S /GoTo\n/D (${s.id})`);
  });

  it('renders the kitchen sink: lists, quotes, code, tables, links and notes', () => {
    const text = normalize(rejoined(run('pdftotext', ['-raw', sink, '-'])));
    for (const want of ['First item', 'Nested one', '3. Third point.', 'A second paragraph of the third point.', 'A quotation over two lines.', 'const answer: number = 42;', 'Political 6 18%', 'Notes', 'A footnote, with emphasis.']) {
      expect(text).toContain(want);
    }
    const tree = run('pdfinfo', ['-struct-text', sink]);
    for (const tag of ['Table', 'TR', 'TH', 'TD', 'BlockQuote', 'Code', 'L', 'LI', 'Lbl', 'LBody', 'Link', 'Figure', 'Caption']) {
      // (An element with attributes is printed "TH:", its attributes below: a TH's /Scope.)
      expect(tree, tag).toMatch(new RegExp(`^ +${tag}( \\((block|inline)\\))?:?$`, 'm'));
    }
    expect(text).toContain('Items per field');
  });

  it('embeds the kitchen sink\'s image once, as a figure with its alternative text', () => {
    const images = run('pdfimages', ['-list', sink]).trim().split('\n').slice(2);
    expect(images.map((l) => l.split(/\s+/).slice(3, 6).join(' '))).toEqual(['image 240 120', 'smask 240 120']);
    expect(readFileSync(sink, 'latin1')).toContain('/S /Figure\n/Alt (Bar chart: items per field, political 6, economic 14, cultural 11)');
  });

  it('draws pages that look as they did when reviewed', () => {
    const dir = path.join(tempDir(), 'pages');
    mkdirSync(dir);
    for (const page of [1, 3, 5]) {
      run('pdftoppm', ['-r', '40', '-gray', '-png', '-f', String(page), '-l', String(page), '-singlefile', paper, path.join(dir, `page-${page}`)]);
      expectGoldenImage(`china-lac-policy/pdf/page-${page}.png`, PNG.sync.read(readFileSync(path.join(dir, `page-${page}.png`))));
    }
  });
});
