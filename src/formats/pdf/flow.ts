/** The flow of a print edition: blocks of measured lines, each with its place in the structure tree. */
import type { Section } from '../../model/types.js';
import type { Line, Link } from './lines.js';

/** A structure element that groups blocks: a section, a list, a list item, a quotation, a table. */
export interface Frame {
  /** Unique in the document: blocks that share a frame share one structure element. */
  key: string;
  type: 'Sect' | 'L' | 'LI' | 'LBody' | 'BlockQuote' | 'Table' | 'TR' | 'TOC' | 'TOCI' | 'Div' | 'NonStruct';
  /** The language of the text inside, when it differs from the document's (a bilingual column). */
  lang?: string;
  /**
   * Holds parallel columns whose content interleaves on the page (left, right, then left again
   * on the next page): its children stay open until the frame itself is left.
   */
  parallel?: boolean;
}

/** An image scaled to `width` x `height` points, with its alternative text. */
export interface FigureImage {
  /** pdfkit's opened image. */
  source: unknown;
  width: number;
  height: number;
  alt: string;
  /** The link the image stands in: the whole image is its area. */
  link?: Link;
}

export interface Cell {
  x: number;
  width: number;
  lines: Line[];
  /** Images in the cell, set below its text, each a Figure inside the cell's element. */
  images?: FigureImage[];
  tag: 'TH' | 'TD';
  align: 'left' | 'center' | 'right';
}

export interface FlowBlock {
  /** Structure tag of the block's own element: P, H1-H6, Code, or TOCI content. */
  tag: string;
  /** Enclosing frames, outermost first. */
  path: Frame[];
  lines: Line[];
  /** Offset from the left edge of the text area, and the width lines were broken to. */
  x: number;
  width: number;
  align: 'left' | 'center' | 'right' | 'justify';
  spaceBefore: number;
  spaceAfter: number;
  /** Keep on the page of the next block (headings). */
  keepWithNext: boolean;
  /** Never split over two pages. */
  unsplittable: boolean;
  /** Named destinations at the top of the block (stable IDs). */
  dests: string[];
  /**
   * Breaks the block's text again with no hyphen at the end of the given lines (counted from 0):
   * the page breaker's way to keep a hyphen off a page's last line. Justified text only.
   */
  rebreak?: (noHyphenAfter: ReadonlySet<number>) => Line[];
  /** A list label drawn beside the first line. */
  label?: { line: Line; x: number };
  /** A section heading: feeds the running heads, the outline and the table of contents. */
  heading?: Section;
  /** A table row: cells laid side by side instead of lines. */
  cells?: Cell[];
  /** Decorations drawn as artifacts. */
  rule?: 'break' | 'quote';
  /** A table-of-contents entry: the destination and the page number drawn at the right. */
  toc?: { dest: string; page: string };
  /** Start a new page before this block. */
  pageBreakBefore?: boolean;
  /** Start a new page before this block when the page it leaves is at least a third full; else run on. */
  softBreakBefore?: boolean;
  /** Indent of the lines after the first (a hanging indent: contents entries). */
  hang?: number;
  /** Vertical padding (table rows). */
  padding?: number;
  /** A figure: an image scaled to `width` x `height` points, with its alternative text. */
  image?: FigureImage;
  /**
   * A bilingual pair: columns of blocks set side by side, both starting at the same height.
   * The pair itself is never drawn; pagination places its columns' blocks.
   */
  columns?: FlowBlock[][];
}

/** Every block, the blocks of pairs' columns included, in reading order. */
export function* eachBlock(blocks: readonly FlowBlock[]): Generator<FlowBlock> {
  for (const b of blocks) {
    if (b.columns) for (const col of b.columns) yield* eachBlock(col);
    else yield b;
  }
}

/** Height of a block's lines (or its row). */
export function linesHeight(lines: readonly Line[]): number {
  let h = 0;
  for (const l of lines) h += l.height;
  return h;
}

/** Height of a block placed whole: a table row, a figure, or all of its lines. */
export function blockHeight(b: FlowBlock): number {
  if (b.image) return b.image.height;
  if (!b.cells) return linesHeight(b.lines);
  return Math.max(...b.cells.map(cellHeight)) + 2 * (b.padding ?? 0);
}

/** Space between a cell's text and its images, and between images. */
export const CELL_IMAGE_GAP = 3;

/** Height of a table cell's content: its lines, then its images. */
export function cellHeight(c: Cell): number {
  let h = linesHeight(c.lines);
  for (const image of c.images ?? []) h += (h > 0 ? CELL_IMAGE_GAP : 0) + image.height;
  return h;
}
