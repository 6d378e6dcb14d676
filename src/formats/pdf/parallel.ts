/**
 * The body of a bilingual print edition: each heading and block of the first language beside
 * the same ID's in the second, as pairs of columns (paginate.ts starts both columns of a pair
 * at the same height), or, in the alternating layout, followed by it in one column, indented. The pair and the section are shared structure elements; each column is
 * a Div carrying its language, so a screen reader switches voice with the text.
 */
import type { List, RootContent } from 'mdast';
import type { ParallelSection } from '../../model/parallel.js';
import type { Block, DocumentModel } from '../../model/types.js';
import type { FlowBuilder, Origin } from './blocks.js';
import type { FlowBlock, Frame } from './flow.js';

export interface Column {
  builder: FlowBuilder;
  model: DocumentModel;
  origin: Origin;
  /** A line under a block whose translation is stale or missing (draft builds only). */
  flag?: (id: string) => string | undefined;
}

/** How the two languages stand: side by side with `gutter` between them, or alternating. */
export interface ParallelLayout {
  gutter: number;
  alternating: boolean;
}

/** Sets every paired section (headings, then blocks, then subsections), `a` the first text's column. */
export function parallelSections(page: FlowBuilder, a: Column, b: Column, layout: ParallelLayout, sections: readonly ParallelSection[]): void {
  const section = (s: ParallelSection, path: Frame[]) => {
    const sect = [...path, page.frame('Sect')];
    // The preamble has no heading to pair.
    if (s.original.heading) {
      const headings = pair(page, sect, a, b, layout, s.id, (side, p) => {
        const sec = side === a ? s.first : s.second;
        if (sec?.heading) side.builder.heading(sec.heading, sec, p, side.origin);
      });
      headings.keepWithNext = true;
    }
    for (const row of s.rows) {
      pair(page, sect, a, b, layout, row.id, (side, p) => {
        const x = side === a ? row.first : row.second;
        // Both sides are set as the original's block is (a list item, a quotation).
        if (x) columnBlock(side.builder, { ...row.original, node: x.node }, p, side.origin);
      });
    }
    for (const c of s.children) section(c, sect);
  };
  for (const s of sections) section(s, []);
}

/**
 * One pair: what `fill` sets for each column, the second column moved right by a column and
 * the gutter. Returns the pair block (already in the page's flow). In the alternating layout
 * the blocks go into the flow one after the other, the second language's indented, and the
 * last of them is returned.
 */
export function pair(page: FlowBuilder, path: Frame[], a: Column, b: Column, layout: ParallelLayout, id: string, fill: (side: Column, path: Frame[]) => void): FlowBlock {
  const frame = page.frame('Div', { parallel: true });
  const columns = [a, b].map((side) => {
    const start = side.builder.blocks.length;
    const col = [...path, frame, side.builder.frame('Div', { lang: side.model.lang })];
    fill(side, col);
    const flag = side.flag?.(id);
    if (flag) {
      const style = { ...side.builder.bodyStyle(), size: side.builder.theme.body.size * 0.85, color: side.builder.color('accent'), justify: false };
      side.builder.text([{ type: 'emphasis', children: [{ type: 'text', value: flag }] }], style, side.origin, { tag: 'P', path: col });
    }
    return side.builder.blocks.splice(start);
  });
  if (layout.alternating) {
    for (const block of columns[1]!) shift(block, page.contentWidth - b.builder.contentWidth);
    page.blocks.push(...columns.flat());
    return page.blocks.at(-1)!;
  }
  const dx = a.builder.contentWidth + layout.gutter;
  for (const block of columns[1]!) shift(block, dx);
  const block: FlowBlock = {
    tag: 'Div',
    path: [...path, frame],
    lines: [],
    x: 0,
    width: page.contentWidth,
    align: 'left',
    spaceBefore: Math.max(0, ...columns.map((c) => c[0]?.spaceBefore ?? 0)),
    spaceAfter: 0,
    keepWithNext: false,
    unsplittable: false,
    dests: [],
    columns,
  };
  page.blocks.push(block);
  return block;
}

/**
 * One aligned block in a column: a paragraph, a list item's paragraph with its number or bullet
 * (the item's later paragraphs without), or a quoted block with its rule.
 */
function columnBlock(builder: FlowBuilder, block: Block, path: Frame[], origin: Origin): void {
  if (block.item) {
    const list: List = {
      type: 'list',
      ordered: block.item.ordered,
      start: block.item.number,
      spread: false,
      children: [{ type: 'listItem', spread: false, children: [block.node as never] }],
    };
    const start = builder.blocks.length;
    builder.block(list, path, 0, origin);
    if (!block.item.first && builder.blocks[start]) delete builder.blocks[start]!.label;
    return;
  }
  const node: RootContent = block.kind.startsWith('quoted') ? { type: 'blockquote', children: [block.node as never] } : block.node;
  builder.block(node, path, 0, origin);
}

/** Moves a block (its label and table cells too) `dx` points to the right. */
function shift(block: FlowBlock, dx: number): void {
  block.x += dx;
  if (block.label) block.label.x += dx;
  for (const cell of block.cells ?? []) cell.x += dx;
}
