/**
 * Fonts embedded in the package as Word embeds them: each font the document names, cut down to
 * the characters the package sets (harfbuzz's subsetter, through subset-font), obfuscated with
 * its key (ECMA-376 Part 1, 17.8.1: the first 32 bytes XORed with the key's bytes in reverse)
 * into word/fonts/*.odttf, and listed in fontTable.xml with w:embedRegular and its siblings.
 * Word and LibreOffice then set the text in our fonts on a machine that lacks them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import subsetFont from 'subset-font';
import { escapeAttribute } from '../../shared/xml.js';
import { covers } from '../../shared/measure.js';

export type FontStyle = 'regular' | 'bold' | 'italic' | 'boldItalic';

/** A family the document names (w:ascii, w:eastAsia ...), with its font file per style. */
export interface EmbeddableFont {
  name: string;
  files: Partial<Record<FontStyle, string>>;
  /** A CJK font: cut to the document's characters only (its full repertoire is 15 MB). */
  cjk?: boolean;
}

/**
 * What a Latin font keeps whatever the document: Latin (with the extended blocks), the
 * combining marks, general punctuation, currency and a few symbols. LibreOffice keeps the first
 * embedded font of a name for its whole session: two documents opened (or converted) together
 * must embed the same font under the same name, or the second one's letters that the first
 * one's subset lacks fall back to another face.
 */
const LATIN_REPERTOIRE = (() => {
  const ranges: [number, number][] = [
    [0x20, 0x7e], [0xa0, 0x24f], [0x2b0, 0x36f], [0x1e00, 0x1eff], [0x2000, 0x206f], [0x20a0, 0x20bf], [0x2100, 0x215f], [0x2190, 0x2199], [0x2212, 0x2212], [0x25a0, 0x25cf],
  ];
  return ranges.map(([a, b]) => Array.from({ length: b - a + 1 }, (_, i) => String.fromCodePoint(a + i)).join('')).join('');
})();
const LATIN_SET = new Set(LATIN_REPERTOIRE);
/**
 * Subsets made in this process, obfuscated, by font file, characters and key: the same bytes (the
 * same object) for every document that embeds them, which the zip deflates once (zip.ts).
 */
const subsets = new Map<string, Promise<Uint8Array>>();

const ELEMENT: Record<FontStyle, string> = { regular: 'embedRegular', bold: 'embedBold', italic: 'embedItalic', boldItalic: 'embedBoldItalic' };
const STYLES: readonly FontStyle[] = ['regular', 'bold', 'italic', 'boldItalic'];
const FONT_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/font';

/** A GUID from the font's name and style: the same package for the same source. */
export function fontKey(name: string, style: FontStyle): string {
  const h = createHash('sha256').update(`${name}\u0000${style}`).digest('hex').toUpperCase();
  return `{${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}}`;
}

/** XORs the first 32 bytes with the key's 16 bytes, last byte of the GUID first (its own inverse). */
export function obfuscate(font: Uint8Array, key: string): Uint8Array {
  const hex = key.replace(/[^0-9A-Fa-f]/g, '');
  const bytes = Array.from({ length: 16 }, (_, j) => parseInt(hex.slice(30 - 2 * j, 32 - 2 * j), 16));
  const out = new Uint8Array(font);
  for (let i = 0; i < 32 && i < out.length; i++) out[i]! ^= bytes[i % 16]!;
  return out;
}

/** The characters set in the package's parts: the text of every w:t and w:instrText's neighbours, plus digits for fields. */
export function packageText(parts: readonly string[]): string {
  const chars = new Set<string>('0123456789 .');
  for (const xml of parts) {
    for (const m of xml.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g)) for (const c of decode(m[1]!)) chars.add(c);
  }
  // Bullets and the contents' leaders are drawn from the paragraph's font as well.
  for (const c of '\u2022\u25e6\u25aa\u2013\u2014\u2026') chars.add(c);
  return [...chars].join('');
}

function decode(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos|#(\d+)|#x([0-9a-fA-F]+));/g, (_, name: string, dec?: string, hex?: string) =>
    dec ? String.fromCodePoint(Number(dec)) : hex ? String.fromCodePoint(parseInt(hex, 16)) : ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[name]!,
  );
}

export interface Embedded {
  /** Files to add, by path in the package. */
  files: Record<string, Uint8Array>;
  fontTable: string;
  rels: string;
}

/**
 * Subsets and obfuscates `fonts` for `text`, and writes the font table and its relationships.
 * A font file read twice (a family named in two roles) is embedded once.
 */
export async function embedFonts(fonts: readonly EmbeddableFont[], text: string): Promise<Embedded> {
  const files: Record<string, Uint8Array> = {};
  const rels: string[] = [];
  const entries: string[] = [];
  let n = 0;
  const subset = (file: string, cjk: boolean, guid: string) => {
    // A Latin font's subset is the same for every document that sets no letter of it past the
    // repertoire: made once a process.
    const extra = cjk ? text : [...text].filter((c) => !LATIN_SET.has(c) && covers(file, c)).join('');
    const key = `${file}\u0000${cjk ? 'cjk' : 'latin'}\u0000${guid}\u0000${extra}`;
    let p = subsets.get(key);
    if (!p) {
      p = subsetFont(readFileSync(file), cjk ? text : LATIN_REPERTOIRE + extra, { targetFormat: 'truetype' }).then((font) => obfuscate(new Uint8Array(font), guid));
      subsets.set(key, p);
    }
    return p;
  };
  const seen = new Set<string>();
  for (const font of fonts) {
    if (seen.has(font.name)) continue;
    seen.add(font.name);
    const embeds: string[] = [];
    for (const style of STYLES) {
      const file = font.files[style];
      // A style set from another's file (a CJK font's italic is its regular) is that style's.
      if (!file || STYLES.slice(0, STYLES.indexOf(style)).some((s) => font.files[s] === file)) continue;
      const key = fontKey(font.name, style);
      const id = `rIdFont${++n}`;
      const target = `fonts/font${n}.odttf`;
      files[`word/${target}`] = await subset(file, !!font.cjk, key);
      rels.push(`<Relationship Id="${id}" Type="${FONT_REL}" Target="${target}"/>`);
      embeds.push(`<w:${ELEMENT[style]} r:id="${id}" w:fontKey="${key}"/>`);
    }
    entries.push(`<w:font w:name="${escapeAttribute(font.name)}"><w:charset w:val="00"/><w:pitch w:val="variable"/>${embeds.join('')}</w:font>`);
  }
  const fontTable =
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:fonts xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    `${entries.join('')}</w:fonts>`;
  const relsXml = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`;
  return { files, fontTable, rels: relsXml };
}
