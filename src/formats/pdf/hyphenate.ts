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

/** A function that inserts U+00AD where words may break, or undefined for a language without patterns. */
export async function hyphenator(lang: string): Promise<Hyphenate | undefined> {
  const load = PATTERNS[lang] ?? PATTERNS[lang.split('-')[0]!];
  if (!load) return undefined;
  const { hyphenateSync } = (await load()).default;
  // The patterns cost time quadratic in a word's length (the package copies the rest of the word
  // at each letter): 64 or more characters without a space are no word to hyphenate (a URL, a
  // 100,000-letter string) and are left as they are, to be broken where they fill the line.
  return (text) =>
    text
      .split(LONG_WORD)
      .map((part, i) => (i % 2 === 1 ? part : hyphenateSync(part, { minWordLength: 6 })))
      .join('');
}

/** Longer than any dictionary word; captured, so that split() keeps it. */
const LONG_WORD = /(\S{64,})/;
