/**
 * remark-docx builder overrides, keyed by mdast node type (plus three of our own for the title
 * page, the colophon and the contents). remark-docx falls back to its own builder when one of
 * these returns null.
 */
import {
  AlignmentType,
  Bookmark,
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
import type { Code, Heading, Image, Link, List, ListItem, Paragraph as MdParagraph, RootContent, Text } from 'mdast';
import type { Block } from '../../model/types.js';

/**
 * remark-docx's builder context (its types do not resolve under NodeNext, see FINDINGS.md): the
 * part the overrides use.
 */
interface Ctx {
  render(nodes: readonly unknown[], ctx?: Ctx): unknown[];
  style: { bold?: boolean; italic?: boolean; strike?: boolean; inlineCode?: boolean; link?: boolean };
  quote?: number;
  list?: { level: number; meta: { type: 'bullet' } | { type: 'ordered'; reference: string } | { type: 'task'; checked: boolean } };
  /** Ours: the list level whose item a later paragraph continues (indented, no new bullet). */
  continues?: number;
  /** Ours: a number written before an item's first paragraph (ordered lists not starting at 1). */
  label?: { runs: ParagraphChild[]; level: number };
  /** Ours: the language of this side of a bilingual table, when not the document's. */
  lang?: string;
  /** Ours: the second side of a bilingual table carries no bookmarks (the first has them). */
  noBookmarks?: boolean;
}

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

type Builder = (node: never, ctx: Ctx) => unknown;
/** A remark-docx plugin: builders by node type; a builder returning null falls back to remark-docx's. */
export type DocxPlugin = () => Promise<Record<string, Builder>>;
import type { ImageAsset } from '../../model/images.js';

/** Everything the builders need to know about the document. */
export interface BuilderData {
  /** Section ID of each heading node. */
  headingIds: WeakMap<Heading, string>;
  /** BCP 47 tag written as w:lang on every run. */
  lang: string;
  images: ReadonlyMap<string, ImageAsset>;
  monoFont: string | { ascii: string; hAnsi: string; cs: string; eastAsia: string };
  /** Blocks of our own (title page, colophon, contents placeholder), by node type. */
  custom: Record<string, (node: never) => Paragraph[]>;
}

export function buildersPlugin(data: BuilderData): DocxPlugin {
  const language = languageOf(data.lang);
  const run = (text: string, ctx: Ctx, extra: Record<string, unknown> = {}) =>
    new TextRun({
      ...(ctx.lang && { language: languageOf(ctx.lang) }),
      text,
      bold: ctx.style.bold,
      italics: ctx.style.italic,
      strike: ctx.style.strike,
      ...(ctx.style.inlineCode && { font: data.monoFont }),
      ...(ctx.style.link && { style: 'Hyperlink' }),
      ...(!ctx.lang && { language }),
      ...extra,
    });

  const builders: Record<string, Builder> = {
    /** Headings: Heading 1-6 by depth (not Title for "#"), with a bookmark named by the section ID. */
    heading: (node: Heading, ctx) => {
      const id = data.headingIds.get(node);
      const children = ctx.render(node.children, ctx) as ParagraphChild[];
      return new Paragraph({
        heading: HEADINGS[Math.min(node.depth, 6) - 1],
        outlineLevel: node.depth - 1,
        keepNext: true,
        children: id ? [new Bookmark({ id, children })] : children,
      });
    },
    /** A paragraph with a stable ID carries a bookmark of that name. */
    paragraph: (node: MdParagraph, ctx) => {
      const id = node.data?.id;
      if (!id) return null;
      const children = ctx.render(node.children, ctx) as ParagraphChild[];
      return paragraphIn(ctx, ctx.noBookmarks ? children : [new Bookmark({ id, children })], node.data?.ragged);
    },
    /** Blocks in another language than the document's (a packet cover's second half). */
    editionsLang: (node: { lang: string; children: RootContent[] }, ctx) => node.children.flatMap((n) => ctx.render([n], { ...ctx, lang: node.lang, noBookmarks: true })),
    /**
     * The bilingual body: one borderless two-column table whose header row (the languages)
     * repeats on every page; each row a heading or block beside its translation.
     */
    editionsParallel: (node: ParallelNode, ctx) => {
      const [a, b] = node.languages;
      const cell = (nodes: RootContent[], side: Ctx, item: Block['item']) => {
        const label: Ctx['label'] =
          item?.first ? { runs: [run(item.ordered ? `${item.number}.` : '\u2022', side), new TextRun({ children: [new Tab()] })], level: 0 } : undefined;
        const rendered = nodes.flatMap((n) => ctx.render([n], { ...side, ...(label && n.type === 'paragraph' && { label }) }));
        return new TableCell({ width: { size: 50, type: WidthType.PERCENTAGE }, children: rendered.length > 0 ? (rendered as Paragraph[]) : [new Paragraph({})] });
      };
      if (node.layout === 'alternating') {
        return node.rows.flatMap((r) => [
          ...r.first.flatMap((n) => ctx.render([n], { ...ctx, lang: a })),
          ...r.second.flatMap((n) => ctx.render([n], { ...ctx, lang: b, noBookmarks: true })),
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
            (r) => new TableRow({ cantSplit: true, children: [cell(r.first, { ...ctx, lang: a }, r.item), cell(r.second, { ...ctx, lang: b, noBookmarks: true }, r.item)] }),
          ),
        ],
      });
    },
    text: (node: Text, ctx) => run(node.value.replace(/\n/g, ' '), ctx),
    break: (_node: unknown, ctx) => run('', ctx, { break: 1 }),
    inlineCode: (node: { value: string }, ctx) => run(node.value, { ...ctx, style: { ...ctx.style, inlineCode: true } }),
    /** `#id` links become internal hyperlinks to the bookmark (remark-docx writes them as plain text). */
    link: (node: Link, ctx) => {
      if (!node.url.startsWith('#')) return null;
      return new InternalHyperlink({
        anchor: decodeURIComponent(node.url.slice(1)),
        children: ctx.render(node.children, { ...ctx, style: { ...ctx.style, link: true } }) as ParagraphChild[],
      });
    },
    /** Code in the monospace font, line by line (remark-docx writes it as plain body text). */
    code: (node: Code, ctx) =>
      paragraphIn(
        ctx,
        node.value.split('\n').map((line, i) => run(line, ctx, { font: data.monoFont, size: 18, ...(i > 0 && { break: 1 }) })),
      ),
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
     */
    list: (node: List, ctx) => {
      const start = node.start ?? 1;
      if (!node.ordered || start === 1) return null;
      const level = ctx.list ? ctx.list.level + 1 : 0;
      return node.children.flatMap((item, i) => {
        const [first, ...rest] = item.children;
        const runs = [run(`${start + i}.`, ctx), new TextRun({ children: [new Tab()], language })];
        const labelled: Ctx = { ...ctx, list: undefined, label: { runs, level } };
        const continued: Ctx = { ...ctx, list: undefined, continues: level };
        return [...(first ? ctx.render([first], labelled) : []), ...ctx.render(rest, continued)];
      });
    },
    image: (node: Image) => {
      const asset = data.images.get(node.url);
      if (!asset) return null;
      // 96 px to the inch, at most 6 inches wide.
      const scale = Math.min(1, 576 / asset.width);
      return new ImageRun({
        type: asset.mediaType === 'image/png' ? 'png' : 'jpg',
        data: asset.data,
        transformation: { width: Math.round(asset.width * scale), height: Math.round(asset.height * scale) },
        altText: { name: node.alt ?? '', description: node.alt ?? '', title: node.title ?? node.alt ?? '' },
      });
    },
  };
  for (const [type, make] of Object.entries(data.custom)) builders[type] = (node: never) => make(node);
  return async () => builders;
}

const HEADINGS = [
  HeadingLevel.HEADING_1,
  HeadingLevel.HEADING_2,
  HeadingLevel.HEADING_3,
  HeadingLevel.HEADING_4,
  HeadingLevel.HEADING_5,
  HeadingLevel.HEADING_6,
] as const;

/** A paragraph placed as remark-docx places its own: indented in quotes, numbered in lists. */
function paragraphIn(ctx: Ctx, children: ParagraphChild[], ragged = false): Paragraph {
  const options: Record<string, unknown> = { children, ...(ragged && { alignment: AlignmentType.LEFT }) };
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

