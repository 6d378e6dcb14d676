/**
 * What Word's accessibility checker asks of a document, read from the XML of every DOCX of the
 * shared builds (the repository's and the corpus's), issue 15:
 *
 * - alternative text on every image: each drawing's wp:docPr has a non-empty descr, and none is
 *   marked decorative (adec:decorative, Word's mark), as no source can say an image is;
 * - a header row on every table: its first row repeats as a header (w:trPr/w:tblHeader), has
 *   text, and merges no cells;
 * - headings in order: by their outline level (the paragraph's, or its style chain's), the first
 *   is the document's top level and none is more than one level below the heading before it
 *   (Word's "Skipped heading level");
 * - a language on every run: each w:r with text has an effective w:lang (its own, its character
 *   and paragraph styles', or the document defaults'), which is the language of the text it is
 *   in (each column of a bilingual table in its own), and a run with CJK characters resolves an
 *   East Asian language (w:eastAsia), the one Word reads for them;
 * - the document title: docProps/core.xml has a dc:title, the title its title page prints (and
 *   the front matter's), and a dc:language, the document's.
 *
 * Each check is a function of the parsed parts, proved able to fail on a part broken on purpose.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { Report } from '../src/messages.js';
import { loadDocuments } from '../src/model/load.js';
import { CORPUS_SOURCES, SOURCE, FIXTURE_DOCS, sharedBuild, typeset } from './helpers.js';

/** An element of a part, its children in document order. */
interface El {
  name: string;
  attrs: Record<string, string>;
  kids: El[];
  /** A text node's text. */
  text?: string;
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: false, parseTagValue: false, parseAttributeValue: false, processEntities: true });

function parseXml(xml: string): El {
  const convert = (nodes: Record<string, unknown>[]): El[] =>
    nodes.map((n) => {
      const name = Object.keys(n).find((k) => k !== ':@')!;
      if (name === '#text') return { name, attrs: {}, kids: [], text: String(n[name]) };
      return { name, attrs: (n[':@'] as Record<string, string>) ?? {}, kids: convert(n[name] as Record<string, unknown>[]) };
    });
  return { name: '#document', attrs: {}, kids: convert(parser.parse(xml)) };
}

const child = (e: El | undefined, name: string) => e?.kids.find((k) => k.name === name);
const children = (e: El, name: string) => e.kids.filter((k) => k.name === name);
/** Every element under `e` (not `e`), in document order, with its ancestors (nearest last). */
function* walk(e: El, ancestors: El[] = []): Generator<[El, El[]]> {
  for (const k of e.kids) {
    yield [k, ancestors];
    if (k.kids.length > 0) yield* walk(k, [...ancestors, k]);
  }
}
const descendants = (e: El, name: string) => [...walk(e)].filter(([k]) => k.name === name).map(([k]) => k);
/** The text of `e`'s w:t elements. */
const textOf = (e: El) => descendants(e, 'w:t').map((t) => t.kids.map((k) => k.text ?? '').join('')).join('');
/** An on/off property: present and not switched off. */
const on = (e: El | undefined) => e !== undefined && !['0', 'false', 'off'].includes(e.attrs['w:val'] ?? '');

/** The XML parts of a DOCX, as text (to break on purpose), and parsed. */
type Raw = Record<string, string>;
interface Parts {
  raw: Raw;
  xml: Record<string, El>;
}

/** The parts that hold text: the body, notes, comments, headers and footers. */
const TEXT_PART = /^word\/(document|footnotes|endnotes|comments|header[^/]*|footer[^/]*)\.xml$/;

function readDocx(file: string): Raw {
  const wanted = (name: string) => TEXT_PART.test(name) || name === 'word/styles.xml' || name === 'docProps/core.xml';
  const zip = unzipSync(readFileSync(file), { filter: (f) => wanted(f.name) });
  return Object.fromEntries(Object.entries(zip).map(([k, v]) => [k, new TextDecoder().decode(v)]));
}

function parse(raw: Raw): Parts {
  return { raw, xml: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, parseXml(v)])) };
}

const textParts = (parts: Parts) => Object.keys(parts.xml).filter((k) => TEXT_PART.test(k)).sort();
const shorten = (s: string) => (s.length > 50 ? `${s.slice(0, 50)}…` : s);

// --- (a) alternative text -------------------------------------------------------------------

/** Word's mark of a decorative image (Office 2019+), in wp:docPr's extension list. */
const DECORATIVE = 'adec:decorative';

function altTextProblems(parts: Parts): string[] {
  const problems: string[] = [];
  for (const part of textParts(parts)) {
    for (const [e] of walk(parts.xml[part]!)) {
      if (e.name !== 'wp:inline' && e.name !== 'wp:anchor') continue;
      const docPr = child(e, 'wp:docPr');
      const where = `${part}: drawing ${docPr?.attrs.id ?? '?'} "${shorten(docPr?.attrs.name ?? '')}"`;
      if (!docPr) problems.push(`${where} has no wp:docPr`);
      else if (!(docPr.attrs.descr ?? '').trim()) problems.push(`${where} has no alternative text (wp:docPr descr)`);
      // Our sources cannot call an image decorative: every image needs its alternative text.
      if (docPr && [...walk(docPr)].some(([k]) => k.name === DECORATIVE || k.name.endsWith(':decorative'))) problems.push(`${where} is marked decorative`);
    }
  }
  return problems;
}

// --- (b) table header rows ------------------------------------------------------------------

function tableProblems(parts: Parts): string[] {
  const problems: string[] = [];
  for (const part of textParts(parts)) {
    let n = 0;
    for (const [table] of walk(parts.xml[part]!)) {
      if (table.name !== 'w:tbl') continue;
      n++;
      const first = child(table, 'w:tr');
      const where = `${part}: table ${n} ("${shorten(first ? textOf(first) : '')}")`;
      if (!first) {
        problems.push(`${where} has no rows`);
        continue;
      }
      if (!on(child(child(first, 'w:trPr'), 'w:tblHeader'))) problems.push(`${where}: its first row is not a header row (w:trPr/w:tblHeader)`);
      if (!textOf(first).trim()) problems.push(`${where}: its header row is empty`);
      const cells = children(first, 'w:tc');
      if (cells.some((c) => child(child(c, 'w:tcPr'), 'w:vMerge') || Number(child(child(c, 'w:tcPr'), 'w:gridSpan')?.attrs['w:val'] ?? 1) > 1)) {
        problems.push(`${where}: its header row merges cells`);
      }
    }
  }
  return problems;
}

// --- styles: outline levels and languages through the style chain ---------------------------

interface Style {
  basedOn?: string;
  outline?: number;
  name?: string;
  lang: { val?: string; eastAsia?: string };
}

function stylesOf(parts: Parts): { styles: Map<string, Style>; defaults: { val?: string; eastAsia?: string } } {
  const root = child(parts.xml['word/styles.xml']!, 'w:styles')!;
  const langOf = (rPr: El | undefined) => {
    const lang = child(rPr, 'w:lang');
    return { ...(lang?.attrs['w:val'] && { val: lang.attrs['w:val'] }), ...(lang?.attrs['w:eastAsia'] && { eastAsia: lang.attrs['w:eastAsia'] }) };
  };
  const styles = new Map<string, Style>();
  for (const s of children(root, 'w:style')) {
    const outline = child(child(s, 'w:pPr'), 'w:outlineLvl')?.attrs['w:val'];
    styles.set(s.attrs['w:styleId']!, {
      ...(child(s, 'w:basedOn') && { basedOn: child(s, 'w:basedOn')!.attrs['w:val'] }),
      ...(outline !== undefined && { outline: Number(outline) }),
      ...(child(s, 'w:name') && { name: child(s, 'w:name')!.attrs['w:val'] }),
      lang: langOf(child(s, 'w:rPr')),
    });
  }
  const defaults = langOf(child(child(child(root, 'w:docDefaults'), 'w:rPrDefault'), 'w:rPr'));
  return { styles, defaults };
}

/** A style and the styles it is based on, nearest first. */
function chain(styles: Map<string, Style>, id: string | undefined): Style[] {
  const found: Style[] = [];
  for (let s = id ? styles.get(id) : undefined; s && found.length < 20; s = s.basedOn ? styles.get(s.basedOn) : undefined) found.push(s);
  return found;
}

// --- (c) headings in order ------------------------------------------------------------------

/** A paragraph's heading level (1-9) by its outline level, its own or its style chain's; 0 for body text. */
function headingLevel(p: El, styles: Map<string, Style>): number {
  const pPr = child(p, 'w:pPr');
  const own = child(pPr, 'w:outlineLvl')?.attrs['w:val'];
  const styled = chain(styles, child(pPr, 'w:pStyle')?.attrs['w:val']);
  let outline = own !== undefined ? Number(own) : styled.find((s) => s.outline !== undefined)?.outline;
  // Word takes its built-in "heading N" styles as headings whatever their outline level says.
  const builtIn = /^heading ([1-9])$/i.exec(styled[0]?.name ?? '');
  if (outline === undefined && builtIn) outline = Number(builtIn[1]) - 1;
  return outline !== undefined && outline >= 0 && outline <= 8 ? outline + 1 : 0;
}

function headingProblems(parts: Parts): string[] {
  const { styles } = stylesOf(parts);
  const body = child(child(parts.xml['word/document.xml']!, 'w:document'), 'w:body')!;
  const headings = descendants(body, 'w:p').flatMap((p) => {
    const level = headingLevel(p, styles);
    return level ? [{ level, text: textOf(p) }] : [];
  });
  const problems: string[] = [];
  if (headings.length === 0) return ['word/document.xml has no headings'];
  const top = Math.min(...headings.map((h) => h.level));
  if (headings[0]!.level !== top) problems.push(`the first heading "${shorten(headings[0]!.text)}" is at level ${headings[0]!.level}, below the document's top level ${top}`);
  headings.forEach((h, i) => {
    const before = headings[i - 1];
    if (before && h.level > before.level + 1) problems.push(`heading "${shorten(h.text)}" at level ${h.level} follows "${shorten(before.text)}" at level ${before.level} (a skipped heading level)`);
  });
  return problems;
}

// --- (d) languages --------------------------------------------------------------------------

/** w:lang w:val of our languages, as Word's proofing needs them (a region). */
const WORD_LANG: Record<string, string> = { en: 'en-US', es: 'es-ES', 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW' };
const EAST_ASIAN = /^(zh|ja|ko)(-|$)/;
/** Characters Word sets with the East Asian font and language: Han, kana, CJK punctuation, full-width forms, Hangul. */
const CJK = /[\u1100-\u11ff\u2e80-\u2fff\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|[\u{20000}-\u{3134f}]/u;

/**
 * A run's effective language, each attribute from the nearest that sets it: the run's w:lang, its
 * character style chain, its paragraph's style chain (Normal when it names none), the defaults.
 */
function runLanguage(r: El, p: El | undefined, styles: Map<string, Style>, defaults: Style['lang']): Style['lang'] {
  const rPr = child(r, 'w:rPr');
  const own = child(rPr, 'w:lang')?.attrs ?? {};
  const sources: Style['lang'][] = [
    { ...(own['w:val'] && { val: own['w:val'] }), ...(own['w:eastAsia'] && { eastAsia: own['w:eastAsia'] }) },
    ...chain(styles, child(rPr, 'w:rStyle')?.attrs['w:val']).map((s) => s.lang),
    ...chain(styles, child(child(p, 'w:pPr'), 'w:pStyle')?.attrs['w:val'] ?? 'Normal').map((s) => s.lang),
    defaults,
  ];
  const val = sources.map((s) => s.val).find(Boolean);
  const eastAsia = sources.map((s) => s.eastAsia).find(Boolean);
  return { ...(val && { val }), ...(eastAsia && { eastAsia }) };
}

/**
 * What is wrong with the language of each run of text. `languages` are the edition's (the
 * first the document's); in a bilingual edition the runs of each column of its tables at the
 * top of the body (the parallel text, its header row naming the languages) are in their
 * column's language, and every other run in one of the two.
 */
function languageProblems(parts: Parts, languages: string[]): string[] {
  const { styles, defaults } = stylesOf(parts);
  const word = languages.map((l) => WORD_LANG[l] ?? `(no Word language for ${l})`);
  const problems: string[] = [];
  for (const part of textParts(parts)) {
    const root = parts.xml[part]!;
    const body = part === 'word/document.xml' ? child(child(root, 'w:document'), 'w:body') : undefined;
    const parallel = new Set(languages.length === 2 && body ? children(body, 'w:tbl') : []);
    for (const [r, ancestors] of walk(root)) {
      if (r.name !== 'w:r' || !child(r, 'w:t')) continue;
      const text = textOf(r);
      const { val, eastAsia } = runLanguage(r, ancestors.findLast((a) => a.name === 'w:p'), styles, defaults);
      // The column of the parallel table it stands in, if it does.
      const table = ancestors.find((a) => parallel.has(a));
      let expected = word;
      if (table) {
        const row = ancestors[ancestors.indexOf(table) + 1]!;
        const cell = ancestors[ancestors.indexOf(table) + 2]!;
        expected = [word[children(row, 'w:tc').indexOf(cell)] ?? '(a third column)'];
      }
      const where = `${part}: run "${shorten(text)}"`;
      if (!val) problems.push(`${where} has no language`);
      else if (!expected.includes(val)) problems.push(`${where} is in ${val}, not ${expected.join(' or ')}`);
      if (CJK.test(text)) {
        // Word reads the language of CJK characters from w:eastAsia; a CJK text's own must be its language.
        const own = expected.filter((l) => EAST_ASIAN.test(l));
        if (!eastAsia) problems.push(`${where} has CJK characters and no East Asian language (w:eastAsia)`);
        else if (!EAST_ASIAN.test(eastAsia)) problems.push(`${where} has CJK characters in ${eastAsia}`);
        else if (own.length > 0 && expected.length === 1 && eastAsia !== own[0]) problems.push(`${where} has CJK characters in ${eastAsia}, not ${own[0]}`);
      }
    }
  }
  return problems;
}

// --- (e) title ------------------------------------------------------------------------------

/** What is wrong with the title: core.xml's dc:title, against `title` and the title page's. */
function titleProblems(parts: Parts, languages: string[], title?: string): string[] {
  const core = child(parts.xml['docProps/core.xml']!, 'cp:coreProperties');
  const text = (name: string) => {
    const e = child(core, name);
    return e ? e.kids.map((k) => k.text ?? '').join('') : undefined;
  };
  const problems: string[] = [];
  const dcTitle = text('dc:title');
  if (!dcTitle?.trim()) return ['docProps/core.xml has no dc:title'];
  const { styles } = stylesOf(parts);
  const body = child(child(parts.xml['word/document.xml']!, 'w:document'), 'w:body')!;
  const titled = children(body, 'w:p').find((p) => chain(styles, child(child(p, 'w:pPr'), 'w:pStyle')?.attrs['w:val']).some((s) => s.name === 'Title'));
  if (!titled) problems.push('the document has no paragraph in the Title style');
  else {
    if (textOf(titled) !== dcTitle) problems.push(`dc:title "${dcTitle}" is not the title page's "${textOf(titled)}"`);
    // The title page's title (a bilingual edition's first) is in the document's language.
    const { defaults } = stylesOf(parts);
    const wrong = descendants(titled, 'w:r').filter((r) => child(r, 'w:t') && runLanguage(r, titled, styles, defaults).val !== WORD_LANG[languages[0]!]);
    if (wrong.length > 0) problems.push(`the title page's title is not all in ${WORD_LANG[languages[0]!]}: "${shorten(textOf(wrong[0]!))}" is in ${runLanguage(wrong[0]!, titled, styles, defaults).val}`);
  }
  if (title !== undefined && dcTitle !== title) problems.push(`dc:title "${dcTitle}" is not the front matter's "${title}"`);
  const language = text('dc:language');
  if (language !== WORD_LANG[languages[0]!]) problems.push(`dc:language is ${language ?? 'missing'}, not ${WORD_LANG[languages[0]!]}`);
  return problems;
}

// --- the DOCXs ------------------------------------------------------------------------------

interface Edition {
  /** Its path in the build's output folder. */
  name: string;
  languages: string[];
  parts: Parts;
}

function editionsOf(out: string): Edition[] {
  return readdirSync(out, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.docx'))
    .sort()
    .map((name) => ({ name, languages: /\.([^./]+)\.docx$/.exec(name)![1]!.split('+'), parts: parse(readDocx(path.join(out, name))) }));
}

const builds: Record<'repository' | 'corpus', Edition[]> = { repository: [], corpus: [] };
/** Front-matter titles (as the editions print them), by document ID and language. */
const titles = new Map<string, string>();

beforeAll(async () => {
  builds.repository = editionsOf(sharedBuild('repository').out);
  builds.corpus = editionsOf(sharedBuild('corpus').out);
  const models = typeset(await loadDocuments([SOURCE, FIXTURE_DOCS, ...CORPUS_SOURCES], new Report()));
  for (const m of models) titles.set(`${m.id}.${m.lang}`, m.meta.title);
});

/** The front-matter title of an edition's document in its first language (none for a packet). */
const titleFor = (e: Edition) => titles.get(`${path.basename(e.name).split('.')[0]}.${e.languages[0]}`);

describe.each(['repository', 'corpus'] as const)('every DOCX of the %s build', (build) => {
  it('is there to check: each document in each language and pair', () => {
    expect(builds[build].length).toBeGreaterThanOrEqual(build === 'repository' ? 8 : 40);
  });

  it('gives every image its alternative text, and marks none decorative', () => {
    expect(builds[build].flatMap((e) => altTextProblems(e.parts).map((p) => `${e.name}: ${p}`))).toEqual([]);
  });

  it('gives every table a header row with text, that repeats on each page and merges no cells', () => {
    expect(builds[build].flatMap((e) => tableProblems(e.parts).map((p) => `${e.name}: ${p}`))).toEqual([]);
  });

  it('sets its headings in order: from the top level, no level skipped', () => {
    expect(builds[build].flatMap((e) => headingProblems(e.parts).map((p) => `${e.name}: ${p}`))).toEqual([]);
  });

  it('gives every run of text its language, the one of the text (of its column, side by side), and CJK text an East Asian one', () => {
    expect(builds[build].flatMap((e) => languageProblems(e.parts, e.languages).map((p) => `${e.name}: ${p}`))).toEqual([]);
  });

  it("names its title in docProps/core.xml: the title page's and the front matter's, with the document's language", () => {
    expect(builds[build].flatMap((e) => titleProblems(e.parts, e.languages, titleFor(e)).map((p) => `${e.name}: ${p}`))).toEqual([]);
  });
});

describe('each check fails on a DOCX broken on purpose', () => {
  /** An edition of the repository build, with `part` changed by `edit` (which must change it). */
  const broken = (name: string, part: string, edit: (xml: string) => string): Edition => {
    const e = builds.repository.find((x) => x.name === name)!;
    const changed = edit(e.parts.raw[part]!);
    expect(changed, `the edit of ${part} changes nothing`).not.toBe(e.parts.raw[part]);
    return { ...e, parts: parse({ ...e.parts.raw, [part]: changed }) };
  };
  const SINK = path.join('kitchen-sink', 'kitchen-sink.en.docx');
  const PAPER = path.join('china-lac-policy', 'china-lac-policy.en.docx');
  const ZH = path.join('china-lac-policy', 'china-lac-policy.zh-Hans.docx');
  const PAIR = path.join('china-lac-policy', 'china-lac-policy.en+es.docx');
  const PAIR_ZH = path.join('china-lac-policy', 'china-lac-policy.en+zh-Hans.docx');

  it('alternative text: an empty descr, a missing docPr, a decorative mark', () => {
    const sink = (edit: (xml: string) => string) => altTextProblems(broken(SINK, 'word/document.xml', edit).parts);
    expect(sink((x) => x.replace(/(<wp:docPr [^>]*)descr="[^"]*"/, '$1descr=" "'))).toEqual([expect.stringMatching(/drawing 1 .* has no alternative text/)]);
    expect(sink((x) => x.replace(/<wp:docPr [^>]*\/>/, ''))).toEqual([expect.stringMatching(/has no wp:docPr/)]);
    const decorative = '<a:extLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}"><adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/></a:ext></a:extLst>';
    expect(sink((x) => x.replace(/(<wp:docPr [^>]*)\/>/, `$1>${decorative}</wp:docPr>`))).toEqual([expect.stringMatching(/is marked decorative/)]);
  });

  it('header rows: none, an empty one, merged cells', () => {
    const pair = (edit: (xml: string) => string) => tableProblems(broken(PAIR, 'word/document.xml', edit).parts);
    expect(pair((x) => x.replace(/<w:tblHeader[^>]*\/>/, ''))).toEqual([expect.stringMatching(/table 1 .*: its first row is not a header row/)]);
    expect(pair((x) => x.replace(/<w:tblHeader\/>/, '<w:tblHeader w:val="false"/>'))).toEqual([expect.stringMatching(/its first row is not a header row/)]);
    expect(pair((x) => x.replace(/(<w:tblHeader\/>.*?)<w:t( [^>]*)?>English<\/w:t>(.*?)<w:t( [^>]*)?>español<\/w:t>/, '$1$3'))).toEqual([expect.stringMatching(/its header row is empty/)]);
    expect(pair((x) => x.replace('<w:tblHeader/></w:trPr><w:tc>', '<w:tblHeader/></w:trPr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>'))).toEqual([expect.stringMatching(/its header row merges cells/)]);
  });

  it('headings: a skipped level, a first heading below the top level', () => {
    const paper = (edit: (xml: string) => string) => headingProblems(broken(PAPER, 'word/document.xml', edit).parts);
    // The first Heading 2 (II.1) made a Heading 3, under II's Heading 1.
    expect(paper((x) => x.replace(/<w:pStyle w:val="Heading2"\/>(.*?)<w:outlineLvl w:val="1"\/>/, '<w:pStyle w:val="Heading3"/>$1<w:outlineLvl w:val="2"/>'))).toEqual([
      expect.stringMatching(/at level 3 follows .* at level 1 \(a skipped heading level\)/),
    ]);
    // The first heading (the foreword) made a Heading 2 by its own outline level.
    expect(paper((x) => x.replace(/<w:outlineLvl w:val="0"\/>/, '<w:outlineLvl w:val="1"/>'))).toEqual([expect.stringMatching(/the first heading .* is at level 2, below the document's top level 1/)]);
    // A style's outline level counts as the paragraph's.
    const styled = broken(PAPER, 'word/document.xml', (x) => x.replace(/(<w:pStyle w:val="Heading2"\/>.*?)<w:outlineLvl w:val="1"\/>/, '$1'));
    const deeper = { ...styled.parts.raw, 'word/styles.xml': styled.parts.raw['word/styles.xml']!.replace(/(w:styleId="Heading2">.*?)<w:outlineLvl w:val="1"\/>/, '$1<w:outlineLvl w:val="3"/>') };
    expect(headingProblems(parse(deeper))).toEqual([expect.stringMatching(/at level 4 follows .* at level 1/)]);
  });

  it('languages: a run without one, in the wrong one, in the other column, CJK text without an East Asian one', () => {
    const none = broken(PAPER, 'word/document.xml', (x) => x.replace(/<w:lang w:val="en-US"\/>/, ''));
    // Its language now comes from the document defaults: still English.
    expect(languageProblems(none.parts, ['en'])).toEqual([]);
    const noDefault = parse({ ...none.parts.raw, 'word/styles.xml': none.parts.raw['word/styles.xml']!.replace(/<w:lang [^>]*\/>/, '') });
    expect(languageProblems(noDefault, ['en'])).toEqual([expect.stringMatching(/has no language/)]);
    expect(languageProblems(broken(PAPER, 'word/document.xml', (x) => x.replace(/<w:lang w:val="en-US"\/>/, '<w:lang w:val="fr-FR"/>')).parts, ['en'])).toEqual([
      expect.stringMatching(/is in fr-FR, not en-US/),
    ]);
    // In the pair, the Spanish column's first run set in English: a language of the edition, in the wrong column.
    const pair = broken(PAIR, 'word/document.xml', (x) => x.replace(/(<w:tblHeader\/>.*?)<w:lang w:val="es-ES"\/>/, '$1<w:lang w:val="en-US"/>'));
    expect(languageProblems(pair.parts, ['en', 'es'])).toEqual([expect.stringMatching(/run "español" is in en-US, not es-ES/)]);
    // Chinese text whose East Asian language is dropped, where the defaults give none (the en+zh-Hans pair's are English).
    const zh = broken(PAIR_ZH, 'word/document.xml', (x) => x.replace(/<w:lang w:val="zh-CN" w:eastAsia="zh-CN"\/>/, '<w:lang w:val="zh-CN"/>'));
    expect(languageProblems(zh.parts, ['en', 'zh-Hans'])).toEqual([expect.stringMatching(/has CJK characters and no East Asian language/)]);
    // Chinese text called Japanese.
    const ja = broken(ZH, 'word/document.xml', (x) => x.replace(/<w:lang w:val="zh-CN" w:eastAsia="zh-CN"\/>/, '<w:lang w:val="zh-CN" w:eastAsia="ja-JP"/>'));
    expect(languageProblems(ja.parts, ['zh-Hans'])).toEqual([expect.stringMatching(/has CJK characters in ja-JP, not zh-CN/)]);
    // A style's language counts as the run's.
    const styled = broken(PAPER, 'word/styles.xml', (x) => x.replace(/(w:styleId="Heading1">.*?<w:rPr>)/, '$1<w:lang w:val="de-DE"/>'));
    const unmarked = parse({ ...styled.parts.raw, 'word/document.xml': styled.parts.raw['word/document.xml']!.replace(/(<w:pStyle w:val="Heading1"\/>.*?)<w:lang w:val="en-US"\/>/, '$1') });
    expect(languageProblems(unmarked, ['en'])).toEqual([expect.stringMatching(/is in de-DE, not en-US/)]);
  });

  it('title: none, another than the title page, another than the front matter, another language', () => {
    const paper = (edit: (xml: string) => string, title?: string) => titleProblems(broken(PAPER, 'docProps/core.xml', edit).parts, ['en'], title);
    expect(paper((x) => x.replace(/<dc:title>[^<]*<\/dc:title>/, '<dc:title></dc:title>'))).toEqual(['docProps/core.xml has no dc:title']);
    expect(paper((x) => x.replace(/<dc:title>[^<]*<\/dc:title>/, ''))).toEqual(['docProps/core.xml has no dc:title']);
    expect(paper((x) => x.replace(/<dc:title>[^<]*/, '<dc:title>Document1'))).toEqual([expect.stringMatching(/is not the title page's/)]);
    expect(paper((x) => x.replace('en-US', 'es-ES'))).toEqual(['dc:language is es-ES, not en-US']);
    // The en+es pair's two titles swapped in language: the first, dc:title's, set in Spanish.
    const pair = broken(PAIR, 'word/document.xml', (x) => x.replace(/(<w:pStyle w:val="Title"\/>.*?)<w:lang w:val="en-US"\/>/, '$1<w:lang w:val="es-ES"/>'));
    expect(titleProblems(pair.parts, ['en', 'es'])).toEqual([expect.stringMatching(/the title page's title is not all in en-US: "China’s Policy Paper.*" is in es-ES/)]);
    const e = builds.repository.find((x) => x.name === PAPER)!;
    expect(titleProblems(e.parts, ['en'], 'Another Title')).toEqual([expect.stringMatching(/is not the front matter's "Another Title"/)]);
  });
});
