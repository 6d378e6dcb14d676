/**
 * One order for everything the build lists (documents, files, manifest entries, zip entries,
 * messages): by Unicode code point. Never the locale's collation (`localeCompare`,
 * `Intl.Collator`): under cs_CZ "ch" sorts after "h", so the same sources would give another
 * manifest on another machine. Nor UTF-16 code units (`sort()` with no comparator), which put
 * U+10000 and above before U+E000-U+FFFF.
 */

/** Negative, zero or positive as `a` sorts before, with or after `b`, code point by code point. */
export function byCodePoint(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Units differ: below U+D800 and from U+E000 a unit is its code point; a surrogate (a code
    // point of U+10000 and above, or a lone half) sorts after every other unit.
    return rank(x) - rank(y);
  }
  return a.length - b.length;
}

/** A UTF-16 unit's place in code point order: surrogates (U+10000 and above) after U+FFFF. */
function rank(unit: number): number {
  return unit >= 0xd800 && unit <= 0xdfff ? unit + 0x10000 : unit;
}

/**
 * Paths compared field by field, the fields split at "/" and ".", each by code point: a folder
 * before its neighbours' files, and `paper.en.html` before `paper.en+es.html` (the name, then the
 * languages, then the format), where comparing whole strings would put "+" (U+002B) before ".".
 */
export function byPathFields(a: string, b: string): number {
  const x = a.split(/[/.]/);
  const y = b.split(/[/.]/);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const c = byCodePoint(x[i]!, y[i]!);
    if (c !== 0) return c;
  }
  return x.length - y.length;
}
