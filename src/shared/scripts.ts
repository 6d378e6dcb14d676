/**
 * Which characters belong to the CJK scripts, for the formats that mark text quoted in them:
 * the PDF sets them in the theme's CJK fallback font, the HTML and the DOCX give them its
 * language. One definition, so the formats agree on what is quoted Chinese.
 */

/** Han, kana, CJK punctuation and full-width forms. */
export const CJK_CHARS = '\\u3000-\\u30ff\\u3400-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef';
export const CJK = new RegExp(`[${CJK_CHARS}]`);
/** A run of CJK characters. */
const CJK_RUN = new RegExp(`[${CJK_CHARS}]+`, 'g');

/** Whether text in `lang` is itself written in a CJK script. */
export function isCjkLanguage(lang: string): boolean {
  return ['zh', 'ja', 'ko'].includes(lang.split('-')[0]!.toLowerCase());
}

/** `text` cut into runs, each CJK run flagged; joined, they give `text` back. */
export function cjkRuns(text: string): { text: string; cjk: boolean }[] {
  const runs: { text: string; cjk: boolean }[] = [];
  let at = 0;
  for (const m of text.matchAll(CJK_RUN)) {
    if (m.index > at) runs.push({ text: text.slice(at, m.index), cjk: false });
    runs.push({ text: m[0], cjk: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) runs.push({ text: text.slice(at), cjk: false });
  return runs;
}

/** The language the print theme's CJK fallback font marks (zh-Hans as shipped), if it has one. */
export function cjkFallbackLanguage(fallbacks: readonly { lang?: string }[]): string | undefined {
  return fallbacks.find((f) => f.lang && isCjkLanguage(f.lang))?.lang;
}
