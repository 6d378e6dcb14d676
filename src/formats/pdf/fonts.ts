/**
 * The fonts of a print edition: every family and style of the theme registered with pdfkit
 * (embedded as subsets), width measuring with a cache, and the glyph check that runs before
 * anything is drawn, because pdfkit silently draws a missing glyph as a blank box.
 */
import { fontLanguage, type FontFamily, type LoadedTheme } from './theme.js';

/** pdfkit's embedded font object (internal API, stable across 0.1x releases). */
export interface PdfFont {
  id: string;
  ascender: number;
  descender: number;
  encode(text: string, features?: unknown): [string[], { xAdvance: number; advanceWidth: number; xOffset: number; yOffset: number }[]];
  widthOfString(text: string, size: number, features?: unknown): number;
  ref(): unknown;
  font: { familyName: string; hasGlyphForCodePoint(cp: number): boolean };
}

export interface FontStyle {
  family: FontFamily;
  bold: boolean;
  italic: boolean;
}

function styleName(s: FontStyle): string {
  return s.bold ? (s.italic ? 'boldItalic' : 'bold') : s.italic ? 'italic' : 'regular';
}

/**
 * Every font of the theme, the main families and each language's own, registered under keys
 * such as `serif-bold` and `zh-Hans/serif-bold`; pdfkit loads (and embeds) only those used.
 * One book serves both languages of a bilingual edition.
 */
export class FontBook {
  private readonly fonts = new Map<string, PdfFont>();
  private readonly widths = new Map<string, number>();

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly theme: LoadedTheme,
  ) {
    const register = (prefix: string, paths: LoadedTheme['fontPaths']) => {
      for (const [family, styles] of Object.entries(paths)) {
        for (const [style, file] of Object.entries(styles)) doc.registerFont(`${prefix}${family}-${style}`, file);
      }
    };
    register('', theme.fontPaths);
    for (const [lang, paths] of Object.entries(theme.languageFontPaths)) register(`${lang}/`, paths);
  }

  /** The key of the font that sets `style` in `lang`. */
  key(style: FontStyle, lang: string): string {
    const own = fontLanguage(this.theme, lang);
    return `${own ? `${own}/` : ''}${style.family}-${styleName(style)}`;
  }

  /** The embedded font for a style, made current in the document. */
  get(key: string): PdfFont {
    let font = this.fonts.get(key);
    if (!font) {
      this.doc.font(key);
      font = (this.doc as unknown as { _font: PdfFont })._font;
      this.fonts.set(key, font);
    }
    return font;
  }

  /** Width of `text` at `size` points; words repeat, so widths are cached. */
  width(key: string, text: string, size: number): number {
    const cacheKey = `${key}\u0000${text}`;
    let w = this.widths.get(cacheKey);
    if (w === undefined) {
      w = this.get(key).widthOfString(text, 1000) / 1000;
      this.widths.set(cacheKey, w);
    }
    return w * size;
  }

  /** Characters of `text` that the font for `key` cannot draw. */
  missing(key: string, text: string): string[] {
    const font = this.get(key).font;
    const out = new Set<string>();
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x20 || cp === 0xad || (cp >= 0x200b && cp <= 0x200f) || cp === 0x2060 || cp === 0xfeff) continue;
      if (!font.hasGlyphForCodePoint(cp)) out.add(ch);
    }
    return [...out];
  }

  familyName(key: string): string {
    return this.get(key).font.familyName;
  }
}
