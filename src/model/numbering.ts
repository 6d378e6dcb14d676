/**
 * Heading numbers as the document prints them ("IV.", "2.", "(3)", "(b)", "2.3.1") and the checks
 * that keep them in sequence. The stable IDs are made from them.
 */

export type NumberStyle = 'roman' | 'arabic' | 'parenthesised' | 'letter' | 'decimal';

export interface HeadingNumber {
  style: NumberStyle;
  /** The number as printed, with its punctuation. */
  printed: string;
  /** Its value: 4 for "IV.", 3 for "(3)", 2 for "(b)", 1 for "2.3.1". */
  value: number;
  /** The ID fragment: "iv", "2", "3", "b"; "2-3-1" for "2.3.1". */
  token: string;
  /**
   * The whole number as a path of arabic numbers: [2, 3, 1] for "2.3.1", [2] for "2.". A decimal
   * number names its parents ("2.3.1" stands under "2.3"), so the model checks it against them.
   */
  path?: number[];
  /** The heading text after the number. */
  rest: string;
}

const PATTERNS: { style: NumberStyle; re: RegExp }[] = [
  { style: 'roman', re: /^([IVXLCDM]+)\.\s+(.+)$/ },
  // "2.3.1 Title" and "2.3.1. Title"; a bare "2020 in review" is a title, not a number.
  { style: 'decimal', re: /^(\d+(?:\.\d+)+)\.?\s+(.+)$/ },
  { style: 'arabic', re: /^(\d+)\.\s+(.+)$/ },
  { style: 'parenthesised', re: /^\((\d+)\)\s+(.+)$/ },
  { style: 'letter', re: /^\(([a-z])\)\s+(.+)$/ },
];

/** Reads the number at the start of a heading's text, or null when it has none. */
export function parseHeadingNumber(text: string): HeadingNumber | null {
  for (const { style, re } of PATTERNS) {
    const m = re.exec(text);
    if (!m) continue;
    const raw = m[1]!;
    const path = style === 'decimal' || style === 'arabic' ? raw.split('.').map(Number) : undefined;
    const value = style === 'roman' ? romanValue(raw) : style === 'letter' ? raw.charCodeAt(0) - 96 : (path?.at(-1) ?? Number(raw));
    if (value === null || value < 1 || path?.some((n) => n < 1)) continue;
    const printed = text.slice(0, text.length - m[2]!.length).trim();
    return { style, printed, value, token: raw.toLowerCase().replace(/\./g, '-'), rest: m[2]!, ...(path && { path }) };
  }
  return null;
}

/** How the number `value` is printed in `style`; a decimal number after its `prefix` ("2.3." + 1). */
export function formatNumber(style: NumberStyle, value: number, prefix: readonly number[] = []): string {
  switch (style) {
    case 'decimal':
      return [...prefix, value].join('.');
    case 'roman':
      return `${toRoman(value)}.`;
    case 'arabic':
      return `${value}.`;
    case 'parenthesised':
      return `(${value})`;
    case 'letter':
      return `(${String.fromCharCode(96 + value)})`;
  }
}

const ROMAN: [number, string][] = [
  [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
  [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
];

function toRoman(n: number): string {
  let out = '';
  for (const [v, s] of ROMAN) {
    while (n >= v) {
      out += s;
      n -= v;
    }
  }
  return out;
}

/** The value of a well-formed Roman numeral, or null ("IIII" and "VX" are not numbers). */
function romanValue(s: string): number | null {
  let total = 0;
  let rest = s;
  for (const [v, sym] of ROMAN) {
    while (rest.startsWith(sym)) {
      total += v;
      rest = rest.slice(sym.length);
    }
  }
  return rest === '' && toRoman(total) === s ? total : null;
}

/** Tracks one group of sibling headings and says what is wrong with each new number. */
export class SiblingSequence {
  private style: NumberStyle | null = null;
  private last = 0;
  /** A decimal level's shared prefix: [2, 3] for 2.3.1, 2.3.2, ... */
  private prefix: number[] = [];

  /** Returns a problem description, or null when `n` continues the sequence. */
  next(n: HeadingNumber): { message: string; hint: string } | null {
    const prefix = n.style === 'decimal' ? n.path!.slice(0, -1) : [];
    const format = (value: number) => formatNumber(n.style, value, this.prefix);
    if (this.style === null) {
      this.style = n.style;
      this.last = n.value;
      this.prefix = prefix;
      if (n.value !== 1) {
        return {
          message: `numbering starts at ${n.printed}; expected ${format(1)}`,
          hint: `number the first heading of this level ${format(1)}`,
        };
      }
      return null;
    }
    if (n.style !== this.style) {
      const expected = formatNumber(this.style, this.last + 1, this.prefix);
      this.last += 1;
      return {
        message: `"${n.printed}" is numbered in another style than its siblings; expected ${expected}`,
        hint: `siblings at one level share one style of number (I., 1., 1.1, (1) or (a))`,
      };
    }
    const expected = this.last + 1;
    const previous = this.last;
    this.last = n.value;
    if (prefix.join('.') !== this.prefix.join('.')) {
      return {
        message: `${n.printed} does not continue ${format(previous)}; expected ${format(expected)}`,
        hint: `the headings of one level share the number of the section they stand in: renumber this one ${format(expected)}`,
      };
    }
    if (n.value === expected) return null;
    const want = format(expected);
    if (n.value <= previous) {
      return {
        message: `${n.printed} repeats or goes back after ${format(previous)}; expected ${want}`,
        hint: `renumber this heading ${want} (and the ones after it)`,
      };
    }
    return {
      message: `${n.printed} follows ${format(previous)}; expected ${want}`,
      hint: `a heading is missing or misnumbered: renumber this one ${want}, or add the missing section`,
    };
  }
}
