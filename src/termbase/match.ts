/**
 * Finding a termbase term in running text, as a whole word or words: shared by the packets'
 * glossaries (which blocks a term occurs in) and the term-consistency check of translations.
 */

/** A term in a script written without spaces between words. */
const CJK_TERM = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/**
 * A test for `term` in a text, ignoring case, as a whole word or words: "trade" is not found in
 * "trademark", but "agreement" is in "agreements" (a plural -s or -es, on any word of the term: a
 * Spanish plural is "diálogos estratégicos", "tratados de libre comercio"), and a leading Spanish
 * article, which the termbase writes and running text often drops, may go ("la cooperación
 * Sur-Sur"). A term in a script written without spaces (Chinese) is found anywhere.
 */
export function termMatcher(term: string): (text: string) => boolean {
  const escape = (f: string) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const words = (f: string) => f.trim().split(/\s+/).map(escape);
  const patterns = [...new Set([term, term.replace(/^(?:el|la|los|las|lo)\s+/i, '')])]
    .filter((f) => f.trim().length > 0)
    .map((f) => (CJK_TERM.test(f) ? new RegExp(words(f).join('\\s+'), 'iu') : new RegExp(`(?<![\\p{L}\\p{N}])${words(f).join('(?:e?s)?\\s+')}(?:e?s)?(?![\\p{L}\\p{N}])`, 'iu')));
  return (text) => {
    const flat = text.replace(/\s+/g, ' ');
    return patterns.some((p) => p.test(flat));
  };
}
