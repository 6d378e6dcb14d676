/**
 * Pagination: flow blocks onto pages. Headings keep with the first two lines of what follows;
 * a paragraph never leaves one line alone at the foot or the head of a page (no orphans, no
 * widows); unsplittable blocks (headings, table rows, rules) move whole. A bilingual pair lays
 * out each column by the same rules from the same height, and moves to the next page whole
 * when one column could not start beside the other.
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

/** Where the flow stands. */
interface Cursor {
  pages: PageLayout[];
  y: number;
  prevAfter: number;
  /** Nothing is above on this page: a block that does not fit is placed here all the same. */
  fresh: boolean;
  /** No space before the next block (the top of a page, or of a column). */
  flush: boolean;
}

export function paginate(blocks: readonly FlowBlock[], top: number, bottom: number): PageLayout[] {
  const cursor: Cursor = { pages: [{ placements: [] }], y: top, prevAfter: 0, fresh: true, flush: true };
  flow(blocks, cursor, top, bottom);
  return cursor.pages;
}

function flow(blocks: readonly FlowBlock[], c: Cursor, top: number, bottom: number): void {
  const page = () => c.pages.at(-1)!;
  const newPage = () => {
    c.pages.push({ placements: [] });
    c.y = top;
    c.prevAfter = 0;
    c.fresh = true;
    c.flush = true;
  };
  const placed = (spaceAfter: number) => {
    c.prevAfter = spaceAfter;
    c.fresh = false;
    c.flush = false;
  };

  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i]!;
    if (block.pageBreakBefore && !c.fresh) newPage();
    const gap = () => (c.flush ? 0 : Math.max(c.prevAfter, block.spaceBefore));
    const n = block.lines.length;

    if (block.columns) {
      const need = gap() + startHeight(block) + (block.keepWithNext ? keepHeight(blocks, i + 1) : 0);
      if (c.y + need > bottom && !c.fresh) newPage();
      pair(block.columns, c, c.y + gap(), top, bottom, newPage);
      continue;
    }

    if (block.cells || block.image || block.unsplittable || block.keepWithNext || n <= MIN_LINES) {
      const needed = gap() + blockHeight(block) + (block.keepWithNext ? keepHeight(blocks, i + 1) : 0);
      if (c.y + needed > bottom && !c.fresh) newPage();
      c.y += gap();
      page().placements.push({ block, from: 0, to: n, y: c.y });
      c.y += blockHeight(block);
      placed(block.spaceAfter);
      continue;
    }

    let from = 0;
    while (from < n) {
      c.y += gap();
      let k = 0;
      let h = 0;
      while (from + k < n && c.y + h + block.lines[from + k]!.height <= bottom + 0.01) h += block.lines[from + k++]!.height;
      const rest = n - from - k;
      if (rest > 0) {
        // Leave at least two lines for the next page (no widow) ...
        if (rest < MIN_LINES) k -= MIN_LINES - rest;
        // ... and put at least two here (no orphan), or move the whole paragraph on.
        if (k < MIN_LINES && !c.fresh) {
          newPage();
          continue;
        }
        k = Math.max(k, 1);
      }
      page().placements.push({ block, from, to: from + k, y: c.y });
      c.y += linesHeight(block.lines.slice(from, from + k));
      from += k;
      placed(block.spaceAfter);
      if (from < n) newPage();
    }
  }
}

/**
 * Lays the columns of a pair from `y0`, each on its own cursor, then merges their pages into
 * the flow. When a column cannot start on this page beside the other (its first block moved
 * on), the pair starts on the next page instead, so both sides always begin level.
 */
function pair(columns: readonly FlowBlock[][], c: Cursor, y0: number, top: number, bottom: number, newPage: () => void): void {
  const lay = (y: number) =>
    columns.map((col) => {
      const sub: Cursor = { pages: [{ placements: [] }], y, prevAfter: 0, fresh: c.fresh, flush: true };
      flow(col, sub, top, bottom);
      return sub;
    });
  let laid = lay(y0);
  // An empty column (a missing translation) has nothing to start.
  const startsLater = (sub: Cursor, k: number) => columns[k]!.length > 0 && sub.pages[0]!.placements.length === 0;
  if (!c.fresh && laid.some(startsLater)) {
    newPage();
    laid = lay(c.y);
  }
  const first = c.pages.length - 1;
  const count = Math.max(...laid.map((sub) => sub.pages.length));
  for (let k = 0; k < count; k++) {
    const target = c.pages[first + k] ?? (c.pages.push({ placements: [] }), c.pages[first + k]!);
    for (const sub of laid) target.placements.push(...(sub.pages[k]?.placements ?? []));
  }
  // Below the pair: under the longer column on the last page.
  const last = laid.filter((sub) => sub.pages.length === count);
  c.y = Math.max(...last.map((sub) => sub.y));
  c.prevAfter = Math.max(...last.map((sub) => sub.prevAfter));
  c.fresh = false;
  c.flush = false;
}

/** What a pair needs to start on a page: the tallest column's first lines. */
function startHeight(block: FlowBlock): number {
  return Math.max(0, ...block.columns!.map((col) => keepHeight(col, 0)));
}

/** What a heading must keep on its page: the next block's first lines (through a run of headings). */
function keepHeight(blocks: readonly FlowBlock[], i: number): number {
  const next = blocks[i];
  if (!next) return 0;
  const gap = next.spaceBefore;
  if (next.columns) return gap + startHeight(next) + (next.keepWithNext ? keepHeight(blocks, i + 1) : 0);
  if (next.cells || next.image) return gap + blockHeight(next);
  const lines = next.keepWithNext ? next.lines : next.lines.slice(0, MIN_LINES);
  return gap + linesHeight(lines) + (next.keepWithNext ? keepHeight(blocks, i + 1) : 0);
}
