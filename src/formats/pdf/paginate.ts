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
    // A soft break (a packet's part) is taken only when the page it leaves is a third full.
    else if (block.softBreakBefore && !c.fresh && c.y - top >= (bottom - top) / 3) newPage();
    const gap = () => (c.flush ? 0 : Math.max(c.prevAfter, block.spaceBefore));
    const n = block.lines.length;

    if (block.columns) {
      const need = gap() + startHeight(block) + (block.keepWithNext ? keepHeight(blocks, i + 1, after(block)) : 0);
      if (c.y + need > bottom && !c.fresh) newPage();
      pair(block.columns, c, c.y + gap(), top, bottom, newPage);
      continue;
    }

    if (block.cells || block.image || block.unsplittable || block.keepWithNext || n <= MIN_LINES) {
      const needed = gap() + blockHeight(block) + (block.keepWithNext ? keepHeight(blocks, i + 1, after(block)) : 0);
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

/** The space a block leaves below it: a pair's is its columns' last blocks'. */
function after(block: FlowBlock): number {
  return block.columns ? Math.max(0, ...block.columns.map((col) => col.at(-1)?.spaceAfter ?? 0)) : block.spaceAfter;
}

/** What a pair needs to start on a page: the tallest column's first lines. */
function startHeight(block: FlowBlock): number {
  return Math.max(0, ...block.columns!.map((col) => keepHeight(col, 0, 0, true)));
}

/**
 * What a heading must keep on its page: the first two lines of text after it, through a run of
 * headings and over a block of one line (a short note, a list item), with the space the flow
 * will put between them (the larger of the one's space after and the other's space before).
 * `flush`: the first block stands at the top of its column, with no space above it.
 */
function keepHeight(blocks: readonly FlowBlock[], i: number, prevAfter: number, flush = false, want = MIN_LINES): number {
  const next = blocks[i];
  if (!next || want <= 0) return 0;
  const gap = flush ? 0 : Math.max(prevAfter, next.spaceBefore);
  if (next.columns) return gap + startHeight(next) + (next.keepWithNext ? keepHeight(blocks, i + 1, after(next)) : 0);
  if (next.cells || next.image) return gap + blockHeight(next);
  if (next.keepWithNext) return gap + linesHeight(next.lines) + keepHeight(blocks, i + 1, next.spaceAfter, false, want);
  // A block moved whole (a short paragraph, a rule) is kept whole.
  // (A paragraph of fewer than four lines cannot leave two behind: it moves whole.)
  const whole = next.unsplittable || next.lines.length < 2 * MIN_LINES;
  const lines = whole ? next.lines : next.lines.slice(0, Math.max(want, MIN_LINES));
  const h = gap + linesHeight(lines);
  // Too few lines of text yet (a one-line block): the next block's first lines too.
  const text = next.tag === 'Artifact' ? 0 : lines.length;
  return text < want && !next.pageBreakBefore ? h + keepHeight(blocks, i + 1, next.spaceAfter, false, want - text) : h;
}
