/**
 * mdast -> flow blocks for the print edition. Inline and block handlers are keyed by node type,
 * as in the HTML edition; every character is checked against its font before anything is
 * drawn, and a missing glyph is reported at its place in the source.
 */
import type { Definition, FootnoteDefinition, Heading, Image, ImageReference, List, Nodes, PhrasingContent, RootContent, Table } from 'mdast';
import type { Point, Report } from '../../messages.js';
import type { Section } from '../../model/types.js';
import type { FontBook, FontStyle } from './fonts.js';
import type { Cell, FigureImage, FlowBlock, Frame } from './flow.js';
import type { ImageAsset } from '../../model/images.js';
import { unfollowable } from '../../model/links.js';
import { emptyRow } from '../../model/tables.js';
import { percentDecode } from '../../shared/uri.js';
import { breakLines, type BreakOptions, type Link, type Span, type TotalFitOptions } from './lines.js';
import type { ColorName, LoadedTheme } from '../../theme/theme.js';

/** An image node of inline content, with the link it stands in (`[![chart](c.png)](https://...)`). */
interface LinkedImage {
  node: Image | ImageReference;
  link?: Link;
}

export interface InlineStyle extends FontStyle {
  size: number;
  color: string;
  link?: Link;
  linkId?: number;
  strike?: boolean;
  /** Insert soft hyphens (justified body text only: never headings, code or links). */
  hyphenate?: boolean;
}

/** Where text came from, for messages about it. */
export interface Origin {
  file: string;
  /** Added to the source's line numbers (templates rendered to Markdown start at 1). */
  place(node: Nodes, offset?: number): Point | undefined;
}

export interface BlockStyle {
  font: FontStyle;
  size: number;
  leading: number;
  color: string;
  justify: boolean;
  spaceBefore: number;
  spaceAfter: number;
  /** Points kept free at the right of the text area (quotations). */
  rightIndent?: number;
  /** The first line's indent (a Chinese body paragraph's two characters). */
  firstIndent?: number;
  /** Body text ragged right by the theme's layout: hyphenated, and broken total-fit to an even rag. */
  ragged?: boolean;
}

export interface FlowOptions {
  fonts: FontBook;
  /** URI schemes a link may use beyond the built-in ones (the project config's). */
  linkSchemes: readonly string[];
  theme: LoadedTheme;
  report: Report;
  /** The language of the text: it picks the fonts (a language may have its own). */
  lang: string;
  /** Inserts soft hyphens by the language's patterns. */
  hyphenate?: (text: string) => string;
  definitions: ReadonlyMap<string, Definition>;
  contentWidth: number;
  /** The page's text height: a figure is never taller than 60% of it. */
  contentHeight: number;
  images: ReadonlyMap<string, ImageAsset>;
  /** pdfkit's image parser: throws on an image it cannot read. */
  openImage: (data: Buffer) => unknown;
  /**
   * Set when several builders share one document (a bilingual edition): frame keys and footnote
   * destinations take it, so they stay unique.
   */
  prefix?: string;
  /** False in the second column of a bilingual edition: the first column's blocks carry the IDs. */
  ids?: boolean;
  /** Body text set ragged right, not justified (the theme's lines.raggedRight for the layout). */
  ragged?: boolean;
}

export class FlowBuilder {
  readonly blocks: FlowBlock[] = [];
  readonly fonts: FontBook;
  readonly theme: LoadedTheme;
  readonly lang: string;
  readonly contentWidth: number;
  readonly linkSchemes: readonly string[];
  private frameCount = 0;
  private linkCount = 0;
  private readonly footnoteNumbers = new Map<string, number>();
  private inlineImages: LinkedImage[] | undefined;
  readonly footnotesUsed: string[] = [];
  /** Set in Chinese or Japanese: the CLREQ rules of lines apply. */
  readonly cjk: boolean;
  private readonly fit: TotalFitOptions | undefined;

  constructor(private readonly o: FlowOptions) {
    this.fonts = o.fonts;
    this.theme = o.theme;
    this.lang = o.lang;
    this.contentWidth = o.contentWidth;
    this.linkSchemes = o.linkSchemes;
    this.cjk = /^(zh|ja)(-|$)/i.test(o.lang);
    const l = o.theme.lines;
    this.fit =
      l.breaking === 'total-fit'
        ? {
            tolerance: l.tolerance,
            linePenalty: l.linePenalty,
            hyphenPenalty: l.hyphenPenalty,
            doubleHyphenDemerits: l.doubleHyphenDemerits,
            finalHyphenDemerits: l.finalHyphenDemerits,
            adjDemerits: l.adjDemerits,
            maxHyphenRun: l.maxHyphenatedLines,
            looseness: l.looseness,
            emergencyStretch: l.emergencyStretch * o.theme.body.size,
            spaceStretch: l.spaceStretch,
            spaceShrink: l.spaceShrink,
            cjkStretch: l.cjkStretch,
            raggedStretch: l.raggedStretch * o.theme.body.size,
            raggedHyphenPenalty: l.raggedHyphenPenalty,
          }
        : undefined;
  }

  /** How lines of text in `style` break. */
  breakOptions(style: BlockStyle, width: number): BreakOptions {
    const chinese = this.theme.lines.chinese;
    return {
      width,
      justify: style.justify,
      leading: style.leading,
      ...(this.fit && { fit: this.fit }),
      ...(style.ragged && { ragged: true }),
      ...(style.firstIndent && { firstIndent: style.firstIndent }),
      ...(this.cjk && chinese.compressPunctuation && { trimPunctuation: true }),
      ...(this.cjk && chinese.minLastLine > 0 && { minLastLine: chinese.minLastLine }),
    };
  }

  /** The font key for `style` in this builder's language. */
  fontKey(style: FontStyle): string {
    return this.fonts.key(style, this.lang);
  }

  /** A block's stable ID as named destinations: none in a second column (the first has them). */
  ids(id: string | undefined): string[] {
    return id && this.o.ids !== false ? [id] : [];
  }

  /** The destination of footnote `id`'s text. */
  noteDest(id: string): string {
    return `fn-${this.o.prefix ?? ''}${id}`;
  }

  /** The image file an image node names, if the model could read it (it reported any it could not). */
  private asset(node: Image | ImageReference): ImageAsset | undefined {
    const url = node.type === 'image' ? node.url : this.definition(node.identifier)?.url;
    return url === undefined ? undefined : this.o.images.get(url);
  }

  /**
   * The image an image node shows, at its natural size (96 px to the inch), with the link it
   * stands in, or undefined after saying why it cannot be set: never dropped silently.
   */
  image({ node, link }: LinkedImage, origin: Origin): FigureImage | undefined {
    const asset = this.asset(node)!;
    let source: unknown;
    try {
      source = this.o.openImage(asset.data);
    } catch (e) {
      this.o.report.error('image', `the image "${asset.url}" cannot be read: ${(e as Error).message}`, {
        file: origin.file,
        place: origin.place(node),
        hint: 'open and export it again as PNG or JPEG',
      });
      return undefined;
    }
    return { source, width: asset.width * 0.75, height: asset.height * 0.75, alt: node.alt ?? '', ...(link && { link }) };
  }

  /** `image` fitted into `width` points and 60% of the page's text height, its proportions kept. */
  fitted(image: FigureImage, available: number): FigureImage {
    let width = Math.min(image.width, available);
    let height = (width * image.height) / image.width;
    const maxHeight = this.o.contentHeight * 0.6;
    if (height > maxHeight) {
      width = (width * maxHeight) / height;
      height = maxHeight;
    }
    return { ...image, width, height };
  }

  /**
   * A figure block for an image node, scaled from 96 px to the inch and fitted to the text area;
   * the image's title, when it has one, is set below it as a caption.
   */
  figure(image: LinkedImage, path: Frame[], indent: number, origin: Origin): void {
    const found = this.image(image, origin);
    if (!found) return;
    const { node } = image;
    const title = node.type === 'image' ? node.title : this.definition(node.identifier)?.title;
    const available = this.contentWidth - indent;
    const spacing = this.theme.body.paragraphSpacing;
    this.blocks.push({
      tag: 'Figure',
      path,
      lines: [],
      x: indent,
      width: available,
      align: 'center',
      spaceBefore: spacing * 2,
      spaceAfter: title ? spacing / 2 : spacing * 2,
      keepWithNext: Boolean(title),
      unsplittable: true,
      dests: [],
      image: this.fitted(found, available),
    });
    if (title) {
      const caption = { ...this.bodyStyle(), size: this.theme.body.size * 0.9, color: this.color('muted'), justify: false };
      const block = this.text([{ type: 'text', value: title }], caption, origin, { tag: 'Caption', path }, indent);
      block.align = 'center';
      block.spaceAfter = spacing * 2;
    }
  }

  /**
   * Runs `make`, collecting the image nodes met in the inline content it sets: the caller sets
   * them (as figures after a paragraph, or in a table cell). Outside it, an image in inline
   * content (a heading's) is reported.
   */
  collectImages<T>(make: () => T): [T, LinkedImage[]] {
    const outer = this.inlineImages;
    const found: LinkedImage[] = [];
    this.inlineImages = found;
    try {
      return [make(), found];
    } finally {
      this.inlineImages = outer;
    }
  }

  /**
   * An image met in inline content: collected for its block (with the link it stands in), or
   * reported where none can stand. One whose file the model could not read (and said so) is
   * its alternative text, in its place.
   */
  inlineImage(node: Image | ImageReference, style: InlineStyle, origin: Origin, out: Span[]): void {
    if (!this.asset(node)) {
      if (node.alt) this.push(node, node.alt, style, origin, out);
    } else if (this.inlineImages) this.inlineImages.push({ node, ...(style.link && { link: style.link }) });
    else this.unsupported(node, 'an image in a heading or a title', origin, 'set the image in a paragraph of its own');
  }

  color(name: ColorName): string {
    return this.theme.colors[name];
  }

  frame(type: Frame['type'], extra?: Omit<Frame, 'key' | 'type'>): Frame {
    return { key: `${this.o.prefix ?? ''}${type}-${++this.frameCount}`, type, ...extra };
  }

  /** The body text style, or a heading's. */
  bodyStyle(): BlockStyle {
    const b = this.theme.body;
    return {
      font: { family: b.font, bold: false, italic: false },
      size: b.size,
      leading: b.leading,
      color: this.color('text'),
      // Chinese stays justified in a ragged layout: it is spaced at every character, never hyphenated.
      justify: b.justify && !(this.o.ragged && !this.cjk),
      ...(b.justify && this.o.ragged && !this.cjk && { ragged: true }),
      spaceBefore: 0,
      spaceAfter: b.paragraphSpacing,
    };
  }

  headingStyle(depth: number): BlockStyle {
    const hs = this.theme.headings;
    const h = hs.find((x) => x.level === depth) ?? hs.at(-1)!;
    return {
      font: { family: h.font, bold: h.bold, italic: false },
      size: h.size,
      leading: 1.25,
      color: this.color(h.color),
      justify: false,
      spaceBefore: h.spaceBefore,
      spaceAfter: h.spaceAfter,
    };
  }

  /** A section: its heading, its content, its subsections, inside a Sect element. */
  section(section: Section, path: Frame[], origin: Origin): void {
    const sect = [...path, this.frame('Sect')];
    if (section.heading) this.heading(section.heading, section, sect, origin);
    for (const node of section.content) this.block(node, sect, 0, origin);
    for (const child of section.children) this.section(child, sect, origin);
  }

  /** A section's heading, kept with what follows, at its section's destination. */
  heading(heading: Heading, section: Section, path: Frame[], origin: Origin): FlowBlock {
    return this.text(heading.children, this.headingStyle(section.depth), origin, {
      tag: `H${Math.min(section.depth, 6)}`,
      path,
      dests: this.ids(section.id),
      keepWithNext: true,
      heading: section,
    });
  }

  /**
   * The indent one level of lists or quotes deeper than `indent`, up to a share of the text's
   * width: deeper levels keep the same measure (their rules and labels still mark them), so text
   * nested a hundred deep is narrow, never pushed off the page.
   */
  nested(indent: number, share = MAX_LEFT_INDENT): number {
    return Math.min(indent + this.theme.body.indent, this.contentWidth * share);
  }

  /** One block-level node at `indent` points from the text area's left edge. */
  block(node: RootContent, path: Frame[], indent: number, origin: Origin, style = this.bodyStyle()): void {
    const handler = BLOCK_HANDLERS[node.type];
    if (handler) handler(this, node as never, path, indent, origin, style);
    else this.unsupported(node, `a block of type "${node.type}"`, origin, 'write it as Markdown that the editions set (paragraphs, lists, quotations, code, tables, images)');
  }

  /** Content the print edition cannot set: a warning at its place, never a silent drop. */
  unsupported(node: Nodes, what: string, origin: Origin, hint: string): void {
    this.o.report.warning('unsupported-content', `${what} is not set in the PDF and is left out`, { file: origin.file, place: origin.place(node), hint });
  }

  /** A block of text from inline content. */
  text(
    children: readonly PhrasingContent[],
    style: BlockStyle,
    origin: Origin,
    extra: Partial<FlowBlock> & { tag: string; path: Frame[] },
    indent = 0,
  ): FlowBlock {
    return this.textBlock(this.spans(children, inlineStyle(style), origin), style, extra, indent);
  }

  /** A block of text from spans. */
  textBlock(spans: Span[], style: BlockStyle, extra: Partial<FlowBlock> & { tag: string; path: Frame[] }, indent = 0): FlowBlock {
    unhyphenateLastWord(spans);
    const width = this.contentWidth - indent - (style.rightIndent ?? 0);
    const options = this.breakOptions(style, width);
    const block: FlowBlock = {
      lines: breakLines(spans, this.fonts, options),
      ...(options.fit && (options.justify || options.ragged) && { rebreak: (noHyphenAfter: ReadonlySet<number>) => breakLines(spans, this.fonts, { ...options, noHyphenAfter }) }),
      x: indent,
      width,
      align: style.justify ? 'justify' : 'left',
      spaceBefore: style.spaceBefore,
      spaceAfter: style.spaceAfter,
      keepWithNext: false,
      unsplittable: false,
      dests: [],
      ...extra,
    };
    this.blocks.push(block);
    return block;
  }

  /** Inline content as styled spans, with every character checked against its font. */
  spans(children: readonly PhrasingContent[], style: InlineStyle, origin: Origin): Span[] {
    const out: Span[] = [];
    for (const child of children) this.inline(child, style, origin, out);
    return out;
  }

  inline(node: PhrasingContent, style: InlineStyle, origin: Origin, out: Span[]): void {
    const handler = INLINE_HANDLERS[node.type];
    if (handler) handler(this, node as never, style, origin, out);
    // An inline node no handler knows: its text is kept, and what has no text is reported.
    else if ('children' in node) for (const c of node.children) this.inline(c as PhrasingContent, style, origin, out);
    else if ('value' in node) this.push(node, node.value, style, origin, out);
    else this.unsupported(node, `an inline node of type "${(node as Nodes).type}"`, origin, 'write it as Markdown that the editions set');
  }

  /**
   * Adds text in `style`, each character in the first font of the style's chain that has it
   * (FontBook.runs); a run of characters that no font has is one error at its place.
   */
  push(node: Nodes, text: string, style: InlineStyle, origin: Origin, out: Span[], rise?: number): void {
    const font = this.fontKey(style);
    const { runs, missing } = this.fonts.runs(font, text);
    for (const m of missing) {
      const names = this.fonts.chainNames(font, m.text);
      const fonts = names.length === 1 ? `the font ${names[0]} has` : `the fonts ${names.slice(0, -1).join(', ')} and ${names.at(-1)} have`;
      const codes = [...m.text].map((ch) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');
      this.o.report.error('missing-glyph', `${fonts} no glyph for "${m.text}" (${codes})`, {
        file: origin.file,
        place: origin.place(node, m.offset),
        hint: `add a font that has ${[...m.text].length === 1 ? 'it' : 'them'} to the ${style.family} family of a fallback in pdf/theme.yaml, or replace ${[...m.text].length === 1 ? 'it' : 'them'}`,
      });
    }
    // Hyphenation patterns are the text's language's: a fallback run (another script) has none.
    const hyphenate = this.o.hyphenate && style.hyphenate && style.family !== 'mono' && !style.link ? this.o.hyphenate : undefined;
    for (const run of runs) {
      out.push({
        text: hyphenate && run.font === font ? hyphenate(run.text) : run.text,
        font: run.font,
        size: style.size,
        color: style.color,
        ...(run.lang && !sameLanguage(run.lang, this.lang) && { lang: run.lang }),
        ...(style.link && { link: style.link, linkId: style.linkId }),
        ...(rise !== undefined && { rise }),
        ...(style.strike && { strike: true }),
      });
    }
  }

  /**
   * Spans of text the source has already had checked (a heading's text again in the contents):
   * split into font runs like `push`, without reporting again.
   */
  runSpans(text: string, span: Omit<Span, 'text'>): Span[] {
    return this.fonts.runs(span.font, text).runs.map((run) => ({ ...span, text: run.text, font: run.font, ...(run.lang && !sameLanguage(run.lang, this.lang) && { lang: run.lang }) }));
  }

  newLinkId(): number {
    return ++this.linkCount;
  }

  definition(identifier: string): Definition | undefined {
    return this.o.definitions.get(identifier);
  }

  footnoteNumber(identifier: string): number {
    let n = this.footnoteNumbers.get(identifier);
    if (n === undefined) {
      n = this.footnoteNumbers.size + 1;
      this.footnoteNumbers.set(identifier, n);
      this.footnotesUsed.push(identifier);
    }
    return n;
  }

  /** Endnotes under `title`, each linked from its mark in the text. */
  notes(definitions: readonly FootnoteDefinition[], title: string, path: Frame[], origin: Origin): void {
    if (this.footnotesUsed.length === 0) return;
    const byId = new Map(definitions.map((d) => [d.identifier, d]));
    const sect = [...path, this.frame('Sect')];
    const heading = this.headingStyle(1);
    const spans = this.runSpans(title, { font: this.fontKey(heading.font), size: heading.size, color: heading.color });
    this.blocks.push({
      tag: 'H1',
      path: sect,
      lines: breakLines(spans, this.fonts, { width: this.contentWidth, justify: false, leading: heading.leading }),
      x: 0,
      width: this.contentWidth,
      align: 'left',
      spaceBefore: heading.spaceBefore,
      spaceAfter: heading.spaceAfter,
      keepWithNext: true,
      unsplittable: false,
      dests: [],
    });
    const list = this.frame('L');
    const small = { ...this.bodyStyle(), size: this.theme.body.size * 0.9 };
    for (const id of this.footnotesUsed) {
      const def = byId.get(id);
      if (!def) continue;
      const item = [...sect, list, this.frame('LI')];
      const label = `${this.footnoteNumber(id)}.`;
      const start = this.blocks.length;
      def.children.forEach((child) => this.block(child, [...item, this.frame('LBody')], this.theme.body.indent, origin, small));
      const first = this.blocks[start];
      if (first) {
        first.dests.push(this.noteDest(id));
        first.label = this.label(label, small, first.x);
      }
    }
  }

  /**
   * A list label, right-aligned in the indent before `x`. Bullets and numbers are set in the main
   * fonts in every language: a CJK font's bullet is a dot half the size.
   */
  label(text: string, style: BlockStyle, x: number): FlowBlock['label'] {
    const spans: Span[] = [{ text, font: this.fonts.key(style.font, 'und'), size: style.size, color: style.color }];
    const line = breakLines(spans, this.fonts, { width: 1e6, justify: false, leading: style.leading })[0]!;
    return { line, x: Math.max(0, x - line.width - style.size * 0.5) };
  }
}

/** The inline style that starts a block's text. */
function inlineStyle(style: BlockStyle): InlineStyle {
  return { ...style.font, size: style.size, color: style.color, hyphenate: style.justify || style.ragged === true };
}

/** Whether two language tags name one language (`zh` and `zh-Hans`). */
function sameLanguage(a: string, b: string): boolean {
  return a.split('-')[0]!.toLowerCase() === b.split('-')[0]!.toLowerCase();
}

/** A paragraph's last word is not hyphenated: a last line of half a word reads badly. */
function unhyphenateLastWord(spans: Span[]): void {
  const last = spans.findLast((s) => s.text.trim() !== '');
  if (!last) return;
  // Scanned by hand: /(\S+)(\s*)$/ backtracks from every letter of a long word (quadratic).
  const text = last.text;
  const end = text.trimEnd().length;
  let start = end;
  while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
  last.text = text.slice(0, start) + text.slice(start, end).replace(/\u00ad/g, '') + text.slice(end);
}

type InlineHandler = (b: FlowBuilder, node: never, style: InlineStyle, origin: Origin, out: Span[]) => void;
/** The most the left and right indents of nested lists and quotes take of the text's width. */
const MAX_LEFT_INDENT = 0.35;
const MAX_RIGHT_INDENT = 0.15;

type BlockHandler = (b: FlowBuilder, node: never, path: Frame[], indent: number, origin: Origin, style: BlockStyle) => void;

const INLINE_HANDLERS: Record<string, InlineHandler> = {
  // A line ending inside a paragraph is a space; only a `break` node breaks the line.
  text: (b, node: { value: string } & Nodes, style, origin, out) => b.push(node, node.value.replace(/\n/g, ' '), style, origin, out),
  emphasis: (b, node: { children: PhrasingContent[] }, style, origin, out) => {
    for (const c of node.children) b.inline(c, { ...style, italic: !style.italic }, origin, out);
  },
  strong: (b, node: { children: PhrasingContent[] }, style, origin, out) => {
    for (const c of node.children) b.inline(c, { ...style, bold: true }, origin, out);
  },
  delete: (b, node: { children: PhrasingContent[] }, style, origin, out) => {
    for (const c of node.children) b.inline(c, { ...style, strike: true }, origin, out);
  },
  inlineCode: (b, node: { value: string } & Nodes, style, origin, out) =>
    b.push(node, node.value, { ...style, family: b.theme.code.font, bold: false, italic: false, size: style.size * 0.9, hyphenate: false }, origin, out),
  break: (b, node: Nodes, style, origin, out) => b.push(node, '\n', style, origin, out),
  link: (b, node: { url: string; children: PhrasingContent[] }, style, origin, out) => {
    // The model unlinked every address no reader should follow; one that reaches here anyway (a
    // bug) is set as its text, never as a URI action.
    if (!node.url.startsWith('#') && unfollowable(node.url, b.linkSchemes)) {
      for (const c of node.children) b.inline(c, style, origin, out);
      return;
    }
    const link: Link = node.url.startsWith('#') ? { internal: percentDecode(node.url.slice(1)) } : { external: node.url };
    const linked = { ...style, link, linkId: b.newLinkId(), color: b.color('link') };
    for (const c of node.children) b.inline(c, linked, origin, out);
  },
  linkReference: (b, node: { identifier: string; children: PhrasingContent[] }, style, origin, out) => {
    const def = b.definition(node.identifier);
    if (!def) {
      for (const c of node.children) b.inline(c, style, origin, out);
      return;
    }
    INLINE_HANDLERS.link!(b, { url: def.url, children: node.children } as never, style, origin, out);
  },
  footnoteReference: (b, node: { identifier: string } & Nodes, style, origin, out) => {
    const n = b.footnoteNumber(node.identifier);
    const mark = { ...style, size: style.size * 0.68, link: { internal: b.noteDest(node.identifier) }, linkId: b.newLinkId(), color: b.color('link') };
    b.push(node, String(n), mark, origin, out, style.size * 0.33);
  },
  // Reported by the model (unsupported-content): drawn as nothing.
  html: () => undefined,
  // Set by the paragraph or the table cell that holds them, else reported.
  image: (b, node: Image, style, origin, out) => b.inlineImage(node, style, origin, out),
  imageReference: (b, node: ImageReference, style, origin, out) => b.inlineImage(node, style, origin, out),
};

const BLOCK_HANDLERS: Record<string, BlockHandler> = {
  // Images are set as figures after their paragraph's text (a paragraph of images alone is
  // only figures, the first carrying the paragraph's ID), an image inside a link included.
  paragraph: (b, node: { children: PhrasingContent[]; data?: { id?: string; ragged?: boolean } }, path, indent, origin, base) => {
    let style = node.data?.ragged ? { ...base, justify: false, ragged: false } : base;
    // A Chinese body paragraph opens with a two-character indent (not a list item's, a quotation's, a note's or a glossary term's).
    const chinese = b.theme.lines.chinese;
    if (b.cjk && chinese.indent > 0 && indent === 0 && !node.data?.ragged && !style.rightIndent && style.size === b.theme.body.size) style = { ...style, firstIndent: chinese.indent * style.size };
    const [spans, images] = b.collectImages(() => b.spans(node.children, inlineStyle(style), origin));
    const hasText = spans.some((s) => s.text.trim() !== '');
    const dests = b.ids(node.data?.id);
    const start = b.blocks.length;
    if (hasText) b.textBlock(spans, style, { tag: 'P', path, dests }, indent);
    for (const image of images) b.figure(image, path, indent, origin);
    if (!hasText && b.blocks[start]) b.blocks[start]!.dests.push(...dests);
  },
  heading: (b, node: { depth: number; children: PhrasingContent[] }, path, indent, origin) => {
    b.text(node.children, b.headingStyle(node.depth), origin, { tag: `H${node.depth}`, path, keepWithNext: true }, indent);
  },
  list: (b, node: List, path, indent, origin, style) => {
    const list = [...path, b.frame('L')];
    const itemIndent = b.nested(indent);
    node.children.forEach((item, i) => {
      const li = [...list, b.frame('LI')];
      const body = [...li, b.frame('LBody')];
      const start = b.blocks.length;
      for (const child of item.children) b.block(child, body, itemIndent, origin, style);
      const first = b.blocks[start];
      if (!first) return;
      const marker = node.ordered ? `${(node.start ?? 1) + i}.` : indent > 0 ? '\u2013' : '\u2022';
      first.label = b.label(marker, style, itemIndent);
      // A tight list keeps its items close.
      if (!node.spread) for (const blk of b.blocks.slice(start)) blk.spaceAfter = Math.min(blk.spaceAfter, style.spaceAfter / 2);
    });
    const last = b.blocks.at(-1);
    if (last) last.spaceAfter = Math.max(last.spaceAfter, style.spaceAfter);
  },
  blockquote: (b, node: { children: RootContent[] }, path, indent, origin, style) => {
    const quote = [...path, b.frame('BlockQuote')];
    const start = b.blocks.length;
    const quoted = { ...style, color: b.color('muted'), rightIndent: b.nested(style.rightIndent ?? 0, MAX_RIGHT_INDENT) };
    for (const child of node.children) b.block(child, quote, b.nested(indent), origin, quoted);
    for (const blk of b.blocks.slice(start)) blk.rule = 'quote';
  },
  code: (b, node: { value: string; data?: { id?: string } } & Nodes, path, indent, origin) => {
    const c = b.theme.code;
    const spans: Span[] = [];
    b.push(node, node.value, { family: c.font, bold: false, italic: false, size: c.size, color: b.color('text') }, origin, spans);
    const width = b.contentWidth - indent;
    b.blocks.push({
      tag: 'Code',
      path,
      lines: breakLines(spans, b.fonts, { width, justify: false, leading: c.leading, preserve: true }),
      x: indent,
      width,
      align: 'left',
      spaceBefore: 2,
      spaceAfter: b.theme.body.paragraphSpacing + 2,
      keepWithNext: false,
      unsplittable: false,
      dests: b.ids(node.data?.id),
    });
  },
  thematicBreak: (b, _node, path, indent) => {
    b.blocks.push({
      tag: 'Artifact',
      path,
      lines: [{ frags: [], width: 0, extraPerSpace: 0, height: b.theme.body.size * 1.5, ascent: 0 }],
      x: indent,
      width: b.contentWidth - indent,
      align: 'center',
      spaceBefore: 0,
      spaceAfter: b.theme.body.paragraphSpacing,
      keepWithNext: false,
      unsplittable: true,
      dests: [],
      rule: 'break',
    });
  },
  table: (b, node: Table & { data?: { id?: string } }, path, indent, origin, style) => tableBlocks(b, node, path, indent, origin, style),
  // Reported by the model, or not content.
  html: () => undefined,
  definition: () => undefined,
  footnoteDefinition: () => undefined,
};

/**
 * A table as one unsplittable block per row. Columns get their natural widths when they fit,
 * else widths in proportion to their content, never narrower than their longest word.
 */
function tableBlocks(b: FlowBuilder, node: Table & { data?: { id?: string } }, path: Frame[], indent: number, origin: Origin, style: BlockStyle): void {
  const table = [...path, b.frame('Table')];
  const cellStyle = { ...style, size: style.size * 0.92, justify: false };
  const pad = 4;
  const available = b.contentWidth - indent;
  const cols = Math.max(...node.children.map((r) => r.children.length));
  // A first row without text is no header row (the model warns of it): its cells are TD.
  const header = node.children[0] !== undefined && !emptyRow(node.children[0]);
  const rows = node.children.map((row, r) =>
    Array.from({ length: cols }, (_, c) => {
      const cell = row.children[c];
      const font = { ...cellStyle.font, bold: r === 0 };
      const [spans, nodes] = b.collectImages(() => b.spans(cell?.children ?? [], { ...font, size: cellStyle.size, color: cellStyle.color }, origin));
      const images = nodes.map((n) => b.image(n, origin)).filter((i) => i !== undefined);
      return { spans, images };
    }),
  );
  // An image counts as a word of its natural width: a cell is as wide as it when the table fits.
  const natural = Array.from({ length: cols }, (_, c) =>
    Math.max(...rows.map(({ [c]: cell }) => Math.max(breakLines(cell!.spans, b.fonts, { width: 1e6, justify: false, leading: 1 })[0]!.width, ...cell!.images.map((i) => i.width)))) + 2 * pad,
  );
  // A column is no narrower than its longest word, unless that word is wider than an equal share
  // of the text (a URL): then it breaks in its cell.
  const floor = Array.from({ length: cols }, (_, c) =>
    Math.min(
      Math.max(
        ...rows.flatMap((row) => row[c]!.spans.flatMap((s) => s.text.split(/\s+/).map((w) => b.fonts.width(s.font, w.replace(/\u00ad/g, ''), s.size)))),
        ...rows.flatMap((row) => row[c]!.images.map((i) => i.width)),
        0,
      ) + 2 * pad,
      available / cols,
    ),
  );
  const total = natural.reduce((a, w) => a + w, 0);
  const wanted = total <= available ? natural : natural.map((w, c) => Math.max(floor[c]!, (w / total) * available));
  // Never wider than the text: what the columns want beyond their floors shrinks to fit.
  const sum = wanted.reduce((a, w) => a + w, 0);
  const floors = floor.reduce((a, w) => a + w, 0);
  const widths = sum <= available ? wanted : wanted.map((w, c) => floor[c]! + ((w - floor[c]!) * (available - floors)) / (sum - floors));
  const x0 = indent;
  rows.forEach((row, r) => {
    let x = x0;
    const cells = row.map(({ spans, images }, c): Cell => {
      const width = widths[c]!;
      const align = node.align?.[c] ?? 'left';
      // A cell of images alone has no line of text above them.
      const text = images.length === 0 || spans.some((sp) => sp.text.trim() !== '');
      const cell: Cell = {
        x: x + pad,
        width: width - 2 * pad,
        lines: text ? breakLines(spans, b.fonts, { width: width - 2 * pad, justify: false, leading: cellStyle.leading }) : [],
        tag: r === 0 && header ? 'TH' : 'TD',
        align: align === 'right' || align === 'center' ? align : 'left',
        ...(images.length > 0 && { images: images.map((i) => b.fitted(i, width - 2 * pad)) }),
      };
      x += width;
      return cell;
    });
    b.blocks.push({
      tag: 'TR',
      path: table,
      lines: [],
      cells,
      padding: pad,
      x: x0,
      width: widths.reduce((a, w) => a + w, 0),
      align: 'left',
      spaceBefore: r === 0 ? style.spaceAfter : 0,
      spaceAfter: r === rows.length - 1 ? style.spaceAfter * 2 : 0,
      // Keep the header row with the first body row.
      keepWithNext: r === 0,
      unsplittable: true,
      dests: r === 0 ? b.ids(node.data?.id) : [],
    });
  });
}
