/**
 * Font metrics for laying text out without drawing it: advance widths of words (shaped by
 * fontkit, cached per font file) and the font's line height. The DOCX's page numbers are
 * computed with it; it reads font files only, and knows no format.
 */
import { readFileSync } from 'node:fs';
import { create } from 'fontkit';

interface MeasuredFont {
  unitsPerEm: number;
  ascent: number;
  descent: number;
  lineGap: number;
  hasGlyphForCodePoint(cp: number): boolean;
  layout(text: string, features?: Record<string, boolean>): { advanceWidth: number };
  'OS/2'?: { winAscent: number; winDescent: number; typoAscender: number; typoDescender: number; typoLineGap: number; fsSelection: number | Record<string, boolean> };
  hhea?: { ascent: number; descent: number; lineGap: number };
}

const fonts = new Map<string, MeasuredFont>();
const widths = new Map<string, Map<string, number>>();

function font(file: string): MeasuredFont {
  let f = fonts.get(file);
  if (!f) {
    f = create(readFileSync(file)) as unknown as MeasuredFont;
    fonts.set(file, f);
  }
  return f;
}

/**
 * The advance width of `text` in `file` at 1 pt, without pair kerning: a DOCX run is kerned
 * only when it asks (w:kern), and LibreOffice sets ours unkerned (measured on the paper's
 * en+zh-Hans DOCX: "of respecting each other, deepening mutual" is 217.2 pt wide in
 * LibreOffice's PDF, 217.4 pt unkerned, 215.8 pt kerned).
 */
export function widthOf(file: string, text: string): number {
  let cache = widths.get(file);
  if (!cache) widths.set(file, (cache = new Map()));
  let w = cache.get(text);
  if (w === undefined) {
    const f = font(file);
    w = f.layout(text, { kern: false }).advanceWidth / f.unitsPerEm;
    cache.set(text, w);
  }
  return w;
}

/** Whether the font has a glyph for every character of `text`. */
export function covers(file: string, text: string): boolean {
  const f = font(file);
  for (const ch of text) if (!f.hasGlyphForCodePoint(ch.codePointAt(0)!)) return false;
  return true;
}

/** The ascent and descent at 1 pt (the horizontal header's, as LibreOffice reads them). */
export function ascentDescentOf(file: string): [number, number] {
  const f = font(file);
  return [(f.hhea?.ascent ?? f.ascent) / f.unitsPerEm, Math.abs(f.hhea?.descent ?? f.descent) / f.unitsPerEm];
}
