/**
 * Pagination: flow blocks onto pages. Headings keep with the first two lines of what follows;
 * a paragraph never leaves one line alone at the foot or the head of a page (no orphans, no
 * widows); unsplittable blocks (headings, table rows, rules) move whole.
 */
import { blockHeight, linesHeight, type FlowBlock } from './flow.js';

export interface Placement {
  block: FlowBlock;
  /** The block's lines placed here: [from, to). */
  from: number;
  to: number;
  /** Top of the first line, in points from the page's top edge. */
  y: number;
}

export interface PageLayout {
  placements: Placement[];
}

const MIN_LINES = 2;

export function paginate(blocks: readonly FlowBlock[], top: number, bottom: number): PageLayout[] {
  const pages: PageLayout[] = [{ placements: [] }];
  let y = top;
  let prevAfter = 0;
  const page = () => pages.at(-1)!;
  const newPage = () => {
    pages.push({ placements: [] });
    y = top;
    prevAfter = 0;
  };
  const empty = () => page().placements.length === 0;

  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (block.pageBreakBefore && !empty()) newPage();
    const gap = () => (empty() ? 0 : Math.max(prevAfter, block.spaceBefore));
    const n = block.lines.length;

    if (block.cells || block.image || block.unsplittable || block.keepWithNext || n <= MIN_LINES) {
      const needed = gap() + blockHeight(block) + (block.keepWithNext ? keepHeight(blocks, i + 1) : 0);
      if (y + needed > bottom && !empty()) newPage();
      y += gap();
      page().placements.push({ block, from: 0, to: n, y });
      y += blockHeight(block);
      prevAfter = block.spaceAfter;
      continue;
    }

    let from = 0;
    while (from < n) {
      y += gap();
      let k = 0;
      let h = 0;
      while (from + k < n && y + h + block.lines[from + k]!.height <= bottom + 0.01) h += block.lines[from + k++]!.height;
      const rest = n - from - k;
      if (rest > 0) {
        // Leave at least two lines for the next page (no widow) ...
        if (rest < MIN_LINES) k -= MIN_LINES - rest;
        // ... and put at least two here (no orphan), or move the whole paragraph on.
        if (k < MIN_LINES && !empty()) {
          newPage();
          continue;
        }
        k = Math.max(k, 1);
      }
      page().placements.push({ block, from, to: from + k, y });
      y += linesHeight(block.lines.slice(from, from + k));
      from += k;
      if (from < n) newPage();
    }
    prevAfter = block.spaceAfter;
  }
  return pages;
}

/** What a heading must keep on its page: the next block's first lines (through a run of headings). */
function keepHeight(blocks: readonly FlowBlock[], i: number): number {
  const next = blocks[i];
  if (!next) return 0;
  const gap = next.spaceBefore;
  if (next.cells || next.image) return gap + blockHeight(next);
  const lines = next.keepWithNext ? next.lines : next.lines.slice(0, MIN_LINES);
  return gap + linesHeight(lines) + (next.keepWithNext ? keepHeight(blocks, i + 1) : 0);
}
