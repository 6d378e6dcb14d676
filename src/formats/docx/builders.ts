/**
 * remark-docx builder overrides, keyed by mdast node type (plus our own for the title page, the
 * colophon, the contents, the bilingual table and the footnotes). remark-docx falls back to its
 * own builder when one of these returns null.
 */
import {
  AlignmentType,
  Bookmark,
  BookmarkEnd,
  BookmarkStart,
  FootnoteReferenceRun,
  HeadingLevel,
  ImageRun,
  InternalHyperlink,
  PageBreak,
  Paragraph,
  Tab,
  Table,
  TableBorders,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type ParagraphChild,
} from 'docx';
import type {
  Blockquote,
  Code,
  Definition,
  FootnoteDefinition,
  FootnoteReference,
  Heading,
  Image,
  ImageReference,
  Link,
  LinkReference,
  List,
  ListItem,
  Paragraph as MdParagraph,
  Nodes,
  Table as MdTable,
  Root,
  RootContent,
  Text,
} from 'mdast';
import type { Point } from '../../messages.js';
import type { ImageAsset } from '../../model/images.js';
import { unfollowable } from '../../model/links.js';
import { emptyRow } from '../../model/tables.js';
import type { Block } from '../../model/types.js';
import { CJK } from '../../shared/scripts.js';
import { percentDecode } from '../../shared/uri.js';
import type { BookmarkNames } from './bookmarks.js';

declare module 'mdast' {
  interface Data {
    /** A field of the colophon or a cover, followed by the next with no space between (DOCX only). */
    tight?: boolean;
  }
}

type ListMeta = { type: 'bullet' } | { type: 'ordered'; reference: string } | { type: 'task'; checked: boolean };

/**
 * remark-docx's builder context (its types do not resolve under NodeNext, see FINDINGS.md): the
 * part the overrides use.
 */
interface Ctx {
  render(nodes: readonly unknown[], ctx?: Ctx): unknown[];
  /** The width a table takes, in twips: remark-docx shares it among the table's columns. */
  width: number;
  style: { bold?: boolean; italic?: boolean; strike?: boolean; inlineCode?: boolean; link?: boolean };
  quote?: number;
  list?: { level: number; meta: ListMeta };
  /** A new numbering reference for an ordered list. */
  orderedId(): string;
  /** The footnotes: an id per identifier (given in order of first use), and each note's paragraphs. */
  footnote: { id(identifier: string): number; set(id: number, children: unknown[]): void };
  /** Ours: how deep the current list is nested, when deeper than `list.level` can say (Word stops at 8). */
  listDepth?: number;
  /** Ours: the list level whose item a later paragraph continues (indented, no new bullet). */
  continues?: number;
  /** Ours: a number written before an item's first paragraph (ordered lists not starting at 1). */
  label?: { runs: ParagraphChild[]; level: number };
  /** Ours: the language of this side of a bilingual table, when not the document's. */
  lang?: string;
  /** Ours: the second side of a bilingual table carries no bookmarks (the first has them). */
  noBookmarks?: boolean;
  /** Ours: the text this content comes from, when not the document's (a bilingual edition's second). */
  text?: TextData;
  /** Ours: set flush left (a bilingual table's cells, which Word and LibreOffice do not hyphenate). */
  ragged?: boolean;
  /** Ours: the table whose bookmarks are set around it (markdownTable writes it). */
  bookmarked?: MdTable;
  /** remark-docx's: the text runs right to left. */
  rtl?: boolean;
}

/** Word's default left and right margin of a table cell, in twips. */
const CELL_MARGIN = 108;

/** A bilingual body: rows of the original's blocks beside their translations. */
export interface ParallelNode {
  type: 'editionsParallel';
  /** Side by side in a table, or each block followed by its translation. */
  layout: 'side-by-side' | 'alternating';
  languages: [string, string];
  /** Column headings: the two languages' names. */
  header: [string, string];
  rows: { first: RootContent[]; second: RootContent[]; item?: Block['item'] }[];
}

/** One text's footnote definitions, written into footnotes.xml (they print nothing in the body). */
export interface NotesNode {
  type: 'editionsNotes';
  /** Set for the notes of a bilingual edition's second text: its language. */
  secondLang?: string;
  children: FootnoteDefinition[];
}

type Builder = (node: never, ctx: Ctx) => unknown;
/**
 * A remark-docx plugin: given the tree, builders by node type; a builder returning null falls
 * back to remark-docx's.
 */
export type DocxPlugin = (context: { root: Root }) => Promise<Record<string, Builder>>;

/** What the builders read from one text of the edition (a bilingual edition has two). */
export interface TextData {
  /** The source file, for the positions of warnings. */
  file: string;
  images: ReadonlyMap<string, ImageAsset>;
  /** Link and image definitions, by their (normalised, lower-case) identifier. */
  definitions: ReadonlyMap<string, Definition>;
  /** URI schemes a link may use beyond the built-in ones (the project config's). */
  linkSchemes: readonly string[];
  /**
   * Put before this text's footnote identifiers: both texts of a bilingual edition may have a
   * `[^1]`, and each mark must reach its own text's note.
   */
  notePrefix: string;
}

/** A warning from the builders, at its place in a text's source. */
export interface BuilderWarning {
  message: string;
  hint: string;
  file: string;
  place?: Point;
}

/** Everything the builders need to know about the document. */
export interface BuilderData {
  /** Section ID of each heading node. */
  headingIds: WeakMap<Heading, string>;
  /** The ID of a section without a heading (the preamble), by the ID of its first block: that block carries its bookmark. */
  opens: ReadonlyMap<string, string>;
  /** The bookmark name of each stable ID (Word limits their length). */
  bookmark: BookmarkNames;
  /** BCP 47 tag written as w:lang on every run. */
  lang: string;
  /** The document's text. */
  text: TextData;
  /** A bilingual edition's second text. */
  partner?: TextData;
  monoFont: string | { ascii: string; hAnsi: string; cs: string; eastAsia: string };
  /** Blocks of our own (title page, colophon, contents placeholder), by node type. */
  custom: Record<string, (node: never) => Paragraph[]>;
  /** Receives what had to be changed or left out. */
  warn?: (warning: BuilderWarning) => void;
  /** The language of CJK characters quoted in a text that is not CJK itself (the theme's CJK fallback's). */
  quoted?: string;
}

/** Word's deepest list level (w:ilvl 0-8); docx throws beyond 9. */
export const MAX_LIST_LEVEL = 8;

/** The node types remark-docx 0.3.29 has builders for (its mdast-util-to-docx). */
const REMARK_DOCX_TYPES = new Set([
  'paragraph', 'heading', 'thematicBreak', 'blockquote', 'list', 'listItem', 'table', 'tableRow', 'tableCell', 'html', 'code', 'definition',
  'footnoteDefinition', 'text', 'emphasis', 'strong', 'delete', 'inlineCode', 'break', 'link', 'linkReference', 'image', 'imageReference',
  'footnoteReference', 'math', 'inlineMath',
]);

export function buildersPlugin(data: BuilderData): DocxPlugin {
  const language = languageOf(data.lang);
  const textOf = (ctx: Ctx) => ctx.text ?? data.text;
  const warn = (ctx: Ctx, node: Nodes, message: string, hint: string) =>
    data.warn?.({ message, hint, file: textOf(ctx).file, ...(node.position && { place: node.position.start }) });
  const noteKey = (ctx: Ctx, identifier: string) => `${textOf(ctx).notePrefix}${identifier}`;
  /** The footnote ids of each note's marks, by note key. */
  const marks = new Map<string, number[]>();
  const run = (text: string, ctx: Ctx, extra: Record<string, unknown> = {}) =>
    new TextRun({
      language: runLanguage(ctx.lang ? languageOf(ctx.lang) : language, text, data.quoted),
      text,
      bold: ctx.style.bold,
      italics: ctx.style.italic,
      strike: ctx.style.strike,
      ...(ctx.style.inlineCode && { font: data.monoFont }),
      ...(ctx.style.link && { style: 'Hyperlink' }),
      ...extra,
    });

  /** The bookmarks a block carries: its own, and its section's when it opens one without a heading. */
  const bookmarksOf = (id: string) => [id, ...(data.opens.has(id) ? [data.opens.get(id)!] : [])];
  // docx numbers every bookmark 1; package.ts renumbers them in order, starts and ends paired.
  const around = <T>(id: string, inside: T[]): (T | BookmarkStart | BookmarkEnd)[] => {
    const names = bookmarksOf(id);
    return [...names.map((n) => new BookmarkStart(data.bookmark(n), 1)), ...inside, ...names.map(() => new BookmarkEnd(1))];
  };
  const bookmarked = (ctx: Ctx, id: string, children: ParagraphChild[]): ParagraphChild[] =>
    ctx.noBookmarks ? children : (around(id, children) as ParagraphChild[]);

  const builders: Record<string, Builder> = {
    /** Headings: Heading 1-6 by depth (not Title for "#"), with a bookmark named by the section ID (bookmarks.ts). */
    heading: (node: Heading, ctx) => {
      const id = data.headingIds.get(node);
      const children = ctx.render(node.children, ctx) as ParagraphChild[];
      return new Paragraph({
        heading: HEADINGS[Math.min(node.depth, 6) - 1],
        outlineLevel: node.depth - 1,
        keepNext: true,
        children: id ? [new Bookmark({ id: data.bookmark(id), children })] : children,
      });
    },
    /**
     * A paragraph with a stable ID carries a bookmark of that name. A paragraph that is one
     * titled image is a figure: its title follows as a caption, as in the HTML and the PDF.
     */
    paragraph: (node: MdParagraph, ctx) => {
      const id = node.data?.id;
      if (!id && !node.data?.ragged) return null;
      const children = ctx.render(node.children, ctx) as ParagraphChild[];
      const paragraph = paragraphIn(ctx, id ? bookmarked(ctx, id, children) : children, node.data?.ragged || ctx.ragged, node.data?.tight);
      const caption = figureCaption(node, textOf(ctx));
      return caption ? [paragraph, new Paragraph({ style: 'Caption', children: [run(caption, ctx)] })] : paragraph;
    },
    /**
     * A table with a stable ID stands between the start and the end of its bookmark (a link can
     * point at any block). The bookmark is not a paragraph's: it stands beside the table, in the
     * body or the cell, where the schema allows it.
     */
    table: (node: MdTable, ctx) => {
      const id = node.data?.id;
      if (id && !ctx.noBookmarks && ctx.bookmarked !== node) return around(id, ctx.render([node], { ...ctx, bookmarked: node }));
      return markdownTable(node, ctx);
    },
    /** Blocks in another language than the document's (a packet cover's second half). */
    editionsLang: (node: { lang: string; children: RootContent[] }, ctx) => node.children.flatMap((n) => ctx.render([n], { ...ctx, lang: node.lang, noBookmarks: true })),
    /**
     * The bilingual body: one borderless two-column table whose header row (the languages)
     * repeats on every page; each row a heading or block beside its translation.
     */
    editionsParallel: (node: ParallelNode, ctx) => {
      const [a, b] = node.languages;
      // A table in a column is as wide as the column (less the cell's margins), not the page:
      // LibreOffice cuts off what stands past the cell.
      const width = ctx.width / 2 - 2 * CELL_MARGIN;
      // Flush left: justified without hyphenation, a half-page column spreads its words.
      const second: Ctx = { ...ctx, lang: b, noBookmarks: true, width, ragged: true, ...(data.partner && { text: data.partner }) };
      const cell = (nodes: RootContent[], side: Ctx, item: Block['item']) => {
        const label: Ctx['label'] =
          item?.first ? { runs: [run(item.ordered ? `${item.number}.` : '\u2022', side), new TextRun({ children: [new Tab()] })], level: 0 } : undefined;
        const rendered = nodes.flatMap((n) => ctx.render([n], { ...side, ...(label && n.type === 'paragraph' && { label }) }));
        return new TableCell({ width: { size: 50, type: WidthType.PERCENTAGE }, children: rendered.length > 0 ? (rendered as Paragraph[]) : [new Paragraph({})] });
      };
      if (node.layout === 'alternating') {
        return node.rows.flatMap((r) => [
          ...r.first.flatMap((n) => ctx.render([n], { ...ctx, lang: a })),
          ...r.second.flatMap((n) => ctx.render([n], second)),
        ]);
      }
      const header = new TableRow({
        tableHeader: true,
        children: node.header.map((h, i) => new TableCell({ children: [new Paragraph({ children: [run(h, { ...ctx, lang: node.languages[i] }, { bold: true })] })] })),
      });
      return new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        borders: TableBorders.NONE,
        rows: [
          header,
          ...node.rows.map(
            // A heading's row is kept whole; a block's may run onto the next page, as a paragraph
            // does (rows kept whole left pages a third empty).
            (r) =>
              new TableRow({
                ...(r.first.some((n) => n.type === 'heading') && { cantSplit: true }),
                children: [cell(r.first, { ...ctx, lang: a, width, ragged: true }, r.item), cell(r.second, second, r.item)],
              }),
          ),
        ],
      });
    },
    text: (node: Text, ctx) => run(node.value.replace(/\n/g, ' '), ctx),
    break: (_node: unknown, ctx) => run('', ctx, { break: 1 }),
    inlineCode: (node: { value: string }, ctx) => run(node.value, { ...ctx, style: { ...ctx.style, inlineCode: true } }),
    /** `#id` links become internal hyperlinks to the bookmark (remark-docx writes them as plain text). */
    link: (node: Link, ctx) => {
      // The model unlinked every address no reader should follow; one that reaches here anyway
      // (a bug) is set as its text, never written as a relationship to open.
      if (!node.url.startsWith('#') && unfollowable(node.url, textOf(ctx).linkSchemes)) return ctx.render(node.children, ctx);
      if (!node.url.startsWith('#')) return null;
      return new InternalHyperlink({
        anchor: data.bookmark(percentDecode(node.url.slice(1))),
        children: ctx.render(node.children, { ...ctx, style: { ...ctx.style, link: true } }) as ParagraphChild[],
      });
    },
    /**
     * `[text][ref]`: the link its text's definition makes. remark-docx looks definitions up in
     * the tree it is given, which holds none (the model keeps them apart).
     */
    linkReference: (node: LinkReference, ctx) => {
      const definition = textOf(ctx).definitions.get(node.identifier);
      if (!definition) return null;
      const link: Link = { type: 'link', url: definition.url, title: definition.title ?? null, children: node.children, ...(node.position && { position: node.position }) };
      return ctx.render([link], ctx);
    },
    /** `![alt][ref]`: the image its text's definition names. */
    imageReference: (node: ImageReference, ctx) => {
      const definition = textOf(ctx).definitions.get(node.identifier);
      if (!definition) return null;
      const image: Image = { type: 'image', url: definition.url, title: definition.title ?? null, alt: node.alt ?? null, ...(node.position && { position: node.position }) };
      return ctx.render([image], ctx);
    },
    /**
     * A note mark, pointing at its own text's note (a bilingual edition has two sets of notes).
     * A note cited twice gets a footnote for each mark, as Word numbers them: LibreOffice gives
     * a second mark of the same footnote the next footnote's text.
     */
    footnoteReference: (node: FootnoteReference, ctx) => {
      const key = noteKey(ctx, node.identifier);
      const ids = marks.get(key) ?? [];
      const id = ctx.footnote.id(ids.length === 0 ? key : `${key}\u0000${ids.length}`);
      marks.set(key, [...ids, id]);
      return new FootnoteReferenceRun(id);
    },
    /**
     * A note, into footnotes.xml once for each of its marks, in its own text's language; a note
     * with no mark, none (as in the other formats: a packet's documents bring the notes of the
     * sections it leaves out).
     */
    footnoteDefinition: (node: FootnoteDefinition, ctx) => {
      const key = noteKey(ctx, node.identifier);
      for (const id of marks.get(key) ?? []) {
        ctx.footnote.set(id, ctx.render(node.children, ctx).filter((p) => p instanceof Paragraph));
      }
      // Not null: remark-docx's own builder would write the note again, under the bare identifier.
      return [];
    },
    /** One text's notes: rendered for footnotes.xml only (the second text's in its language). */
    editionsNotes: (node: NotesNode, ctx) => {
      ctx.render(node.children, node.secondLang && data.partner ? { ...ctx, lang: node.secondLang, text: data.partner } : ctx);
      return null;
    },
    /**
     * Quotes nest as remark-docx nests them, each level indented further, up to the depth of
     * Word's lists: deeper levels keep that indent, so text quoted a hundred deep stays on the page.
     */
    blockquote: (node: Blockquote, ctx) => ctx.render(node.children, { ...ctx, quote: Math.min(ctx.quote == null ? 0 : ctx.quote + 1, MAX_LIST_LEVEL) }),
    /** Code in the monospace font, line by line (remark-docx writes it as plain body text), with its bookmark. */
    code: (node: Code, ctx) => {
      const lines = node.value.split('\n').map((line, i) => run(line, ctx, { font: data.monoFont, size: 18, ...(i > 0 && { break: 1 }) }));
      return paragraphIn(ctx, node.data?.id ? bookmarked(ctx, node.data.id, lines) : lines);
    },
    /**
     * A list item's first paragraph carries the bullet or number; its later paragraphs continue
     * the item at the same indent (remark-docx gives each its own bullet). Nested lists keep the
     * list context, so they still nest.
     */
    listItem: (node: ListItem, ctx) => {
      if (node.checked != null || !ctx.list || node.children.length < 2) return null;
      const [first, ...rest] = node.children;
      const continued: Ctx = { ...ctx, list: undefined, continues: ctx.list.level };
      return [...ctx.render([first], ctx), ...rest.flatMap((child) => ctx.render([child], child.type === 'list' ? ctx : continued))];
    },
    /**
     * remark-docx numbers every ordered list from 1 (its issue #39): a list that starts
     * elsewhere gets its numbers written, with the same hanging indent as a numbered item.
     * A list nested deeper than Word's levels is set at the deepest one, with a warning.
     */
    list: (node: List, ctx) => {
      const depth = ctx.list ? (ctx.listDepth ?? ctx.list.level) + 1 : 0;
      // Word has nine list levels, 0-8 (docx throws at 10): deeper lists stay at the ninth.
      const level = Math.min(depth, MAX_LIST_LEVEL);
      if (depth === MAX_LIST_LEVEL + 1) {
        warn(
          ctx,
          node,
          `the list is nested ${depth + 1} levels deep and Word has ${MAX_LIST_LEVEL + 1}: in the DOCX, it and the lists inside it are set at the ${MAX_LIST_LEVEL + 1}th level`,
          `nest lists at most ${MAX_LIST_LEVEL + 1} levels deep`,
        );
      }
      const start = node.start ?? 1;
      if (!node.ordered || start === 1) {
        if (depth === level) return null;
        // remark-docx's own list, at the clamped level (its numbering shared with an ordered parent's).
        const meta: ListMeta = !node.ordered
          ? { type: 'bullet' }
          : { type: 'ordered', reference: ctx.list?.meta.type === 'ordered' ? ctx.list.meta.reference : ctx.orderedId() };
        return ctx.render(node.children, { ...ctx, list: { level, meta }, listDepth: depth });
      }
      // A list inside a labelled item nests under it, as in a numbered item: the list context
      // says how deep it stands (its kind is the inner list's own to say).
      const nested: Ctx = { ...ctx, list: { level, meta: { type: 'bullet' } }, listDepth: depth };
      return node.children.flatMap((item, i) => {
        const [first, ...rest] = item.children;
        const runs = [run(`${start + i}.`, ctx), new TextRun({ children: [new Tab()], language })];
        const labelled: Ctx = { ...ctx, list: undefined, label: { runs, level } };
        const continued: Ctx = { ...ctx, list: undefined, continues: level };
        return [...(first ? ctx.render([first], labelled) : []), ...rest.flatMap((child) => ctx.render([child], child.type === 'list' ? nested : continued))];
      });
    },
    // Raw HTML: reported by the model where it stands (unsupported-content), and left out as in
    // every format. Nothing, not null: null hands the node on to remark-docx's own builder,
    // which prints the markup as text.
    html: () => [],
    /** An image of its own text (a translation may have images the original has not). */
    image: (node: Image, ctx) => {
      const asset = textOf(ctx).images.get(node.url);
      // The model read every image of the text, and reported each it could not: its
      // alternative text stands in its place.
      if (!asset) return node.alt ? run(node.alt, ctx) : [];
      // 96 px to the inch (15 twips a pixel), at most 6 inches wide, and no wider than the
      // column it stands in (a bilingual edition's is half the page).
      const width = Math.min(asset.width, 576, Math.floor(ctx.width / 15));
      const scale = width / asset.width;
      return new ImageRun({
        type: asset.mediaType === 'image/png' ? 'png' : 'jpg',
        data: asset.data,
        transformation: { width, height: Math.round(asset.height * scale) },
        altText: { name: node.alt ?? '', description: node.alt ?? '', title: node.title ?? node.alt ?? '' },
      });
    },
  };
  for (const [type, make] of Object.entries(data.custom)) builders[type] = (node: never) => make(node);
  /**
   * remark-docx drops a node no builder knows with a console warning and no place. It has no
   * default builder to hook, but it hands plugins the tree: every unknown type in it gets a
   * builder that reports the node at its place (and still leaves it out).
   */
  const unknown: Builder = (node: Nodes, ctx) => {
    warn(ctx, node, `the DOCX edition cannot write a "${node.type}" node; it is left out`, 'this is a bug in editions: report it with the source that made it');
    return null;
  };
  return async ({ root }) => {
    for (const type of nodeTypes(root)) if (!(type in builders) && !REMARK_DOCX_TYPES.has(type)) builders[type] = unknown;
    return builders;
  };
}

/** The node types in `node` and under it, including our own containers' contents. */
function nodeTypes(node: { type: string }, types = new Set<string>()): Set<string> {
  types.add(node.type);
  const inside = [
    ...('children' in node && Array.isArray(node.children) ? node.children : []),
    ...(node.type === 'editionsParallel' ? (node as ParallelNode).rows.flatMap((r) => [...r.first, ...r.second]) : []),
  ] as { type: string }[];
  for (const child of inside) nodeTypes(child, types);
  return types;
}

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;

/**
 * The title of the one image a paragraph holds (with nothing but spaces beside it), if it has
 * one and the image could be read: one that could not is its alternative text, in a paragraph.
 */
function figureCaption(node: MdParagraph, text: { definitions: ReadonlyMap<string, Definition>; images: ReadonlyMap<string, unknown> }): string | undefined {
  const content = node.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
  const only = content.length === 1 ? content[0] : undefined;
  const definition = only?.type === 'imageReference' ? text.definitions.get(only.identifier) : undefined;
  const [url, title] = only?.type === 'image' ? [only.url, only.title] : [definition?.url, definition?.title];
  return (url !== undefined && text.images.has(url) && title) || undefined;
}

/**
 * A Markdown table as remark-docx 0.3.29 writes it (its columns sharing the width, each cell one
 * paragraph aligned as its column), and its header row marked as one (w:tblHeader): Word repeats
 * it on each page, and its accessibility checker and screen readers take it as the header. A
 * header row with no text in any cell (the model warns of it, table-header) is not called one.
 */
function markdownTable(node: MdTable, ctx: Ctx): Table {
  const columns = node.children[0]?.children.length ?? 1;
  const width = ctx.width / columns;
  const header = node.children[0] !== undefined && !emptyRow(node.children[0]);
  return new Table({
    columnWidths: Array.from({ length: columns }, () => width),
    ...(ctx.rtl && { visuallyRightToLeft: true }),
    rows: node.children.map(
      (row, r) =>
        new TableRow({
          ...(r === 0 && header && { tableHeader: true }),
          children: row.children.map(
            (cell, c) =>
              new TableCell({
                width: { size: width, type: WidthType.DXA },
                children: [new Paragraph({ alignment: ALIGNMENT[node.align?.[c] ?? 'left'], children: ctx.render(cell.children, { ...ctx, rtl: undefined }) as ParagraphChild[] })],
              }),
          ),
        }),
    ),
  });
}

const ALIGNMENT = { left: AlignmentType.LEFT, right: AlignmentType.RIGHT, center: AlignmentType.CENTER } as const;

/** A paragraph placed as remark-docx places its own: indented in quotes, numbered in lists. */
function paragraphIn(ctx: Ctx, children: ParagraphChild[], ragged = false, tight = false): Paragraph {
  const options: Record<string, unknown> = { children, ...(ragged && { alignment: AlignmentType.LEFT }), ...(tight && { spacing: { after: 0 } }) };
  if (ctx.label) {
    options.children = [...ctx.label.runs, ...children];
    options.indent = { hanging: 400, left: 400 * (ctx.label.level + 1) };
  }
  if (ctx.quote != null) options.indent = { hanging: 400, left: 400 * (ctx.quote + 2) };
  if (ctx.continues != null) options.indent = { left: 400 * (ctx.continues + 1) };
  if (ctx.list) {
    const { level, meta } = ctx.list;
    options.numbering = { reference: meta.type === 'ordered' ? meta.reference : 'bullet', level };
  }
  return new Paragraph(options);
}

/** w:lang, with the East Asian language set where the text is Chinese, Japanese or Korean. */
export function languageOf(lang: string): { value: string; eastAsia?: string } {
  const base = lang.split('-')[0]!;
    // Proofing needs a region; the paper's spelling is American ("organization", "labor").
  const word = lang === 'zh-Hans' ? 'zh-CN' : lang === 'zh-Hant' ? 'zh-TW' : lang === 'en' ? 'en-US' : lang === 'es' ? 'es-ES' : lang;
  return ['zh', 'ja', 'ko'].includes(base) ? { value: word, eastAsia: word } : { value: word };
}

/**
 * A run's w:lang: its text's language `own`, and where `text` quotes CJK characters in a text
 * that is not CJK, their language (`quoted`, the theme's CJK fallback's) as w:eastAsia.
 */
export function runLanguage(own: { value: string; eastAsia?: string }, text: string, quoted: string | undefined): { value: string; eastAsia?: string } {
  return quoted && !own.eastAsia && CJK.test(text) ? { ...own, eastAsia: languageOf(quoted).value } : own;
}

/** Paragraphs of our own, in a fixed style. */
export function plainParagraph(text: string, options: { style?: string; bold?: boolean; size?: number; color?: string; lang: string; pageBreakBefore?: boolean; alignment?: 'left' | 'center' }): Paragraph {
  return new Paragraph({
    ...(options.style && { style: options.style }),
    ...(options.pageBreakBefore && { pageBreakBefore: true }),
    alignment: options.alignment === 'center' ? AlignmentType.CENTER : AlignmentType.LEFT,
    children: [new TextRun({ text, bold: options.bold, size: options.size, color: options.color, language: languageOf(options.lang) })],
  });
}

export function pageBreak(): Paragraph {
  return new Paragraph({ children: [new PageBreak()] });
}

