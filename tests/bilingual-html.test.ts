/**
 * Bilingual HTML and EPUB read back: every footnote of each language numbered, linked both ways
 * and listed; every reference link and image of either language present; ids unique. The
 * fixtures give each language its own notes (a different number per side, one referenced twice,
 * the same labels on both sides in one of them), its own reference definitions and an image
 * that only the translation has. The validators check these pages with the rest of the corpus
 * (corpus.test.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { FootnoteReference, Image, ImageReference, LinkReference, Nodes } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/build/build.js';
import { buildInfo } from '../src/build/dates.js';
import type { DocumentModel } from '../src/model/types.js';
import { packetModels } from '../src/packets/model.js';
import { Templates } from '../src/templating/engine.js';
import { loadStrings, uiString } from '../src/templating/i18n.js';
import { classes, elements, parseXhtml, sideOf, textOf, within, type El } from './xhtml.js';
import { ROOT, runCli, tempDir, typeset } from './helpers.js';

const CORPUS = path.join(ROOT, 'tests', 'fixtures', 'corpus');
const DOCS = [path.join(CORPUS, 'notes-bilingual'), path.join(CORPUS, 'notes-everywhere')];

/** What one text puts on the page, read from its model in reading order (headings, then blocks). */
function expected(model: DocumentModel) {
  const refs: FootnoteReference[] = [];
  const links: LinkReference[] = [];
  const images: (Image | ImageReference)[] = [];
  const walk = (n: Nodes): void => {
    if (n.type === 'footnoteReference') refs.push(n);
    if (n.type === 'linkReference') links.push(n);
    if (n.type === 'image' || n.type === 'imageReference') images.push(n);
    if ('children' in n) n.children.forEach(walk);
  };
  for (const s of model.allSections) {
    if (s.heading) walk(s.heading);
    for (const b of model.blocks.filter((x) => x.sectionId === s.id)) walk(b.node);
  }
  const order = [...new Set(refs.map((r) => r.identifier))];
  const note = (identifier: string) => toString(model.footnotes.find((f) => f.identifier === identifier)!);
  const url = (identifier: string) => model.definitions.get(identifier)!.url;
  return { refs, order, note, links, url, images };
}

/** Checks one bilingual page (HTML edition or EPUB content document) against its two texts. */
function expectNotesLinksAndImages(xhtml: string, texts: DocumentModel[], imageSrc: (model: DocumentModel, url: string) => string): void {
  const page = parseXhtml(xhtml);
  const all = elements(page);
  const byId = new Map<string, El>();
  const ids = all.filter((e) => e.attrs.id !== undefined).map((e) => e.attrs.id!);
  for (const e of all) if (e.attrs.id) byId.set(e.attrs.id, e);
  expect(ids.filter((id, i) => ids.indexOf(id) !== i), 'duplicate ids').toEqual([]);
  // Every in-page reference lands on an element.
  for (const e of all) {
    if (e.name === 'a' && e.attrs.href?.startsWith('#')) expect(byId.has(e.attrs.href.slice(1)), e.attrs.href).toBe(true);
    if (e.attrs['aria-describedby']) expect(byId.has(e.attrs['aria-describedby']), e.attrs['aria-describedby']).toBe(true);
  }
  const main = all.find((e) => e.name === 'main')!;
  expect(textOf(main), 'a reference left as brackets').not.toMatch(/\]\[|\[\^/);

  for (const model of texts) {
    const want = expected(model);
    const onSide = all.filter((e) => sideOf(e) === model.lang);
    const marks = onSide.filter((e) => e.name === 'a' && e.attrs['data-footnote-ref'] !== undefined);
    expect(marks, `${model.lang}: note marks`).toHaveLength(want.refs.length);
    expect(want.refs.length, `${model.lang}: the fixture has notes`).toBeGreaterThan(0);
    const lists = onSide.filter((e) => e.name === 'section' && classes(e).includes('footnotes'));
    expect(lists, `${model.lang}: one list of notes`).toHaveLength(1);
    const items = elements(lists[0]!).filter((e) => e.name === 'li');
    // Compared without white space: the note's paragraphs are joined differently on each side.
    const bare = (t: string) => t.replace(/\s+/g, '');
    expect(items.map((li) => bare(textOf(li).split('↩')[0]!)), `${model.lang}: notes in order of first reference`).toEqual(want.order.map((id) => bare(want.note(id))));
    marks.forEach((mark, i) => {
      const identifier = want.refs[i]!.identifier;
      const target = byId.get(mark.attrs.href!.slice(1))!;
      expect(items.indexOf(target), `${model.lang}: mark ${i + 1} links to its own side's note`).toBe(want.order.indexOf(identifier));
      expect(textOf(mark), `${model.lang}: mark ${i + 1} shows the note's number`).toBe(String(want.order.indexOf(identifier) + 1));
      const backs = elements(target).filter((e) => e.name === 'a' && e.attrs['data-footnote-backref'] !== undefined);
      expect(backs.map((b) => b.attrs.href), `${model.lang}: the note links back to mark ${i + 1}`).toContain(`#${mark.attrs.id}`);
    });
    for (const li of items) {
      for (const back of elements(li).filter((e) => e.attrs['data-footnote-backref'] !== undefined)) {
        expect(byId.get(back.attrs.href!.slice(1))!.attrs.href, `${model.lang}: a back link goes to a mark of this note`).toBe(`#${li.attrs.id}`);
      }
    }
    const anchors = onSide.filter((e) => e.name === 'a' && !within(e, 'section', 'footnotes'));
    expect(want.links.length, `${model.lang}: the fixture has reference links`).toBeGreaterThan(0);
    for (const link of want.links) {
      expect(
        anchors.some((a) => a.attrs.href === want.url(link.identifier) && textOf(a) === toString(link)),
        `${model.lang}: [${toString(link)}][${link.identifier}] links to ${want.url(link.identifier)}`,
      ).toBe(true);
    }
    const imgs = onSide.filter((e) => e.name === 'img');
    for (const image of want.images) {
      const url = image.type === 'image' ? image.url : want.url(image.identifier);
      expect(
        imgs.some((img) => img.attrs.alt === image.alt && img.attrs.src === imageSrc(model, url)),
        `${model.lang}: the image ${url} ("${image.alt}")`,
      ).toBe(true);
    }
  }
}

let out: string;
let models: DocumentModel[];
let packet: [DocumentModel, DocumentModel];

beforeAll(async () => {
  out = path.join(tempDir(), 'dist');
  const r = runCli(['build', ...DOCS, '--out', out, '--format', 'html,epub', '-q']);
  expect(r.status, r.stderr).toBe(0);
  const checked = await check(DOCS);
  models = checked.models;
  const source = checked.packets.find((p) => p.id === 'notes-finance')!;
  packet = packetModels(source, models, new Templates([]), buildInfo(source.originals[0]!, {}));
  // The text as the build prints it (curly quotes by language).
  typeset([...models, ...packet]);
});

const dataUrl = (model: DocumentModel, url: string) => {
  const image = model.images.get(url)!;
  return `data:${image.mediaType};base64,${image.data.toString('base64')}`;
};

/** The two texts of each bilingual output, original first, and the output's path stem. */
const editions = (): [string, DocumentModel[]][] => [
  ...models.filter((m) => m.canonical).map((m): [string, DocumentModel[]] => [`${m.id}/${m.id}.${m.canonical!.lang}+${m.lang}`, [m.canonical!, m]]),
  [`packets/notes-finance.${packet[0].lang}+${packet[1].lang}`, packet],
];

describe('bilingual HTML', () => {
  it('numbers, links and lists each language’s notes, and keeps both languages’ reference links and images', () => {
    expect(editions()).toHaveLength(3);
    // The fixtures have images in both languages, and images that only a translation has.
    const onlyTranslated = models.filter((m) => m.canonical).flatMap((m) => [...m.images.keys()].filter((url) => !m.canonical!.images.has(url)));
    expect(onlyTranslated.length).toBeGreaterThan(0);
    expect(models.filter((m) => !m.canonical && m.images.size > 0).length).toBeGreaterThan(0);
    for (const [stem, texts] of editions()) {
      const html = readFileSync(path.join(out, `${stem}.html`), 'utf8');
      expectNotesLinksAndImages(html, texts, dataUrl);
    }
  });

  it('labels each language’s notes in that language', () => {
    for (const [stem, texts] of editions()) {
      const page = parseXhtml(readFileSync(path.join(out, `${stem}.html`), 'utf8'));
      const lists = elements(page).filter((e) => e.name === 'section' && classes(e).includes('footnotes'));
      const labels = lists.map((l) => [sideOf(l), textOf(elements(l).find((e) => e.name === 'h2')!)]);
      expect(labels).toEqual(texts.map((t) => [t.lang, uiString(loadStrings(new Templates([]), t.lang), 'footnotes')]));
    }
  });
});

describe('a bilingual HTML edition with the translation first, alternating', () => {
  it('numbers, links and lists each language’s notes the same way', () => {
    const project = tempDir();
    writeFileSync(
      path.join(project, 'editions.config.yaml'),
      `sources: [${JSON.stringify(DOCS[0])}]\nout: public\nformats: [html]\nbilingual:\n  - languages: [es, en]\n    layout: alternating\n`,
    );
    const r = runCli(['build', '-q'], { cwd: project });
    expect(r.status, r.stderr).toBe(0);
    const translation = models.find((m) => m.id === 'notes-bilingual' && m.canonical)!;
    const html = readFileSync(path.join(project, `public/notes-bilingual/notes-bilingual.es+en.html`), 'utf8');
    expect(html).toContain('<body class="bilingual alternating">');
    expectNotesLinksAndImages(html, [translation, translation.canonical!], dataUrl);
  });
});

describe('bilingual EPUB', () => {
  it('numbers, links and lists each language’s notes, and packs and shows both languages’ images', () => {
    for (const [stem, texts] of editions()) {
      const files = unzipSync(readFileSync(path.join(out, `${stem}.epub`)));
      const page = new TextDecoder().decode(files['EPUB/paper.xhtml']);
      const opf = new TextDecoder().decode(files['EPUB/package.opf']);
      // The packed file that holds the same bytes as the text's image.
      const packed = (model: DocumentModel, url: string) => {
        const data = model.images.get(url)!.data;
        const name = Object.keys(files).find((f) => f.startsWith('EPUB/images/') && Buffer.from(files[f]!).equals(data));
        expect(name, `${model.lang}: ${url} is packed`).toBeDefined();
        expect(opf).toContain(`href="${name!.slice('EPUB/'.length)}"`);
        return name!.slice('EPUB/'.length);
      };
      expectNotesLinksAndImages(page, texts, packed);
    }
  });
});

describe('single-language pages', () => {
  it('resolve reference links and reference images', () => {
    const texts = models.filter((m) => m.id === 'notes-bilingual');
    expect(texts).toHaveLength(2);
    for (const model of texts) {
      const page = parseXhtml(readFileSync(path.join(out, `${model.id}/${model.id}.${model.lang}.html`), 'utf8'));
      const want = expected(model);
      const all = elements(page);
      expect(textOf(all.find((e) => e.name === 'main')!)).not.toMatch(/\]\[|\[\^/);
      for (const link of want.links) expect(all.some((a) => a.name === 'a' && a.attrs.href === want.url(link.identifier) && textOf(a) === toString(link)), toString(link)).toBe(true);
      for (const image of want.images) {
        const url = image.type === 'image' ? image.url : want.url(image.identifier);
        expect(all.some((img) => img.name === 'img' && img.attrs.src === dataUrl(model, url)), url).toBe(true);
      }
      expect(all.filter((e) => e.attrs['data-footnote-ref'] !== undefined)).toHaveLength(want.refs.length);
    }
  });
});
