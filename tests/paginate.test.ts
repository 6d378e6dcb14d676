/** Pagination of bilingual pairs, on measured blocks made by hand: heights in points. */
import { describe, expect, it } from 'vitest';
import type { FlowBlock } from '../src/formats/pdf/flow.js';
import { paginate } from '../src/formats/pdf/paginate.js';

const LINE = 12;

function block(lines: number, extra: Partial<FlowBlock> = {}): FlowBlock {
  return {
    tag: 'P',
    path: [],
    lines: Array.from({ length: lines }, () => ({ frags: [], width: 0, extraPerSpace: 0, height: LINE, ascent: 9 })),
    x: 0,
    width: 100,
    align: 'left',
    spaceBefore: 0,
    spaceAfter: 0,
    keepWithNext: false,
    unsplittable: false,
    dests: [],
    ...extra,
  };
}

function pair(left: FlowBlock[], right: FlowBlock[], extra: Partial<FlowBlock> = {}): FlowBlock {
  return { ...block(0), tag: 'Div', columns: [left, right], ...extra };
}

/** Page (from 0), first line and y of each placement of `b`. */
function where(pages: ReturnType<typeof paginate>, b: FlowBlock) {
  return pages.flatMap((p, i) => p.placements.filter((pl) => pl.block === b).map((pl) => ({ page: i, from: pl.from, to: pl.to, y: pl.y })));
}

describe('a bilingual pair', () => {
  it('starts both columns at the same height', () => {
    const filler = block(3);
    const [l, r] = [block(2), block(4)];
    const pages = paginate([filler, pair([l], [r])], 0, 120);
    expect(where(pages, l)[0]).toEqual({ page: 0, from: 0, to: 2, y: 36 });
    expect(where(pages, r)[0]).toEqual({ page: 0, from: 0, to: 4, y: 36 });
  });

  it('moves whole to the next page when one column cannot start beside the other', () => {
    const filler = block(5);
    // 60 points left: the paragraph could start, the unsplittable block (72) cannot.
    const [l, r] = [block(8), block(6, { unsplittable: true })];
    const after = block(1);
    const pages = paginate([filler, pair([l], [r]), after], 0, 120);
    expect(where(pages, l)[0]).toMatchObject({ page: 1, y: 0 });
    expect(where(pages, r)[0]).toMatchObject({ page: 1, y: 0 });
    // The next block goes below the longer column.
    expect(where(pages, after)[0]).toMatchObject({ page: 1, y: 96 });
  });

  it('splits each column without widows or orphans, and continues both at the top of the next page', () => {
    const filler = block(6);
    // 48 points (four lines) left: five lines split 3 + 2, not 4 + 1; three lines fit whole.
    const [l, r] = [block(5), block(3)];
    const pages = paginate([filler, pair([l], [r])], 0, 120);
    expect(where(pages, l)).toEqual([
      { page: 0, from: 0, to: 3, y: 72 },
      { page: 1, from: 3, to: 5, y: 0 },
    ]);
    expect(where(pages, r)).toEqual([{ page: 0, from: 0, to: 3, y: 72 }]);
  });

  it('keeps a heading pair on the page of the first lines of the next pair', () => {
    const filler = block(8);
    const headings = pair([block(1, { keepWithNext: true, unsplittable: true })], [block(1, { keepWithNext: true, unsplittable: true })], { keepWithNext: true });
    const [l, r] = [block(4), block(4)];
    // 24 points left: the headings (12) fit, but not with two lines of the next pair (24) after them.
    const pages = paginate([filler, headings, pair([l], [r])], 0, 120);
    expect(where(pages, headings.columns![0]![0]!)[0]).toMatchObject({ page: 1, y: 0 });
    expect(where(pages, headings.columns![1]![0]!)[0]).toMatchObject({ page: 1, y: 0 });
    expect(where(pages, l)[0]).toMatchObject({ page: 1, y: 12 });
  });
});

describe('keep with next', () => {
  it('counts the space the heading leaves below it, so a heading never ends a page', () => {
    // 84 points of 120 used; the heading (12) and two lines (24) need 36 more, with 12 of space
    // after the heading: they do not fit, so the heading moves on.
    const filler = block(7);
    const heading = block(1, { keepWithNext: true, unsplittable: true, spaceAfter: 12 });
    const text = block(6);
    const pages = paginate([filler, heading, text], 0, 120);
    expect(where(pages, heading)[0]).toMatchObject({ page: 1, y: 0 });
  });

  it('keeps two lines of text after a heading over a block of one line', () => {
    const filler = block(6);
    const heading = block(1, { keepWithNext: true, unsplittable: true });
    const note = block(1);
    const text = block(6);
    // 72 + 12 + 12 leaves 24: one line of `text` would fit, not two.
    const pages = paginate([filler, heading, note, text, block(1)], 0, 108);
    expect(where(pages, heading)[0]).toMatchObject({ page: 1, y: 0 });
  });

  it('keeps a heading pair with the start of the pair after it, by the space inside the columns', () => {
    const filler = block(7);
    const heads = pair([block(1, { keepWithNext: true, unsplittable: true, spaceAfter: 12 })], [block(1, { keepWithNext: true, unsplittable: true, spaceAfter: 12 })], { keepWithNext: true });
    const text = pair([block(6)], [block(6)]);
    const pages = paginate([filler, heads, text], 0, 120);
    expect(where(pages, heads.columns![0]![0]!)[0]).toMatchObject({ page: 1, y: 0 });
  });
});

describe('a soft break', () => {
  it('starts a page when the page it leaves is a third full', () => {
    const part = block(2, { softBreakBefore: true });
    const pages = paginate([block(4), part], 0, 120);
    expect(where(pages, part)[0]).toMatchObject({ page: 1, y: 0 });
  });

  it('runs on after a page under a third full', () => {
    const part = block(2, { softBreakBefore: true });
    const pages = paginate([block(11), part], 0, 120);
    expect(where(pages, part)[0]).toMatchObject({ page: 1, y: 24 });
  });
});
