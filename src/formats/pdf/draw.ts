/**
 * Drawing: pages of placed blocks into pdfkit, with the structure tree (every block in its
 * element, links as Link elements owning their annotations), named destinations for the stable
 * IDs, and page furniture as artifacts. Text is written glyph run by glyph run so that
 * justification widens real spaces, which stay in the text layer.
 */
import type { FontBook, PdfFont } from './fonts.js';
import { blockHeight, CELL_IMAGE_GAP, type FigureImage, type FlowBlock, type Frame } from './flow.js';
import { CJK } from '../../shared/scripts.js';
import { CJK_OR_RUN, GRAPHEMES, squeezed, type Frag, type Line } from './lines.js';
import type { PageLayout, Placement } from './paginate.js';

/** pdfkit's structure element (internal API). */
interface StructElement {
  add(child: unknown): StructElement;
  end(): void;
}

type Doc = PDFKit.PDFDocument & {
  page: { height: number; width: number; fonts: Record<string, unknown>; dictionary: unknown };
  addContent(s: string): Doc;
  struct(type: string, options?: object): StructElement;
  addStructure(e: StructElement): Doc;
  markStructureContent(tag: string, options?: object): unknown;
  markContent(tag: string, options?: object): Doc;
  endMarkedContent(): Doc;
  addNamedDestination(name: string, ...args: unknown[]): void;
  goTo(x: number, y: number, w: number, h: number, name: string, options?: object): Doc;
  link(x: number, y: number, w: number, h: number, url: string, options?: object): Doc;
};

export interface PageFurniture {
  /**
   * The running heads, or null on pages without them: one at the outer edge (left on a verso,
   * right on a recto), or, over a parallel text's columns, one at each edge.
   */
  heads: { left?: string; right?: string } | null;
  /** The printed page number, or null. */
  number: string | null;
}

export interface DrawOptions {
  fonts: FontBook;
  size: [number, number];
  /** Left edge of the text area on a page (inner margin on the binding side). */
  left(pageIndex: number): number;
  top: number;
  bottom: number;
  textWidth: number;
  colors: { text: string; muted: string; rule: string; link: string };
  small: { font: string; size: number };
  furniture(pageIndex: number): PageFurniture;
}

export function drawPages(doc: Doc, pages: (PageLayout | undefined)[], o: DrawOptions): void {
  const root = doc.struct('Document');
  doc.addStructure(root);
  const tree = new StructTree(doc, root);
  for (let index = 0; index < pages.length; index++) {
    const page = pages[index]!;
    // Each page is let go as it is drawn, and with it the lines of the blocks it alone holds:
    // the set lines of a 19 MB source are some 0.3 GB, alive until now, and the PDF's memory
    // peaks while its pages are drawn (the caller keeps no other list of them).
    pages[index] = undefined;
    doc.addPage({ size: o.size, margins: { top: 0, bottom: 0, left: 0, right: 0 } });
    const left = o.left(index);
    for (const p of page.placements) drawPlacement(doc, tree, p, left, o);
    tree.closeContent();
    drawFurniture(doc, index, o);
  }
  tree.closeAll();
  root.end();
}

/**
 * Opens and closes structure elements as the blocks' frame paths change. Leaving a frame ends
 * its element, except inside a parallel frame: there the columns interleave on the page (left,
 * right, then the left column again on the next page), so each column's elements stay open and
 * take the rest of their content until the parallel frame itself is left.
 */
class StructTree {
  /** The open frames' elements, by frame key, each with the path that leads to it. */
  private readonly frames = new Map<string, { element: StructElement; path: Frame[] }>();
  private path: Frame[] = [];
  /** Blocks whose element may take more content (a paragraph continued on the next page). */
  private readonly blocks = new Map<FlowBlock, { element: StructElement; links: Map<number, StructElement> }>();
  private current: FlowBlock | undefined;
  private content: StructElement | undefined;

  constructor(
    private readonly doc: Doc,
    private readonly root: StructElement,
  ) {}

  /**
   * The element of `block`, opening the frames around it. A list item's label is drawn by
   * `drawLabel` as the item's Lbl element, before its LBody opens.
   */
  enter(block: FlowBlock, drawLabel?: () => void): { element: StructElement; links: Map<number, StructElement>; fresh: boolean } {
    const known = this.blocks.get(block);
    if (known && this.current === block) return { ...known, fresh: false };
    this.closeContent();
    if (this.current && this.current !== block && !this.inParallel(this.current.path)) this.endBlock(this.current);
    this.current = block;
    this.leave(block.path);
    let parent = this.root;
    block.path.forEach((frame, depth) => {
      const open = this.frames.get(frame.key);
      if (open) {
        parent = open.element;
        return;
      }
      if (frame.type === 'LBody' && drawLabel) {
        const lbl = this.doc.struct('Lbl');
        parent.add(lbl);
        this.mark(lbl, 'Lbl');
        drawLabel();
        this.closeContent();
        lbl.end();
      }
      const element = this.doc.struct(frame.type, frame.lang ? { lang: frame.lang } : {});
      parent.add(element);
      this.frames.set(frame.key, { element, path: block.path.slice(0, depth + 1) });
      parent = element;
    });
    this.path = block.path;
    if (known) return { ...known, fresh: false };
    // A figure's alternative text is what a screen reader says for it (PDF/UA requires it).
    const element = this.doc.struct(block.tag, block.image ? { alt: block.image.alt } : {});
    parent.add(element);
    const entry = { element, links: new Map<number, StructElement>() };
    this.blocks.set(block, entry);
    return { ...entry, fresh: true };
  }

  /** Ends the frames of the previous path that `next` leaves, keeping a parallel frame's columns open. */
  private leave(next: readonly Frame[]): void {
    let same = 0;
    while (same < this.path.length && same < next.length && this.path[same]!.key === next[same]!.key) same++;
    if (same > 0 && this.path[same - 1]!.parallel) return;
    const left = this.path[same];
    if (!left) return;
    // Ending an element ends everything inside it: forget those frames and blocks too.
    this.frames.get(left.key)?.element.end();
    for (const [key, open] of this.frames) if (open.path.some((f) => f.key === left.key)) this.frames.delete(key);
    for (const b of this.blocks.keys()) if (b.path.some((f) => f.key === left.key)) this.blocks.delete(b);
  }

  private inParallel(path: readonly Frame[]): boolean {
    return path.some((f) => f.parallel);
  }

  private endBlock(block: FlowBlock): void {
    this.blocks.get(block)?.element.end();
    this.blocks.delete(block);
  }

  /** Marks what is drawn next as content of `owner`. */
  mark(owner: StructElement, tag: string): void {
    if (this.content === owner) return;
    this.closeContent();
    owner.add(this.doc.markStructureContent(tag));
    this.content = owner;
  }

  closeContent(): void {
    if (this.content) this.doc.endMarkedContent();
    this.content = undefined;
  }

  /**
   * Glyphs that stand for `text` (a break hyphen for U+00AD, a syllable drawn in another order
   * than it is written): a Span of `owner` whose actual text is `text`, so that extracted text
   * reads as written. It is a sequence of its own, not one nested inside the paragraph's: poppler
   * ends a paragraph's structure text at the end of a nested sequence.
   */
  actual(owner: StructElement, text: string, draw: (inside: Marked) => void): void {
    this.closeContent();
    const span = this.doc.struct('Span', { actual: text });
    owner.add(span);
    // Opened inside the glyphs' graphics state, around their text object only, as poppler
    // expects of actual text (outside it, the text stands on a line of its own).
    draw({ open: () => span.add(this.doc.markStructureContent('Span', { actual: text })), close: () => this.doc.endMarkedContent() });
    span.end();
  }

  /**
   * A run in a language other than its block's (a Chinese name set in the fallback font): a Span
   * of `owner` that carries the language, so a screen reader switches voice for it. `draw` marks
   * what it draws as the span's content.
   */
  inLanguage(owner: StructElement, lang: string, draw: (span: StructElement) => void): void {
    this.closeContent();
    const span = this.doc.struct('Span', { lang });
    owner.add(span);
    draw(span);
    this.closeContent();
    span.end();
  }

  closeAll(): void {
    this.closeContent();
    for (const { element } of this.blocks.values()) element.end();
    for (const { element } of this.frames.values()) element.end();
    this.blocks.clear();
    this.frames.clear();
  }
}

function drawPlacement(doc: Doc, tree: StructTree, p: Placement, left: number, o: DrawOptions): void {
  const { block } = p;
  const x0 = left + block.x;
  if (block.tag === 'Artifact') {
    tree.closeContent();
    if (block.rule === 'break') artifact(doc, () => rule(doc, x0 + block.width / 2 - 40, p.y + block.lines[0]!.height / 2, 80, o.colors.rule));
    return;
  }
  const label = block.label;
  const drawLabel = label && p.from === 0 ? () => drawLine(doc, label.line, left + label.x, p.y, o.fonts) : undefined;
  const { element, links, fresh } = tree.enter(block, drawLabel);
  if (fresh) for (const dest of block.dests) doc.addNamedDestination(dest, 'XYZ', x0, p.y, null);

  if (block.cells) {
    drawRow(doc, tree, element, block, x0, p.y, o);
    return;
  }
  if (block.image) {
    const { source, width, height } = block.image;
    tree.mark(element, 'Figure');
    doc.image(source as Buffer, x0 + (block.width - width) / 2, p.y, { width, height });
    tree.closeContent();
    linkImage(doc, element, block.image, x0 + (block.width - width) / 2, p.y);
    return;
  }
  let y = p.y;
  for (let i = p.from; i < p.to; i++) {
    const line = block.lines[i]!;
    const x = x0 + offset(block, line) + (line.indent ?? 0) + (i > 0 ? (block.hang ?? 0) : 0);
    if (line.continued) {
      tree.closeContent();
      artifact(doc, () => continuationMark(doc, x, y + line.ascent, line.frags[0]?.span.size ?? 8, o.colors.muted));
    }
    drawLineTagged(doc, tree, element, links, block.tag, line, x, y, o);
    if (block.toc && i === block.lines.length - 1) drawTocNumber(doc, tree, element, links, block, line, x, y, left, o);
    y += line.height;
  }
  if (block.rule === 'quote') {
    tree.closeContent();
    const top = p.y;
    artifact(doc, () => {
      doc.save();
      doc.moveTo(x0 - 9, top + 2).lineTo(x0 - 9, y - 2).lineWidth(1.2).strokeColor(o.colors.rule).stroke();
      doc.restore();
    });
  }
}

function offset(block: FlowBlock, line: Line): number {
  if (block.align === 'center') return (block.width - line.width) / 2;
  if (block.align === 'right') return block.width - line.width;
  return 0;
}

/** Draws one line, each run marked as content of its block or of its link. */
function drawLineTagged(
  doc: Doc,
  tree: StructTree,
  element: StructElement,
  links: Map<number, StructElement>,
  tag: string,
  line: Line,
  x: number,
  y: number,
  o: DrawOptions,
): void {
  let cx = x;
  for (const f of line.frags) {
    const w = f.width + f.spaces * line.extraPerSpace;
    if (f.span.linkId !== undefined && f.span.link) {
      let link = links.get(f.span.linkId);
      if (!link) {
        link = doc.struct('Link');
        element.add(link);
        links.set(f.span.linkId, link);
      }
      const show = (owner: StructElement, as: string) => showFrag(doc, f, cx, y + line.ascent - (f.span.rise ?? 0), line.extraPerSpace, o.fonts, { tree, owner, tag: as });
      if (f.span.lang) tree.inLanguage(link, f.span.lang, (span) => show(span, 'Span'));
      else show(link, 'Link');
      const target = f.span.link;
      const options = { structParent: link, Contents: new String(f.text) };
      if ('internal' in target) doc.goTo(cx, y, w, line.height, target.internal, options);
      else doc.link(cx, y, w, line.height, target.external, options);
    } else if (f.softHyphen) {
      tree.actual(element, '\u00ad', (inside) => showFrag(doc, f, cx, y + line.ascent - (f.span.rise ?? 0), line.extraPerSpace, o.fonts, inside));
    } else if (f.span.lang) {
      tree.inLanguage(element, f.span.lang, (span) => showFrag(doc, f, cx, y + line.ascent - (f.span.rise ?? 0), line.extraPerSpace, o.fonts, { tree, owner: span, tag: 'Span' }));
    } else {
      showFrag(doc, f, cx, y + line.ascent - (f.span.rise ?? 0), line.extraPerSpace, o.fonts, { tree, owner: element, tag });
    }
    if (f.span.strike) {
      const size = f.span.size;
      const sy = y + line.ascent - size * 0.28;
      tree.closeContent();
      artifact(doc, () => rule(doc, cx, sy, w, f.span.color, size / 18));
    }
    cx += w;
  }
}

/**
 * The link annotation of an image that stands in a link, over the whole image: owned by a Link
 * element inside its Figure (PDF/UA puts every annotation in one), and named by the image's
 * alternative text, as a screen reader announces it.
 */
function linkImage(doc: Doc, figure: StructElement, image: FigureImage, x: number, y: number): void {
  if (!image.link) return;
  const link = doc.struct('Link');
  figure.add(link);
  const options = { structParent: link, Contents: new String(image.alt) };
  if ('internal' in image.link) doc.goTo(x, y, image.width, image.height, image.link.internal, options);
  else doc.link(x, y, image.width, image.height, image.link.external, options);
  link.end();
}

/** An untagged line (inside an already marked sequence). */
function drawLine(doc: Doc, line: Line, x: number, y: number, fonts: FontBook): void {
  let cx = x;
  for (const f of line.frags) {
    showFrag(doc, f, cx, y + line.ascent, line.extraPerSpace, fonts);
    cx += f.width + f.spaces * line.extraPerSpace;
  }
}

function drawRow(doc: Doc, tree: StructTree, row: StructElement, block: FlowBlock, x0: number, y: number, o: DrawOptions): void {
  const height = blockHeight(block);
  for (const cell of block.cells!) {
    const element = doc.struct(cell.tag);
    // A header cell (the first row's) heads its column: PDF/UA-1 7.5 (Matterhorn 15-003) wants its Scope.
    if (cell.tag === 'TH') (element as unknown as { dictionary: { data: Record<string, unknown> } }).dictionary.data.A = { O: 'Table', Scope: 'Column' };
    row.add(element);
    let cy = y + (block.padding ?? 0);
    const links = new Map<number, StructElement>();
    const dx = (width: number) => (cell.align === 'right' ? cell.width - width : cell.align === 'center' ? (cell.width - width) / 2 : 0);
    for (const line of cell.lines) {
      drawLineTagged(doc, tree, element, links, cell.tag, line, x0 - block.x + cell.x + dx(line.width), cy, o);
      cy += line.height;
    }
    for (const image of cell.images ?? []) {
      if (cy > y + (block.padding ?? 0)) cy += CELL_IMAGE_GAP;
      tree.closeContent();
      // A figure inside the cell, with its alternative text (PDF/UA requires it).
      const figure = doc.struct('Figure', { alt: image.alt });
      element.add(figure);
      tree.mark(figure, 'Figure');
      doc.image(image.source as Buffer, x0 - block.x + cell.x + dx(image.width), cy, { width: image.width, height: image.height });
      tree.closeContent();
      linkImage(doc, figure, image, x0 - block.x + cell.x + dx(image.width), cy);
      figure.end();
      cy += image.height;
    }
    tree.closeContent();
    element.end();
  }
  const rx = x0;
  // A firmer rule under the header row.
  artifact(doc, () => rule(doc, rx, y + height, block.width, o.colors.rule, block.cells![0]?.tag === 'TH' ? 0.9 : 0.4));
}

/** Dot leaders (drawn as artifacts) and the page number, inside the entry's link. */
function drawTocNumber(
  doc: Doc,
  tree: StructTree,
  element: StructElement,
  links: Map<number, StructElement>,
  block: FlowBlock,
  line: Line,
  x: number,
  y: number,
  left: number,
  o: DrawOptions,
): void {
  const toc = block.toc!;
  const size = o.small.size * 1.15;
  const numberWidth = o.fonts.width(o.small.font, toc.page, size);
  const right = left + o.textWidth;
  const baseline = y + line.ascent;
  const start = x + line.width + 6;
  const end = right - numberWidth - 6;
  tree.closeContent();
  // The dots are one dashed stroke with round caps: a (nearly) zero-length dash every 4.5 pt, aligned
  // to the page so the leaders of all entries line up.
  const from = Math.ceil(start / 4.5) * 4.5;
  if (from < end) {
    artifact(doc, () => {
      doc.save().strokeColor(o.colors.muted).lineWidth(0.9).lineCap('round').dash(0.001, { space: 4.499 });
      doc.moveTo(from, baseline - 1.2).lineTo(end, baseline - 1.2).stroke();
      doc.restore();
    });
  }
  const link = links.values().next().value as StructElement | undefined;
  const owner = link ?? element;
  const tag = link ? 'Link' : block.tag;
  const frag: Frag = { text: toc.page, span: { text: toc.page, font: o.small.font, size, color: o.colors.text }, width: numberWidth, spaces: 0 };
  showFrag(doc, frag, right - numberWidth, baseline, 0, o.fonts, { tree, owner, tag });
  if (link) doc.goTo(x, y, right - x, line.height, toc.dest, { structParent: link, Contents: new String(toc.page) });
}

function drawFurniture(doc: Doc, index: number, o: DrawOptions): void {
  const f = o.furniture(index);
  const left = o.left(index);
  const { font, size } = o.small;
  const show = (text: string, x: number, y: number) => {
    for (const frag of furnitureFrags(text, o.small, o.colors.muted, o.fonts)) {
      showFrag(doc, frag, x, y, 0, o.fonts);
      x += frag.width;
    }
  };
  artifact(doc, () => {
    if (f.heads) {
      const y = o.top - 26;
      const { left: l, right: r } = f.heads;
      const room = l !== undefined && r !== undefined ? o.textWidth / 2 - 12 : o.textWidth;
      const showIn = (text: string, at: 'left' | 'right') => {
        const small = fit(text, o.small, room, o.fonts);
        const w = widthOf(text, small, o.fonts);
        let x = at === 'left' ? left : left + o.textWidth - w;
        for (const frag of furnitureFrags(text, small, o.colors.muted, o.fonts)) {
          showFrag(doc, frag, x, y, 0, o.fonts);
          x += frag.width;
        }
      };
      if (l) showIn(l, 'left');
      if (r) showIn(r, 'right');
      rule(doc, left, y + 5, o.textWidth, o.colors.rule, 0.4);
    }
    if (f.number) {
      const w = o.fonts.width(font, f.number, size);
      show(f.number, left + (o.textWidth - w) / 2, o.bottom + 34);
    }
  }, 'Pagination');
}

/** Furniture text (a running head) as frags, each in the first font of the small font's chain that has it. */
function furnitureFrags(text: string, small: DrawOptions['small'], color: string, fonts: FontBook): Frag[] {
  return fonts.runs(small.font, text).runs.map((r) => ({ text: r.text, span: { text: r.text, font: r.font, size: small.size, color }, width: fonts.width(r.font, r.text, small.size), spaces: 0 }));
}

/** The width of furniture text, set as `furnitureFrags` sets it. */
function widthOf(text: string, small: DrawOptions['small'], fonts: FontBook): number {
  return furnitureFrags(text, small, '', fonts).reduce((w, f) => w + f.width, 0);
}

/**
 * The small style in which a running head fits `width`: its own size, or, when even its short
 * form is too wide, the size that makes it fit (never cut, never an ellipsis).
 */
function fit(text: string, small: DrawOptions['small'], width: number, fonts: FontBook): DrawOptions['small'] {
  const w = widthOf(text, small, fonts);
  if (w <= width) return small;
  return { ...small, size: Math.floor(((small.size * width) / w) * 100) / 100 };
}

/**
 * A hooked arrow (↪) in the margin before a wrapped code line, drawn as lines rather than as a
 * glyph: copied code then holds no character that was not in the source.
 */
function continuationMark(doc: Doc, x: number, baseline: number, size: number, color: string): void {
  const left = x - size * 0.95;
  const right = x - size * 0.3;
  const top = baseline - size * 0.6;
  const mid = baseline - size * 0.2;
  const head = size * 0.18;
  doc.save().lineWidth(size / 14).strokeColor(color).lineCap('round').lineJoin('round');
  doc.moveTo(left, top).lineTo(left, mid).lineTo(right, mid).stroke();
  doc.moveTo(right - head, mid - head).lineTo(right, mid).lineTo(right - head, mid + head).stroke();
  doc.restore();
}

function artifact(doc: Doc, draw: () => void, type = 'Layout'): void {
  doc.markContent('Artifact', { type });
  draw();
  doc.endMarkedContent();
}

function rule(doc: Doc, x: number, y: number, width: number, color: string, lineWidth = 0.6): void {
  doc.save();
  doc.moveTo(x, y).lineTo(x + width, y).lineWidth(lineWidth).strokeColor(color).stroke();
  doc.restore();
}

/** Opens and closes the marked content that some glyphs alone are in. */
interface Marked {
  open(): void;
  close(): void;
}

/** Where glyphs go in the structure tree: marked content of `owner` as `tag`. */
interface Content {
  tree: StructTree;
  owner: StructElement;
  tag: string;
}

/**
 * Writes one run of glyphs with its baseline at `baseline` (points from the top), widening each
 * space by `extra`. The spaces stay in the text (pdfkit's justify drops them). A glyph that the
 * font places off its pen (a combining mark over its letter, by the font's mark positioning) is
 * drawn at its own text matrix, as pdfkit draws it: a TJ array moves glyphs only sideways.
 *
 * Glyphs that do not read as the text they stand for (a vowel sign drawn before its consonant,
 * a mark off the pen) carry it as actual text: as a Span of the `content` owner where the glyphs
 * are tagged content, else (running heads, list labels) as a marked sequence inside the text.
 * `inside` opens and closes the marked content that the glyphs alone are in (a break hyphen's).
 */
function showFrag(
  doc: Doc,
  f: Frag,
  x: number,
  baseline: number,
  extra: number,
  fonts: FontBook,
  inside?: Marked | Content,
): void {
  const font: PdfFont = fonts.get(f.span.font);
  const size = f.span.size;
  const [encoded, positions, stretch, squeeze] = f.cjk ? encodeByCharacter(font, f.text, f.trimEnd) : [...font.encode(f.text), undefined, undefined];
  if (doc.page.fonts[font.id] == null) doc.page.fonts[font.id] = font.ref();
  const space = spaceCode(font);
  const scale = 1000 / size;
  const y = doc.page.height - baseline;
  /** Where the pen is, in thousandths of the size from `x`. */
  let pen = 0;
  /** The text-showing operators of glyphs `from` to `to`, from the pen on. */
  const show = (from: number, to: number): string => {
    const shown: string[] = [];
    let parts: string[] = [];
    let run = '';
    const flush = () => {
      if (run) parts.push(`<${run}>`);
      if (parts.length > 0) shown.push(`[${parts.join(' ')}] TJ`);
      parts = [];
      run = '';
    };
    /** Whether the text matrix is away from the pen. */
    let moved = false;
    for (let i = from; i < to; i++) {
      const pos = positions[i]!;
      let adjust = pos.xAdvance - pos.advanceWidth;
      if (extra && (stretch?.[i] || encoded[i] === space)) adjust += extra * scale;
      // Half an em (500 thousandths) less after a squeezed punctuation mark.
      if (squeeze?.[i]) adjust -= 500;
      if (pos.xOffset || pos.yOffset) {
        flush();
        // Character spacing makes the glyph reach the pen again, for readers of the text layer:
        // poppler ends a run of actual text where its last glyph's advance ends.
        const spacing = num((adjust - pos.xOffset) / scale);
        const glyph = spacing === '0' ? `[<${encoded[i]}>] TJ` : `${spacing} Tc [<${encoded[i]}>] TJ 0 Tc`;
        shown.push(`1 0 0 1 ${num(x + (pen + pos.xOffset) / scale)} ${num(y + pos.yOffset / scale)} Tm ${glyph}`);
        moved = true;
      } else {
        if (moved) {
          flush();
          shown.push(`1 0 0 1 ${num(x + pen / scale)} ${num(y)} Tm`);
          moved = false;
        }
        run += encoded[i];
        if (adjust !== 0) {
          parts.push(`<${run}> ${num(-adjust)}`);
          run = '';
        }
      }
      pen += pos.advanceWidth + adjust;
    }
    flush();
    return shown.length > 0 ? shown.join(' ') : '[] TJ';
  };
  const draw = (from: number, to: number, around?: Marked, actual?: string) => {
    const start = x + pen / scale;
    let shown = show(from, to);
    if (actual !== undefined) shown = `/Span <</ActualText <${utf16(actual)}>>> BDC ${shown} EMC`;
    doc.save();
    doc.fillColor(f.span.color);
    doc.transform(1, 0, 0, -1, 0, doc.page.height);
    around?.open();
    doc.addContent(`BT 1 0 0 1 ${num(start)} ${num(y)} Tm /${font.id} ${num(size)} Tf ${shown} ET`);
    around?.close();
    doc.restore();
  };
  const content = inside && 'tree' in inside ? inside : undefined;
  const marked = inside && !('tree' in inside) ? inside : undefined;
  for (const c of clusters(font, encoded, positions, f.text)) {
    if (c.actual === undefined) {
      content?.tree.mark(content.owner, content.tag);
      draw(c.from, c.to, marked);
    } else if (content) content.tree.actual(content.owner, c.actual, (span) => draw(c.from, c.to, span));
    else draw(c.from, c.to, marked, c.actual);
  }
}

/** A PDF text string in UTF-16BE with its byte order mark, as hex. */
function utf16(text: string): string {
  return `FEFF${Buffer.from(text, 'utf16le').swap16().toString('hex').toUpperCase()}`;
}

/**
 * The glyphs of a shaped text in clusters: the fewest glyphs that stand for a run of whole
 * grapheme clusters of the text (counted by the characters the PDF maps the glyphs to), with
 * that text as `actual` where the glyphs do not read as it: in another order, as other
 * characters, or off the pen. Most text reads as it is written: one cluster, found at once.
 */
function clusters(font: PdfFont, encoded: readonly string[], positions: ReturnType<PdfFont['encode']>[1], text: string): { from: number; to: number; actual?: string }[] {
  const chars = (i: number): readonly number[] => font.unicode[parseInt(encoded[i]!, 16)] ?? [];
  const offset = (i: number) => positions[i]!.xOffset !== 0 || positions[i]!.yOffset !== 0;
  const cps = [...text].map((ch) => ch.codePointAt(0)!);
  let t = 0;
  let reads = true;
  for (let i = 0; i < encoded.length && reads; i++) {
    if (offset(i)) reads = false;
    for (const cp of chars(i)) if (cps[t++] !== cp) reads = false;
  }
  if (reads && t === cps.length) return [{ from: 0, to: encoded.length }];

  // Where a grapheme cluster of the text ends, by code point.
  const ends = new Set<number>();
  let at = 0;
  for (const { segment } of GRAPHEMES.segment(text)) ends.add((at += [...segment].length));
  // The glyphs' characters are counted against as many of the text's: a cluster closes where
  // both hold the same characters, at the end of a grapheme cluster.
  const owed = new Map<number, number>();
  let unbalanced = 0;
  const count = (cp: number, by: number) => {
    const n = (owed.get(cp) ?? 0) + by;
    owed.set(cp, n);
    if (n === 0) unbalanced--;
    else if (n === by) unbalanced++;
  };
  const pieces: { from: number; to: number; textFrom: number; textTo: number; reads: boolean }[] = [];
  let from = 0;
  let textFrom = 0;
  let counted = 0;
  t = 0;
  const close = (to: number) => {
    let k = textFrom;
    let reads = true;
    for (let i = from; i < to && reads; i++) {
      if (offset(i)) reads = false;
      for (const cp of chars(i)) if (cps[k++] !== cp) reads = false;
    }
    reads &&= k === t;
    const last = pieces.at(-1);
    // Glyphs that stand for no more of the text (the second part of a vowel that the font
    // draws in two) belong to the cluster before them.
    if (last && t === textFrom) {
      last.to = to;
      last.reads = false;
    } else if (last && reads && last.reads) {
      last.to = to;
      last.textTo = t;
    } else pieces.push({ from, to, textFrom, textTo: t, reads });
    from = to;
    textFrom = t;
  };
  for (let i = 0; i < encoded.length; i++) {
    for (const cp of chars(i)) {
      count(cp, 1);
      counted++;
    }
    while (t < cps.length && t < counted) count(cps[t++]!, -1);
    if (unbalanced === 0 && ends.has(t) && i + 1 < encoded.length) close(i + 1);
  }
  t = cps.length;
  if (from < encoded.length) close(encoded.length);
  else if (textFrom < t && pieces.length > 0) {
    // Characters that no glyph stands for (a joiner the font drops) at the end.
    pieces.at(-1)!.textTo = t;
    pieces.at(-1)!.reads = false;
  }
  return pieces.map((p) => ({ from: p.from, to: p.to, ...(!p.reads && { actual: String.fromCodePoint(...cps.slice(p.textFrom, p.textTo)) }) }));
}

/**
 * Chinese has no spaces, so pdfkit's word cache would shape each line whole, once per line.
 * Shaped character by character (a run of Latin letters or digits stays one word), every
 * character is shaped once for the whole build; Chinese type has no kerning or ligatures
 * between ideographs, so the glyphs and advances are the same.
 */
function encodeByCharacter(font: PdfFont, text: string, trimEnd = false): [...ReturnType<PdfFont['encode']>, boolean[], boolean[]] {
  const encoded: string[] = [];
  const positions: ReturnType<PdfFont['encode']>[1] = [];
  // Justification widens after each CJK character, not inside a Latin word or a number; a
  // punctuation mark before another gives up half its em (as lines.ts measured it).
  const stretch: boolean[] = [];
  const squeeze: boolean[] = [];
  for (const match of text.matchAll(CJK_OR_RUN)) {
    const part = match[0];
    const [e, p] = font.encode(part);
    const ideograph = CJK.test(part);
    const squeezedHere = ideograph && squeezed(part, text[match.index! + part.length]);
    for (let i = 0; i < e.length; i++) {
      encoded.push(e[i]!);
      positions.push(p[i]!);
      stretch.push(ideograph);
      squeeze.push(squeezedHere && i === e.length - 1);
    }
  }
  // A closing mark that ends a line is set half-width (lines.ts measured it so).
  if (trimEnd && squeeze.length > 0) squeeze[squeeze.length - 1] = true;
  return [encoded, positions, stretch, squeeze];
}

const spaceCodes = new WeakMap<PdfFont, string>();

function spaceCode(font: PdfFont): string {
  let code = spaceCodes.get(font);
  if (code === undefined) {
    code = font.encode(' ')[0][0] ?? '';
    spaceCodes.set(font, code);
  }
  return code;
}

/** Numbers as pdfkit writes them: fixed precision, so output is the same on every machine. */
function num(n: number): string {
  return (Math.round(n * 1000) / 1000).toString();
}
