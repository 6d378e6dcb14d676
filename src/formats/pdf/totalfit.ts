/**
 * Total-fit paragraph breaking (Knuth and Plass, "Breaking paragraphs into lines", 1981; TeX's
 * §813-890): of all the ways to break a paragraph at its break opportunities, the one with the
 * least total demerits, each line's badness 100·|r|³ from how far its spaces stretch or shrink
 * (r), plus penalties for hyphens, for two hyphenated lines in a row and for a loose line next
 * to a tight one.
 *
 * Our own, not tex-linebreak's (read before writing this: it works on its own boxes, glue and
 * penalties with its own text measuring, throws MaxAdjustmentExceededError where a paragraph
 * has no feasible breaks, and has no hard limit on consecutive hyphens, no looseness and no
 * emergency stretch). Here the items are the line breaker's pieces, already shaped and
 * measured by our fonts (a Chinese piece stretches at its ideographs, a Latin one at its
 * spaces), and a feasible break remembers how many hyphenated lines end in a row before it, so
 * "at most 2" is a rule, not only a cost (TeX's \doublehyphendemerits alone lets a third through).
 *
 * Cost: one pass over the break opportunities, each tried against the active breaks, which a
 * line overfull at its tightest retires: linear in the paragraph's length times the number of
 * breaks a line may start from (a few dozen).
 */

export interface FitItem {
  /** Natural width, its trailing spaces included. */
  width: number;
  /** Width of the spaces at its end, dropped at a line end. */
  trailing: number;
  stretch: number;
  shrink: number;
  /** Stretch and shrink of the trailing spaces, lost at a line end. */
  trailingStretch: number;
  trailingShrink: number;
  /** Breaking after it adds a hyphen of this width (0: no hyphen added). */
  hyphenWidth: number;
  /** A line ending here ends with a hyphen, added or written (counts towards a run). */
  flagged: boolean;
  /** Width given up when a line ends with it (a full-width closing mark set half-width). */
  endTrim: number;
  /** Width given up when a line starts with it (a full-width opening mark set half-width). */
  startTrim: number;
  /** A part of a word broken where it fills the line (an address): the word goes on after it. */
  inWord?: boolean;
}

export interface FitSettings {
  /** The highest badness a line may have (TeX's \tolerance). */
  tolerance: number;
  /** Demerits added to each line (\linepenalty). */
  linePenalty: number;
  /** Penalty of a break at a hyphen (\hyphenpenalty and \exhyphenpenalty). */
  hyphenPenalty: number;
  /** Demerits of two hyphenated lines in a row (\doublehyphendemerits). */
  doubleHyphenDemerits: number;
  /** Demerits of a hyphen on the paragraph's second-last line (\finalhyphendemerits). */
  finalHyphenDemerits: number;
  /** Demerits of a loose line next to a tight one (\adjdemerits). */
  adjDemerits: number;
  /** The most hyphenated lines in a row. */
  maxHyphenRun: number;
  /** Lines more (positive) or fewer (negative) than the best breaking, if feasible (\looseness). */
  looseness: number;
  /** Stretch added to every line in a last pass when no breaking is feasible (\emergencystretch), points. */
  emergencyStretch: number;
  /** Stretch of every line's right margin, points: ragged right (TeX's \rightskip 0pt plus 2em); its spaces do not stretch. */
  lineStretch?: number;
  /** Lines (counted from 0) that may not end hyphenated: a page's last line, as the page breaker found it. */
  noHyphenAfter?: (line: number) => boolean;
}

interface Node {
  /** Break after item `position - 1`: the next line starts at item `position`. */
  position: number;
  line: number;
  fitness: number;
  /** Hyphenated lines ending in a row at this break. */
  run: number;
  demerits: number;
  previous: Node | undefined;
}

/**
 * The breaks of the best breaking of `items` into lines `widths(line)` wide: for each line, the
 * index of its last item. Undefined when no breaking is feasible, even with emergency stretch
 * (a word wider than the line): the caller fills lines first-fit then.
 */
export function totalFit(items: readonly FitItem[], widths: (line: number) => number, s: FitSettings): number[] | undefined {
  if (items.length === 0) return [];
  const n = items.length;
  // Prefix sums: W[k], Y[k], Z[k] of items 0..k-1.
  const W = new Float64Array(n + 1);
  const Y = new Float64Array(n + 1);
  const Z = new Float64Array(n + 1);
  for (let k = 0; k < n; k++) {
    const it = items[k]!;
    W[k + 1] = W[k]! + it.width;
    Y[k + 1] = Y[k]! + it.stretch;
    Z[k + 1] = Z[k]! + it.shrink;
  }
  const attempt = (emergency: number, tolerance: number): Node | undefined => {
    let active: Node[] = [{ position: 0, line: 0, fitness: 1, run: 0, demerits: 0, previous: undefined }];
    for (let b = 0; b < n; b++) {
      const it = items[b]!;
      const final = b === n - 1;
      const best = new Map<number, Node>();
      const keep: Node[] = [];
      for (const a of active) {
        const first = items[a.position]!;
        const natural = W[b + 1]! - W[a.position]! - it.trailing + it.hyphenWidth - it.endTrim - first.startTrim;
        const own = Y[b + 1]! - Y[a.position]! - it.trailingStretch;
        const stretch = own + emergency + (s.lineStretch ?? 0);
        const shrink = Z[b + 1]! - Z[a.position]! - it.trailingShrink;
        const width = widths(a.line);
        const room = width - natural;
        let ratio: number;
        if (final) ratio = room >= 0 ? 0 : shrink > 0 ? room / shrink : -Infinity;
        // A line without a space that ends inside a word (part of an address) cannot be
        // justified: it is set flush left at no cost, rather than spreading the spaces of the
        // lines around it. A lone word ending at a space is underfull as in TeX.
        else if (room >= 0) ratio = own > 0 || s.lineStretch ? room / stretch : it.inWord ? 0 : stretch > 0 ? room / stretch : Infinity;
        else ratio = shrink > 0 ? room / shrink : -Infinity;
        // Overfull at its tightest: no later break can start a line here either.
        if (ratio < -1) continue;
        keep.push(a);
        const badness = Math.min(10000, 100 * Math.abs(ratio) ** 3);
        if (badness > tolerance) continue;
        const run = it.flagged && !final ? a.run + 1 : 0;
        if (run > s.maxHyphenRun || (run > 0 && s.noHyphenAfter?.(a.line))) continue;
        const penalty = it.flagged && !final ? s.hyphenPenalty : 0;
        let demerits = (s.linePenalty + badness) ** 2 + penalty * penalty;
        if (it.flagged && !final && a.run > 0) demerits += s.doubleHyphenDemerits;
        if (final && a.run > 0) demerits += s.finalHyphenDemerits;
        const fitness = ratio < -0.5 ? 0 : ratio <= 0.5 ? 1 : ratio <= 1 ? 2 : 3;
        if (Math.abs(fitness - a.fitness) > 1 && !final) demerits += s.adjDemerits;
        demerits += a.demerits;
        // The best break here per fitness class and run of hyphens (and line count, for looseness).
        const key = fitness + 4 * run + (s.looseness !== 0 ? 4 * (s.maxHyphenRun + 1) * (a.line + 1) : 0);
        const seen = best.get(key);
        if (!seen || demerits < seen.demerits) best.set(key, { position: b + 1, line: a.line + 1, fitness, run, demerits, previous: a });
      }
      active = keep;
      if (final) {
        const ends = [...best.values()];
        if (ends.length === 0) return undefined;
        let chosen = ends.reduce((x, y) => (y.demerits < x.demerits ? y : x));
        if (s.looseness !== 0) {
          const target = chosen.line + s.looseness;
          const distance = (node: Node) => Math.abs(node.line - target);
          chosen = ends.reduce((x, y) => (distance(y) < distance(x) || (distance(y) === distance(x) && y.demerits < x.demerits) ? y : x));
        }
        return chosen;
      }
      // A break no longer possible only if nothing stays active: then a line must overflow.
      for (const node of best.values()) active.push(node);
      if (active.length === 0) return undefined;
    }
    return undefined;
  };
  const end = attempt(0, s.tolerance) ?? (s.emergencyStretch > 0 ? attempt(s.emergencyStretch, s.tolerance) : undefined) ?? attempt(s.emergencyStretch, 10000);
  if (!end) return undefined;
  const breaks: number[] = [];
  for (let node: Node | undefined = end; node && node.position > 0; node = node.previous) breaks.push(node.position - 1);
  return breaks.reverse();
}
