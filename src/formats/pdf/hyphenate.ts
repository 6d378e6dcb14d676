/** Soft hyphens from the `hyphen` package's patterns for the document's language, when it has them. */

type Hyphenate = (text: string) => string;
interface Patterns {
  hyphenateSync(text: string, options?: { minWordLength?: number }): string;
}

// The pattern modules are CommonJS: their functions come through as the default export.
const PATTERNS: Record<string, () => Promise<{ default: Patterns }>> = {
  'en-GB': () => import('hyphen/en-gb/index.js'),
  en: () => import('hyphen/en-us/index.js'),
  es: () => import('hyphen/es/index.js'),
};

/** Where a word may break: letters kept on each side of a hyphen, and whether a capitalised word may. */
export interface HyphenLimits {
  left: number;
  right: number;
  capitalised: boolean;
}

/**
 * A function that inserts U+00AD where words may break, or undefined for a language without
 * patterns. A break leaves at least `left` letters before it and `right` after it (TeX's
 * \lefthyphenmin and \righthyphenmin: "econom-ic" carries two letters over), and a capitalised
 * word (a proper name: Chi-na, Tai-wan) is not broken unless `capitalised`.
 */
export async function hyphenator(lang: string, limits: HyphenLimits = { left: 2, right: 2, capitalised: true }): Promise<Hyphenate | undefined> {
  const load = PATTERNS[lang] ?? PATTERNS[lang.split('-')[0]!];
  if (!load) return undefined;
  const { hyphenateSync } = (await load()).default;
  // The patterns cost time quadratic in a word's length (the package copies the rest of the word
  // at each letter): 64 or more characters without a space are no word to hyphenate (a URL, a
  // 100,000-letter string) and are left as they are, to be broken where they fill the line.
  const limit = (word: string) => {
    if (!limits.capitalised && /^\P{L}*\p{Lu}/u.test(word)) return word.replace(/\u00ad/g, '');
    const parts = word.split('\u00ad');
    const letters = parts.map((p) => (p.match(/\p{L}/gu) ?? []).length);
    const total = letters.reduce((a, b) => a + b, 0);
    let before = 0;
    let out = parts[0]!;
    for (let i = 1; i < parts.length; i++) {
      before += letters[i - 1]!;
      out += (before >= limits.left && total - before >= limits.right ? '\u00ad' : '') + parts[i];
    }
    return out;
  };
  return (text) =>
    text
      .split(LONG_WORD)
      .map((part, i) => (i % 2 === 1 ? part : hyphenateSync(part, { minWordLength: 6 }).replace(/[^\s\-\u2010]*\u00ad[^\s\-\u2010]*/g, limit)))
      .join('');
}

/** Longer than any dictionary word; captured, so that split() keeps it. */
const LONG_WORD = /(\S{64,})/;
