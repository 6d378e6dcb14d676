/**
 * The print edition on documents written to break it (tests/fixtures/corpus/): English quoting
 * Chinese and symbols, Chinese quoting Romanian, words and code lines wider than the page, and
 * images in table cells. Read back through poppler and qpdf.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PAGE_SIZES } from '../src/theme/theme.js';
import { CORPUS, hasPoppler, hasQpdf, run, runCli, sharedBuild, tempDir } from './helpers.js';

/** A corpus document's PDF, from the run's shared build of the corpus (tests/global-setup.ts). */
const pdf = (doc: string, lang = 'en') => path.join(sharedBuild('corpus').out, doc, `${doc}.${lang}.pdf`);

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();

describe.skipIf(!hasQpdf())('qpdf', () => {
  it('finds no errors in any of them', () => {
    for (const file of [pdf('mixed-scripts'), pdf('mixed-scripts-zh', 'zh-Hans'), pdf('long-lines')]) {
      expect(run('qpdf', ['--check', file])).toContain('No syntax or stream encoding errors found');
    }
  });

  it('shows the Chinese of a heading in its bookmark', () => {
    const outlines = JSON.parse(run('qpdf', ['--json', '--json-key=outlines', pdf('mixed-scripts')])).outlines as { title: string }[];
    expect(outlines.map((o) => o.title)).toEqual(['I. Ports and Names', 'II. The Port of Xiamen (厦门)']);
  });
});

describe.skipIf(!hasPoppler())('mixed scripts', () => {
  it('sets the Chinese that English quotes in Noto Serif SC, and symbols in the symbol fallback, all embedded', () => {
    const fonts = run('pdffonts', [pdf('mixed-scripts')]);
    expect(fonts).toMatch(/^[A-Z]{6}\+NotoSerifSC-Regular +CID TrueType +Identity-H +yes yes yes /m);
    expect(fonts).toMatch(/^[A-Z]{6}\+NotoSerifSC-Bold +CID TrueType +Identity-H +yes yes yes /m);
    expect(fonts).toMatch(/^[A-Z]{6}\+SourceSans3-Regular /m);
  });

  it('keeps every quoted character in the text: body, heading, contents, running head, link and code', () => {
    const file = pdf('mixed-scripts');
    const text = normalize(run('pdftotext', ['-raw', file, '-']));
    for (const want of [
      "China’s first special economic zones included Xiamen (厦门) and Shenzhen (深圳)",
      'Documento sobre la Política de China hacia América Latina y el Caribe; the Chinese one, 中国对拉丁美洲和加勒比政策文件.',
      'A checklist: ✔ done, ✗ not done, A ⇒ B.',
      'II. The Port of Xiamen (厦门) 4',
      'as the Xiamen (厦门) port authority reports.',
      'const city = "厦门"; // Xiamen',
    ]) {
      expect(text).toContain(want);
    }
    // The running head of a body page: the document's title.
    expect(normalize(run('pdftotext', ['-f', '4', '-l', '4', '-x', '0', '-y', '0', '-W', '596', '-H', '60', file, '-']))).toContain('Mixed Scripts: Xiamen (厦门)');
  });

  it('marks each Chinese run in the structure tree as a Span in zh-Hans, not the symbols', () => {
    const file = pdf('mixed-scripts');
    const tree = run('pdfinfo', ['-struct-text', file]);
    expect(tree).toMatch(/"China’s first special economic zones included Xiamen \("\n +Span \(inline\)\n +"厦门"\n +"\) and Shenzhen \("/);
    expect(tree).toMatch(/"A checklist: ✔ done, ✗ not done, A ⇒ B\."/);
    const raw = readFileSync(file, 'latin1');
    // The title page's title, the contents entry, the heading, 厦门 and 深圳, the Chinese title, the link, the code.
    expect(raw.match(/\/S \/Span\n\/Lang \(zh-Hans\)/g)).toHaveLength(8);
  });

  it('sets in a Chinese text the Latin letters its font lacks in the Latin font, unmarked', () => {
    const file = pdf('mixed-scripts-zh', 'zh-Hans');
    expect(run('pdffonts', [file])).toMatch(/^[A-Z]{6}\+SourceSerif4-Regular /m);
    // A line may end after any character: poppler's space at a line end next to a Chinese one goes.
    const unbroken = normalize(run('pdftotext', ['-raw', file, '-'])).replace(/(?<=[\u3000-\u9fff\uff00-\uffef]) | (?=[\u3000-\u9fff\uff00-\uffef])/g, '');
    expect(unbroken).toContain('何塞·马蒂（José Martí）是古巴诗人；布加勒斯特（București）和蒂米什瓦拉（Timișoara）是');
    expect(readFileSync(file, 'latin1')).not.toContain('/S /Span\n/Lang');
  });

  it('reports a run of characters that no font has once, at its place, naming the fonts tried', () => {
    const source = path.join(tempDir(), 'glyphs');
    mkdirSync(source);
    const md = readFileSync(path.join(CORPUS, 'mixed-scripts/paper.en.md'), 'utf8').replace('opened in 1980', 'opened in 𓀀𓀁𓀂 1980 (𓀃)');
    writeFileSync(path.join(source, 'paper.en.md'), md);
    const line = md.split('\n').findIndex((l) => l.includes('𓀀')) + 1;
    const column = md.split('\n')[line - 1]!.indexOf('𓀀') + 1;
    const r = runCli(['build', source, '--out', path.join(tempDir(), 'dist'), '--format', 'pdf']);
    expect(r.status).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => l.includes('[missing-glyph]'));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain(
      `paper.en.md:${line}:${column}: error: the fonts Source Serif 4, Noto Serif SC, Noto Serif, Source Sans 3, Noto Sans Devanagari, Noto Sans Malayalam, Noto Sans Kannada and Noto Sans Thai have no glyph for "𓀀𓀁𓀂" (U+13000 U+13001 U+13002) [missing-glyph]`,
    );
    expect(errors[1]).toContain(`paper.en.md:${line}:${column + 3 * 2 + 7}: error:`);
  });
});

describe.skipIf(!hasPoppler())('long lines', () => {
  /** Every word box of the PDF, with its page (from 1). */
  const words = (file: string) => {
    let page = 0;
    const list: { page: number; xMin: number; xMax: number; text: string }[] = [];
    for (const line of run('pdftotext', ['-bbox', file, '-']).split('\n')) {
      if (line.includes('<page ')) page++;
      const m = /<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">(.*)<\/word>/.exec(line);
      if (m) list.push({ page, xMin: Number(m[1]), xMax: Number(m[2]), text: m[3]! });
    }
    return list;
  };

  /** Asserts that every word box of `file` stands between the margins of its page (A4, the theme's margins). */
  const expectWithinMargins = (file: string) => {
    const page = { width: PAGE_SIZES.A4[0], inner: 72, outer: 64 };
    const boxes = words(file);
    expect(boxes.length).toBeGreaterThan(50);
    for (const w of boxes) {
      // Recto pages (odd numbers) have the inner margin on the left, so the outer one on the right.
      const right = page.width - (w.page % 2 === 1 ? page.outer : page.inner);
      const left = w.page % 2 === 1 ? page.inner : page.outer;
      expect(w.xMax, `page ${w.page}: "${w.text.slice(0, 40)}"`).toBeLessThanOrEqual(right + 0.5);
      expect(w.xMin, `page ${w.page}: "${w.text.slice(0, 40)}"`).toBeGreaterThanOrEqual(left - 0.5);
    }
  };

  it('keeps every word within the margins: a 2,000-letter word, URLs, 160-character code lines, a table, a long title', () => {
    expectWithinMargins(pdf('long-lines'));
  });

  it('sets a 100,000-letter word within the margins, every letter of it', () => {
    const source = path.join(tempDir(), 'word');
    mkdirSync(source);
    const word = Array.from({ length: 100_000 }, (_, i) => 'abcdefghijklmnopqrstuvwxyz'[(i * 7 + (i >> 3)) % 26]).join('');
    writeFileSync(path.join(source, 'paper.en.md'), `---\ntitle: One Word\nissuer: Test Office\nissued: 2024-05-01\nlanguage: en\n---\n\n# I. One Word\n\nBefore ${word} after.\n`);
    const out = path.join(tempDir(), 'dist');
    const r = runCli(['build', source, '--out', out, '--format', 'pdf', '-q']);
    expect(r.status, r.stderr).toBe(0);
    const file = path.join(out, 'word/word.en.pdf');
    expectWithinMargins(file);
    // The text area only: the running heads and page numbers stand between its pages.
    const text = run('pdftotext', ['-raw', '-x', '0', '-y', '62', '-W', '596', '-H', '728', file, '-']);
    expect(text.replace(/[\n\f]/g, '')).toContain(`Before ${word} after.`);
  });

  it('loses no character of the long word, the URL or the code lines', () => {
    const md = readFileSync(path.join(CORPUS, 'long-lines/paper.en.md'), 'utf8');
    const word = /Before the long word (\S+) and after/.exec(md)![1]!;
    const code = md.split('```text\n')[1]!.split('\n').slice(0, 2);
    const text = run('pdftotext', ['-raw', pdf('long-lines'), '-']).replace(/\n/g, '');
    expect(word).toHaveLength(2000);
    expect(text).toContain(word);
    for (const line of code) {
      expect(line).toHaveLength(160);
      expect(text).toContain(line);
    }
    expect(text).toContain('https://data.example.org/archive/2008/11/05/policy-papers/latin-america-and-the-caribbean/full-text/annexes/statistics.html?section=iv-2-3&format=long&lang=en-GB&download=true#table-7-economic-cooperation');
  });
});

describe.skipIf(!hasPoppler())('images', () => {
  it('draws an image in a table cell, scaled to its cell, as a Figure of the cell with its alternative text', () => {
    const file = pdf('table-images');
    // The chart in two cells and after the linked paragraph: drawn three times, embedded once.
    const images = run('pdfimages', ['-list', file]).trim().split('\n').slice(2).map((l) => l.trim().split(/\s+/));
    expect(images.filter((cols) => cols[2] === 'image').map((cols) => [cols[0], cols[10]])).toEqual([
      ['4', '59'],
      ['4', '59'],
      ['4', '59'],
    ]);
    const tree = run('pdfinfo', ['-struct-text', file]);
    expect(tree).toMatch(/^ +TD\n +"Political"\n +TD\n +Figure\n/m);
    expect(tree).toMatch(/^ +TD\n +"Items per field: "\n +Figure\n/m);
    const raw = readFileSync(file, 'latin1');
    expect(raw).toContain('/S /Figure\n/Alt (Bar chart of the political field)');
    expect(raw).toContain('/S /Figure\n/Alt (Bar chart, linked)');
    // The linked chart's link annotation is owned by a Link element inside its Figure (its URI
    // is read back in corpus.test.ts).
    expect(tree).toMatch(/^( +)Figure\n\1  ""\n\1  Link \(inline\)\n\1    Object \d+ 0\n/m);
    expect(run('qpdf', ['--check', file])).toContain('No syntax or stream encoding errors found');
  });

  it.skipIf(!hasPoppler())('says where an image is left out (in a heading), and sets a briefing packet key point\'s, named as its document\'s is', () => {
    const dist = path.join(tempDir(), 'dist');
    const r = runCli(['build', path.join(CORPUS, 'table-images'), path.join(CORPUS, 'packet-images'), '--out', dist, '--format', 'pdf']);
    expect(r.status, r.stderr).toBe(0);
    const doc = path.join(CORPUS, 'table-images/paper.en.md');
    const line = readFileSync(doc, 'utf8').split('\n').findIndex((l) => l.startsWith('# II.')) + 1;
    expect(r.stderr).toContain(`paper.en.md:${line}:30: warning: an image in a heading or a title is not set in the PDF and is left out [unsupported-content]`);
    expect(r.stderr.match(/\[unsupported-content\]/g)).toHaveLength(1);
    expect(r.stderr).not.toContain('charts.yaml');
    // Both key points' chart (240 x 120, the packet's fields.png), then the document's seal
    // (32 x 32, its own fields.png) in each column.
    const images = run('pdfimages', ['-list', path.join(dist, 'packets', 'charts.en+es.pdf')]).split('\n').slice(2).map((row) => row.trim().split(/\s+/)).filter((cols) => cols[2] === 'image');
    expect(images.map((cols) => `${cols[3]}x${cols[4]}`)).toEqual(['240x120', '240x120', '32x32', '32x32']);
  });
});
