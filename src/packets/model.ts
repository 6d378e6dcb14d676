/**
 * A briefing packet as two document models, one per language, that every bilingual renderer
 * sets like a paper: its own sections (key points, background, glossary, sources) around the
 * chosen sections of the documents, which keep their stable IDs and cite their original numbers
 * in their headings ("IV.2.(3) Financial Cooperation"). The second model takes the first as its
 * canonical text, so the two pair by ID like a translation and its original.
 */
import type { Definition, Heading, Nodes, Paragraph, Parent, PhrasingContent, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { sectionTree } from '../model/query.js';
import { termMatcher } from '../termbase/match.js';
import { percentDecode } from '../shared/uri.js';
import type { Block, DocumentModel, PacketInfo, Section } from '../model/types.js';
import { documentContext, type BuildInfo } from '../templating/context.js';
import type { Templates } from '../templating/engine.js';
import { languagePair, loadStrings, uiString, type Strings } from '../templating/i18n.js';
import type { PacketSource } from './load.js';
import { shareNames } from './names.js';
import { textKey } from './text.js';

export function packetModels(packet: PacketSource, models: readonly DocumentModel[], templates: Templates, build: BuildInfo): [DocumentModel, DocumentModel] {
  const [a, b] = packet.data.languages;
  const first = packetModel(packet, a, models, templates, build);
  const second = packetModel(packet, b, models, templates, build, first);
  return [first, second];
}

function packetModel(packet: PacketSource, lang: string, models: readonly DocumentModel[], templates: Templates, build: BuildInfo, canonical?: DocumentModel): DocumentModel {
  const { data, file } = packet;
  const strings = loadStrings(templates, lang);
  const [a, b] = data.languages;
  const inLang = (id: string) => models.find((m) => m.id === id && m.lang === lang)!;
  const blocks: Block[] = [];
  const sections: Section[] = [];
  const md = (at: readonly (string | number)[]) => packet.texts.get(textKey(at))!;

  const own = (id: string, title: string, content: RootContent[]) => {
    const section: Section = { id, depth: 1, number: null, title, text: title, citation: title, heading: heading(1, title), content, children: [] };
    let n = 0;
    for (const node of content) {
      const leaves = node.type === 'list' ? node.children.map((item, i) => ({ node: item.children[0]!, item: { ordered: false, number: i + 1, first: true } })) : [{ node }];
      for (const leaf of leaves) {
        const blockId = `${id}-p${++n}`;
        leaf.node.data = { ...leaf.node.data, id: blockId };
        blocks.push({ id: blockId, sectionId: id, node: leaf.node, kind: `${'item' in leaf ? 'list item ' : ''}${leaf.node.type}`, ...('item' in leaf && { item: leaf.item }) });
      }
    }
    sections.push(section);
  };

  own('key-points', uiString(strings, 'keyPoints'), [
    {
      type: 'list',
      ordered: false,
      spread: false,
      children: data['key-points'].map((_, i) => ({ type: 'listItem', spread: false, children: md(['key-points', i, lang]) as never })),
    },
  ]);
  if (data.background) own('background', uiString(strings, 'background'), md(['background', lang]));
  // The packet's own texts cite the original numbering (IV.1.(1)); the Chinese side prints the
  // Chinese edition's numbers instead (四（一）1), as its headings do.
  if (CHINESE.test(lang)) {
    const printed = printedCitations(data.sections.map((e) => inLang(e.document)));
    for (const s of sections) s.content.forEach((n) => citeAsPrinted(n, printed));
  }

  // The chosen sections, from the document in this language, one level up when they are
  // subsections; copied, so that each document's notes, definitions and images keep their own
  // names (and the packet's own images theirs).
  // The glossary cites the chosen sections' blocks, not the packet's own key points and background.
  const ownBlocks = blocks.length;
  const sources = [...new Set(data.sections.map((entry) => inLang(entry.document)))];
  const names = shareNames(sources, packet.images);
  for (const entry of data.sections) {
    const text = inLang(entry.document);
    const byId = new Map(text.allSections.map((s) => [s.id, s]));
    for (const id of entry.ids) {
      const chosen = byId.get(id)!;
      const named = names.section(text, chosen);
      const section = CHINESE.test(lang) ? numberedAsPrinted(named, chosen.depth - 1, ancestors(text, chosen)) : cited(named, chosen.depth - 1);
      sections.push(section);
      const inside = sectionTree(section);
      const nodes = new Map(inside.flatMap((s) => s.content.flatMap(withIds)).map((n) => [n.data!.id!, n]));
      blocks.push(...text.blocks.filter((x) => nodes.has(x.id)).map((x) => ({ ...x, node: nodes.get(x.id)! })));
    }
  }

  if (packet.terms.length > 0) {
    const chosen = blocks.slice(ownBlocks);
    const citationOf = new Map(sections.flatMap(sectionTree).map((s) => [s.id, s.citation]));
    own(
      'glossary',
      uiString(strings, 'glossary'),
      packet.terms.map((t): Paragraph => glossaryEntry(t.text[lang]!, t.gloss[lang], occurrences(t.text[lang]!, chosen), citationOf, strings)),
    );
  }
  const citedAs = new Map(sections.map((s) => [s.id, s.citation]));
  const listed = sources.map((text) => ({
    ...documentContext(text, strings, build),
    // As the packet's headings cite them: III, IV.1 in English and Spanish; 三, 四（一） in Chinese.
    sections: data.sections.filter((e) => e.document === text.id).flatMap((e) => e.ids.map((id) => citedAs.get(id) ?? text.allSections.find((s) => s.id === id)!.citation)),
    /** Chinese bibliographic style: issuer, 《title》, full-width punctuation. */
    chinese: CHINESE.test(lang),
  }));
  // Set flush left, like the glossary: a bibliographic entry's long names and addresses would
  // stretch a justified line (the Chinese entry was letter-spaced).
  const entries = templates.markdown('packet/sources.md.hbs', { strings, lang, documents: listed }).children;
  for (const n of entries) if (n.type === 'paragraph') n.data = { ...n.data, ragged: true };
  own('sources', uiString(strings, 'sources'), entries);

  const info: PacketInfo = {
    purpose: data.purpose[lang]!,
    audience: data.audience[lang]!,
    classification: data.classification[lang]!,
    preparedBy: data['prepared-by']?.[lang] ?? null,
    languages: languagePair(strings, a, b),
  };
  const original = sources[0]!;
  const allSections = sections.flatMap(sectionTree);
  unlinkLeftOut(allSections, new Set([...allSections.map((s) => s.id), ...blocks.map((b) => b.id)]), names.definitions);
  return {
    id: packet.id,
    file,
    lang,
    meta: {
      title: data.title[lang]!,
      ...(data.subtitle && { subtitle: data.subtitle[lang]! }),
      issuer: info.preparedBy ?? original.meta.issuer,
      issued: data.date,
      language: lang,
      description: info.purpose,
      keywords: [],
    },
    sections,
    allSections,
    blocks,
    footnotes: names.footnotes,
    definitions: names.definitions,
    images: names.images,
    linkSchemes: original.linkSchemes,
    ...(canonical && { canonical }),
    packet: info,
    sources,
  };
}

/**
 * A link to a part of its document that the packet leaves out could lead nowhere: its text
 * stands without the link. The sections are the packet's own copies, so this changes no document.
 */
function unlinkLeftOut(sections: readonly Section[], ids: ReadonlySet<string>, definitions: ReadonlyMap<string, Definition>): void {
  const outside = (node: Nodes) => {
    const url = node.type === 'link' ? node.url : node.type === 'linkReference' ? definitions.get(node.identifier)?.url : undefined;
    return url !== undefined && url.startsWith('#') && !ids.has(percentDecode(url.slice(1)));
  };
  const visit = (node: Nodes): void => {
    if (!('children' in node)) return;
    const parent = node as Parent;
    parent.children = parent.children.flatMap((c) => (outside(c) ? (c as Parent).children : [c]));
    parent.children.forEach(visit);
  };
  for (const s of sections) s.content.forEach(visit);
}

/**
 * A glossary entry: the term, its one-line gloss from the termbase, and the paragraphs of the
 * packet's chosen sections where it occurs, each cited by its section's citation (and its
 * paragraph, when not the first) and linked to it: "mutual benefit: ... (IV.2.(1), IV.2.(6) ¶2)".
 */
function glossaryEntry(term: string, gloss: string | undefined, hits: readonly Block[], citationOf: ReadonlyMap<string, string>, strings: Strings): Paragraph {
  const children: PhrasingContent[] = [{ type: 'strong', children: [{ type: 'text', value: term }] }];
  if (gloss) children.push({ type: 'text', value: `${uiString(strings, 'colon')}${gloss}` });
  if (hits.length > 0) {
    children.push({ type: 'text', value: `${uiString(strings, 'wordSpace')}${uiString(strings, 'parenOpen')}` });
    hits.forEach((b, i) => {
      if (i > 0) children.push({ type: 'text', value: uiString(strings, 'listSep') });
      const n = Number(/-p(\d+)$/.exec(b.id)?.[1] ?? 1);
      const cited = citationOf.get(b.sectionId) ?? b.sectionId;
      children.push({ type: 'link', url: `#${b.id}`, children: [{ type: 'text', value: n > 1 ? `${cited}\u00a0¶${n}` : cited }] });
    });
    children.push({ type: 'text', value: uiString(strings, 'parenClose') });
  }
  return { type: 'paragraph', data: { ragged: true }, children };
}

/** The chosen blocks whose text holds `term` as a whole word or words (termbase/match.ts). */
export function occurrences(term: string, blocks: readonly Block[]): Block[] {
  const holds = termMatcher(term);
  return blocks.filter((b) => holds(toString(b.node)));
}

/** `node` and every node inside it that has a stable ID. */
function withIds(node: RootContent): RootContent[] {
  const inside = 'children' in node ? node.children.flatMap((c) => withIds(c as RootContent)) : [];
  return node.data?.id ? [node, ...inside] : inside;
}

/** A copy of `s` and its subsections, `up` levels higher, each heading led by its citation. */
function cited(s: Section, up: number): Section {
  const depth = s.depth - up;
  // The heading's own number goes: the citation says it in full ("IV.2.(3)", not "(3)"). An
  // unnumbered heading is cited by its title, which the heading already is, in its own language
  // (a translation's citation of it is the original's title: "Training Formación" cited twice).
  const title = s.title !== s.text ? s.title : s.text.replace(OWN_NUMBER, '');
  const text = s.number ? `${s.citation} ${title}` : s.text;
  // The heading is set anew as plain text, but keeps its note marks: its notes are only printed when cited.
  const marks = s.heading?.children.filter((c) => c.type === 'footnoteReference') ?? [];
  const cites = { ...heading(depth, text), ...(s.heading?.position && { position: s.heading.position }) };
  cites.children.push(...marks);
  return { ...s, depth, title, text, heading: cites, children: s.children.map((c) => cited(c, up)) };
}

const CHINESE = /^zh(?:-|$)/;

/** The sections `s` stands under in `text`, outermost first. */
function ancestors(text: DocumentModel, s: Section): Section[] {
  const path = (list: readonly Section[], trail: Section[]): Section[] | undefined => {
    for (const c of list) {
      if (c.id === s.id) return trail;
      const found = path(c.children, [...trail, c]);
      if (found) return found;
    }
    return undefined;
  };
  return path(text.sections, []) ?? [];
}

/**
 * The Chinese side of a packet numbers its headings as the Chinese edition does (三、, （一）, 1．),
 * not with the original's citation (III, IV.1.(2)): a chosen section takes its parents' numbers
 * before its own ("四、（一）政治领域"), its subsections their own ("2．立法机构交往"). The citation
 * (contents, glossary, sources) is the same chain without its stops: 三, 四（一）, 四（一）2.
 */
function numberedAsPrinted(s: Section, up: number, parents: readonly Section[], top = true): Section {
  const depth = s.depth - up;
  const children = s.children.map((c) => numberedAsPrinted(c, up, [...parents, s], false));
  const own = printedNumber(s);
  if (!own) return { ...s, depth, children };
  const chain = [...parents.map(printedNumber), own];
  const title = s.text.replace(OWN_NUMBER, '');
  const text = `${(top ? chain : [own]).join('')}${title}`;
  const citation = chain.join('').replace(/[、．.]/g, '');
  const marks = s.heading?.children.filter((c) => c.type === 'footnoteReference') ?? [];
  const h = { ...heading(depth, text), ...(s.heading?.position && { position: s.heading.position }) };
  h.children.push(...marks);
  return { ...s, depth, title, text, citation, heading: h, children };
}

/**
 * Each section's original citation ("IV.1.(1)", "III") and its citation in the numbers a
 * Chinese text prints ("四（一）1", "三"), from the documents in order (the first one's wins).
 */
function printedCitations(texts: readonly DocumentModel[]): Map<string, string> {
  const map = new Map<string, string>();
  const walk = (list: readonly Section[], chain: string[]) => {
    for (const s of list) {
      const own = printedNumber(s);
      const here = own ? [...chain, own] : chain;
      if (own && s.number && !map.has(s.citation)) map.set(s.citation, here.join('').replace(/[、．.]/g, ''));
      walk(s.children, here);
    }
  };
  for (const t of texts) walk(t.sections, []);
  return map;
}

/**
 * An original citation written in running text: a part's Roman numeral, then its section
 * numbers; not inside a Latin word or number (Chinese characters may stand right beside it).
 */
const WRITTEN_CITATION = /(?<![A-Za-z0-9])[IVXLC]+(?:\.\d+)*(?:\.\(\d+\))?(?![A-Za-z0-9]|\.\d|\.\()/g;

/**
 * Rewrites the original citations in `node`'s text that name a section of `map`: "IV.1.(1)" →
 * "四（一）1", and a part standing alone → "第三部分" (a bare "（三）" would read as a
 * subsection's number), "第III部分" → "第三部分".
 */
function citeAsPrinted(node: Nodes, map: ReadonlyMap<string, string>): void {
  if (node.type === 'text') {
    node.value = node.value.replace(WRITTEN_CITATION, (c: string, at: number, whole: string) => {
      const printed = map.get(c);
      if (!printed) return c;
      return c.includes('.') || whole[at - 1] === '第' ? printed : `第${printed}部分`;
    });
  } else if ('children' in node) for (const c of node.children) citeAsPrinted(c, map);
}

/** The number a heading prints in its own language ("四、", "（一）", "1．"), or ''. */
function printedNumber(s: Section): string {
  return OWN_NUMBER.exec(s.text)?.[0].trim() ?? '';
}

/** A translated heading's own number, in the styles the translations use: "2.", "2.1", "(3)", "四、", "（二）", "3．". */
const OWN_NUMBER = /^\s*(?:[IVXLC]+\.|\d+(?:[.．]\d+)+[.．]?(?=\s)|\d+[.．]|\(\d+\)|（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、)\s*/;

function heading(depth: number, text: string): Heading {
  return { type: 'heading', depth: depth as Heading['depth'], children: [{ type: 'text', value: text }] };
}
