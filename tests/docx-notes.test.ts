/**
 * The DOCX of a document written to break it (tests/fixtures/corpus/docx-notes): each language
 * with footnotes of its own (one cited twice), reference links and a reference image, an image
 * only the translation has, an 11-level list and an unnumbered heading too long for a Word
 * bookmark name. Read back from the package's XML and by LibreOffice (the OOXML validator checks
 * these files with the rest of the corpus: corpus.test.ts).
 */
import { editionSpec } from '../src/editions/spec.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildInfo } from '../src/build/dates.js';
import { renderDocx } from '../src/formats/docx/index.js';
import { Report } from '../src/messages.js';
import { loadDocuments } from '../src/model/load.js';
import { Templates } from '../src/templating/engine.js';
import { hasPoppler, hasSoffice, lineOf, ROOT, run, runCli, tempDir } from './helpers.js';

const FIXTURE = path.join(ROOT, 'tests', 'fixtures', 'corpus', 'docx-notes');
const EN = path.join(FIXTURE, 'paper.en.md');
const ES = path.join(FIXTURE, 'paper.es.md');
const NAMES = ['docx-notes.en', 'docx-notes.es', 'docx-notes.en+es'] as const;
type Name = (typeof NAMES)[number];

const EN_NOTES = { src: 'English source note, cited twice.', other: 'English other note.' };
const ES_NOTES = { 1: 'Nota española de la fuente, citada dos veces.', 2: 'Nota española de la otra observación.', 3: 'Nota española sobre el anexo.' };

let out: string;
let stderr: string;
const packages = new Map<Name, Record<string, Uint8Array>>();
const part = (name: Name, file: string) => new TextDecoder().decode(packages.get(name)![file]);

beforeAll(() => {
  out = path.join(tempDir(), 'dist');
  const r = runCli(['build', FIXTURE, '--out', out, '--format', 'docx', '-q']);
  expect(r.status, r.stderr).toBe(0);
  stderr = r.stderr;
  for (const name of NAMES) packages.set(name, unzipSync(readFileSync(path.join(out, 'docx-notes', `${name}.docx`))));
});

/** The text of each footnote (not the separators), and its language, by id. */
function footnotes(name: Name): Map<string, { text: string; lang: string | undefined }> {
  const xml = part(name, 'word/footnotes.xml');
  return new Map(
    [...xml.matchAll(/<w:footnote w:id="(\d+)">([\s\S]*?)<\/w:footnote>/g)]
      .filter((m) => m[1] !== '0')
      .map((m) => [m[1]!, { text: [...m[2]!.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join('').trim(), lang: /<w:lang w:val="([^"]+)"/.exec(m[2]!)?.[1] }]),
  );
}

const noteMarks = (xml: string) => [...xml.matchAll(/<w:footnoteReference w:id="(\d+)"\/>/g)].map((m) => m[1]!);

/** The bilingual body's cells, column by column. */
function columns(xml: string): [string[], string[]] {
  const rows = [...xml.matchAll(/<w:tr>([\s\S]*?)<\/w:tr>/g)].map((r) => [...r[1]!.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((c) => c[1]!));
  return [rows.map((r) => r[0] ?? ''), rows.map((r) => r[1] ?? '')];
}

describe('footnotes', () => {
  it("puts each side's notes in footnotes.xml, each mark pointing at a note of its own side in its language", () => {
    const notes = footnotes('docx-notes.en+es');
    const [english, spanish] = columns(part('docx-notes.en+es', 'word/document.xml'));
    const enMarks = english.flatMap(noteMarks);
    const esMarks = spanish.flatMap(noteMarks);
    // The source note is cited twice on each side; Spanish has a third note of its own.
    expect(enMarks.map((id) => notes.get(id)?.text)).toEqual([EN_NOTES.src, EN_NOTES.src, EN_NOTES.other]);
    expect(esMarks.map((id) => notes.get(id)?.text)).toEqual([ES_NOTES[1], ES_NOTES[1], ES_NOTES[2], ES_NOTES[3]]);
    for (const id of enMarks) expect(notes.get(id)?.lang).toBe('en-US');
    for (const id of esMarks) expect(notes.get(id)?.lang).toBe('es-ES');
    // Every mark has a footnote of its own: LibreOffice misplaces notes when two marks share one.
    expect(new Set([...enMarks, ...esMarks]).size).toBe(7);
    expect(notes.size).toBe(7);
  });

  it("gives each single-language edition its own text's notes, a footnote for each mark", () => {
    const en = noteMarks(part('docx-notes.en', 'word/document.xml'));
    const es = noteMarks(part('docx-notes.es', 'word/document.xml'));
    expect(en.map((id) => footnotes('docx-notes.en').get(id)?.text)).toEqual([EN_NOTES.src, EN_NOTES.src, EN_NOTES.other]);
    expect(es.map((id) => footnotes('docx-notes.es').get(id)?.text)).toEqual([ES_NOTES[1], ES_NOTES[1], ES_NOTES[2], ES_NOTES[3]]);
    expect(new Set(en).size).toBe(3);
    expect(new Set(es).size).toBe(4);
  });
});

/** The image parts each `a:blip` of the document embeds, in order. */
function embeddedImages(name: Name): string[] {
  const rels = part(name, 'word/_rels/document.xml.rels');
  return [...part(name, 'word/document.xml').matchAll(/<a:blip r:embed="([^"]+)"/g)].map((m) => {
    const target = new RegExp(`<Relationship Id="${m[1]}" Type="[^"]+/image" Target="([^"]+)"`).exec(rels)?.[1];
    expect(target, `relationship ${m[1]}`).toBeDefined();
    expect(packages.get(name)![`word/${target}`], `word/${target}`).toBeDefined();
    return `word/${target}`;
  });
}

describe('images', () => {
  const chart = readFileSync(path.join(FIXTURE, 'chart.png'));
  const onlySpanish = readFileSync(path.join(FIXTURE, 'figura-es.png'));
  const bytes = (name: Name, file: string) => Buffer.from(packages.get(name)![file]!);

  it('brings every image of either language into the bilingual DOCX, the translation-only one too', () => {
    const images = embeddedImages('docx-notes.en+es');
    // The reference image on both sides, then the image only the Spanish has.
    expect(images).toHaveLength(3);
    expect(images.map((f) => bytes('docx-notes.en+es', f).equals(chart))).toEqual([true, true, false]);
    expect(bytes('docx-notes.en+es', images[2]!).equals(onlySpanish)).toBe(true);
  });

  it('resolves an image reference through its definition in the single-language editions', () => {
    expect(embeddedImages('docx-notes.en').map((f) => bytes('docx-notes.en', f).equals(chart))).toEqual([true]);
    expect(embeddedImages('docx-notes.es').map((f) => bytes('docx-notes.es', f).equals(onlySpanish))).toEqual([false, true]);
    expect(part('docx-notes.en', 'word/document.xml')).toMatch(/<wp:docPr id="\d+" name="A bar chart of items per field" descr="A bar chart of items per field" title="Items per field"\/>/);
  });
});

/** Each external hyperlink's text and target. */
function externalLinks(name: Name): [string, string][] {
  const rels = part(name, 'word/_rels/document.xml.rels');
  return [...part(name, 'word/document.xml').matchAll(/<w:hyperlink w:history="1" r:id="([^"]+)">([\s\S]*?)<\/w:hyperlink>/g)].map((m) => [
    [...m[2]!.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
    new RegExp(`<Relationship Id="${m[1]}" Type="[^"]+/hyperlink" Target="([^"]+)" TargetMode="External"/>`).exec(rels)?.[1] ?? 'no relationship',
  ]);
}

describe('reference links', () => {
  // The labels differ in case from their definitions ("[Treaty]" for "[treaty]: ...", and back).
  const english: [string, string][] = [
    ['the treaty text', 'https://example.org/treaty'],
    ['the EXPLANATORY note', 'https://example.org/explanatory'],
  ];
  const spanish: [string, string][] = [
    ['el texto del tratado', 'https://example.org/tratado'],
    ['la NOTA explicativa', 'https://example.org/explicativa'],
  ];

  it('are hyperlinks to their definitions in each single-language edition', () => {
    expect(externalLinks('docx-notes.en')).toEqual(english);
    expect(externalLinks('docx-notes.es')).toEqual(spanish);
  });

  it("are hyperlinks to each side's own definitions in the bilingual edition", () => {
    expect(externalLinks('docx-notes.en+es')).toEqual([...english, ...spanish]);
  });
});

describe('bookmarks', () => {
  it.each(NAMES)('are valid Word names, unique, and name every internal link and contents entry of %s', (name) => {
    const xml = part(name, 'word/document.xml');
    const bookmarks = [...xml.matchAll(/<w:bookmarkStart w:name="([^"]+)"/g)].map((m) => m[1]!);
    expect(bookmarks.length).toBeGreaterThan(15);
    expect(new Set(bookmarks).size).toBe(bookmarks.length);
    for (const b of bookmarks) expect(b).toMatch(/^[A-Za-z][A-Za-z0-9_-]{0,39}$/);
    const anchors = [...xml.matchAll(/w:anchor="([^"]+)"/g)].map((m) => m[1]!);
    const pageRefs = [...xml.matchAll(/PAGEREF (\S+) \\h/g)].map((m) => m[1]!);
    // The contents (an anchor and a PAGEREF for each of the 4 sections) and the link to the annex.
    expect(pageRefs).toHaveLength(4);
    expect(anchors.length).toBe(name === 'docx-notes.en+es' ? 6 : 5);
    for (const a of [...anchors, ...pageRefs]) expect(bookmarks, a).toContain(a);
  });

  it('shorten a long stable ID the same way for the heading, the link to it and its contents entry', () => {
    const xml = part('docx-notes.en', 'word/document.xml');
    const long = [...xml.matchAll(/<w:bookmarkStart w:name="(i-annex[^"]*)"/g)].map((m) => m[1]!);
    // The heading's and its paragraph's: the ID's start and a hash of the whole ID.
    expect(long).toHaveLength(2);
    for (const b of long) expect(b).toMatch(/^i-annex-on-the-coordination-of-_[0-9a-f]{8}$/);
    expect(xml).toContain(`PAGEREF ${long[0]} \\h`);
    expect(xml.match(new RegExp(`w:anchor="${long[0]}"`, 'g'))).toHaveLength(2);
    // The bilingual edition uses the same name for the same ID.
    expect(part('docx-notes.en+es', 'word/document.xml')).toContain(`<w:bookmarkStart w:name="${long[0]}"`);
  });
});

describe('a list nested 11 levels deep', () => {
  it('is built, at most at Word’s ninth level, with a warning at the place of the tenth', () => {
    for (const name of ['docx-notes.en', 'docx-notes.es'] as const) {
      const xml = part(name, 'word/document.xml');
      const levels = [...xml.matchAll(/<w:ilvl w:val="(\d+)"\/>/g)].map((m) => Number(m[1]));
      expect(levels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 8, 8]);
      expect(xml).toContain(name === 'docx-notes.en' ? 'Level eleven' : 'Nivel once');
      // remark-docx defines levels 0-5 only: every list definition gets the other three.
      for (const definition of part(name, 'word/numbering.xml').match(/<w:abstractNum\b[\s\S]*?<\/w:abstractNum>/g)!) {
        expect([...definition.matchAll(/<w:lvl w:ilvl="(\d)"/g)].map((m) => Number(m[1]))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      }
    }
    for (const [file, text] of [
      [EN, '- Level ten'],
      [ES, '- Nivel diez'],
    ] as const) {
      const line = lineOf(file, text);
      const column = readFileSync(file, 'utf8').split('\n')[line - 1]!.indexOf('-') + 1;
      const where = `tests/fixtures/corpus/docx-notes/${path.basename(file)}:${line}:${column}`;
      expect(stderr).toContain(`${where}: warning: the list is nested 10 levels deep and Word has 9`);
    }
    // Once each, though the English text is in two editions.
    expect(stderr.match(/nested 10 levels deep/g)).toHaveLength(2);
  });
});

describe('the alternating layout', () => {
  it('gives each block its own text\'s notes and images too', async () => {
    const report = new Report();
    const [en, es] = await loadDocuments([FIXTURE], report);
    expect(es!.lang).toBe('es');
    const ctx = { templates: new Templates([]), build: buildInfo(en!, {}), memo: new Map(), report, layout: 'alternating' as const, edition: editionSpec(en!, 'bilingual') };
    const files = unzipSync(await renderDocx(en!, ctx, es));
    const text = (name: string) => new TextDecoder().decode(files[name]);
    const xml = text('word/document.xml');
    const notes = new Map([...text('word/footnotes.xml').matchAll(/<w:footnote w:id="(\d+)">[\s\S]*?<w:t[^>]*>([^<]*)</g)].map((m) => [m[1], m[2]!.trim()]));
    // Read in order: the English block, then its Spanish translation.
    expect(noteMarks(xml).map((id) => notes.get(id))).toEqual([EN_NOTES.src, EN_NOTES.src, ES_NOTES[1], ES_NOTES[1], EN_NOTES.other, ES_NOTES[2], ES_NOTES[3]]);
    expect(xml.match(/<a:blip r:embed=/g)).toHaveLength(3);
  });
});

describe('a node type no builder knows', () => {
  it('is reported at its place, not dropped silently', async () => {
    const report = new Report();
    const [model] = await loadDocuments([FIXTURE], report);
    const position = { start: { line: 3, column: 7, offset: 0 }, end: { line: 3, column: 9, offset: 0 } };
    model!.allSections[0]!.content.push({ type: 'editionsMystery', position } as never);
    await renderDocx(model!, { templates: new Templates([]), build: buildInfo(model!, {}), memo: new Map(), report, edition: editionSpec(model!, 'print') });
    expect(report.diagnostics.filter((d) => d.message.includes('editionsMystery'))).toEqual([
      expect.objectContaining({ severity: 'warning', file: EN, place: position.start, message: 'the DOCX edition cannot write a "editionsMystery" node; it is left out' }),
    ]);
  });
});

describe.skipIf(!hasSoffice() || !hasPoppler())('LibreOffice', () => {
  it('converts the 11-level list with a bullet from the body font on every item, each level indented further down to the ninth', () => {
    const dir = tempDir('editions-lo-');
    run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(out, 'docx-notes', 'docx-notes.en.docx')]);
    const lines = run('pdftotext', ['-layout', path.join(dir, 'docx-notes.en.pdf'), '-'])
      .split('\n')
      .filter((l) => /Level \w+$/.test(l));
    expect(lines.map((l) => l.trim().replace(/\s+/g, ' '))).toEqual(
      ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven'].map((n, i) => `${'•–•'[Math.min(i, 8) % 3]} Level ${n}`),
    );
    const indents = lines.map((l) => l.search(/\S/));
    for (let i = 1; i < 9; i++) expect(indents[i]).toBeGreaterThan(indents[i - 1]!);
    expect(indents.slice(8)).toEqual([indents[8], indents[8], indents[8]]);
  });

  it("converts the bilingual DOCX with both sides' notes, each under its own number", () => {
    const dir = tempDir('editions-lo-');
    run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(out, 'docx-notes', 'docx-notes.en+es.docx')]);
    const text = run('pdftotext', ['-raw', path.join(dir, 'docx-notes.en+es.pdf'), '-']);
    // LibreOffice numbers the notes in the order of their marks, as the body reads row by row.
    const notes = [...text.matchAll(/^(\d)\n?(English .*|Nota .*)$/gm)].map((m) => [Number(m[1]), m[2]]);
    expect(notes).toEqual([
      [1, EN_NOTES.src],
      [2, EN_NOTES.src],
      [3, ES_NOTES[1]],
      [4, ES_NOTES[1]],
      [5, EN_NOTES.other],
      [6, ES_NOTES[2]],
      [7, ES_NOTES[3]],
    ]);
  });
});
