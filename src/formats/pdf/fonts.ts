/**
 * The fonts of a print edition: every family and style of the theme registered with pdfkit
 * (embedded as subsets), width measuring with a cache, and the glyph check that runs before
 * anything is drawn, because pdfkit silently draws a missing glyph as a blank box.
 */
import { readFileSync } from 'node:fs';
import { create } from 'fontkit';
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
 * Parsed fonts and measured widths, by font file, for the whole process: a build sets many
 * editions in the same fonts, and parsing a font (Noto Serif SC is 14 MB) and shaping its words
 * again for each one would cost more than setting the text. fontkit fonts are immutable once
 * parsed; each PDF still embeds its own subset.
 */
const parsedFonts = new Map<string, ReturnType<typeof create>>();
const measured = new Map<string, Map<string, number>>();
/** pdfkit's per-document cache of shaped words, shared by every document set in the font. */
const shapedWords = new Map<string, object>();

/**
 * Every font of the theme, the main families and each language's own, under keys such as
 * `serif-bold` and `zh-Hans/serif-bold`; a font is registered with pdfkit (and embedded) only
 * when something is set in it. One book serves both languages of a bilingual edition.
 */
export class FontBook {
  private readonly fonts = new Map<string, PdfFont>();
  private readonly files = new Map<string, string>();

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly theme: LoadedTheme,
  ) {
    const add = (prefix: string, paths: LoadedTheme['fontPaths']) => {
      for (const [family, styles] of Object.entries(paths)) {
        for (const [style, file] of Object.entries(styles)) this.files.set(`${prefix}${family}-${style}`, file);
      }
    };
    add('', theme.fontPaths);
    for (const [lang, paths] of Object.entries(theme.languageFontPaths)) add(`${lang}/`, paths);
  }

  /** The key of the font that sets `style` in `lang` (the main fonts for a language without its own, such as `und`). */
  key(style: FontStyle, lang: string): string {
    const own = fontLanguage(this.theme, lang);
    return `${own ? `${own}/` : ''}${style.family}-${styleName(style)}`;
  }

  /** The embedded font for a style, made current in the document. */
  get(key: string): PdfFont {
    let font = this.fonts.get(key);
    if (!font) {
      const file = this.files.get(key)!;
      let parsed = parsedFonts.get(file);
      if (!parsed) {
        parsed = create(readFileSync(file));
        parsedFonts.set(file, parsed);
      }
      this.doc.registerFont(key, parsed as never);
      this.doc.font(key);
      font = (this.doc as unknown as { _font: PdfFont })._font;
      // A shaped word is glyphs and scaled positions of this font file, the same in every
      // document; each document maps the glyphs into its own subset when it encodes them.
      let shaped = shapedWords.get(file);
      if (!shaped) {
        shaped = Object.create(null) as object;
        shapedWords.set(file, shaped);
      }
      (font as unknown as { layoutCache: object }).layoutCache = shaped;
      this.fonts.set(key, font);
    }
    return font;
  }

  /** Width of `text` at `size` points; words repeat, so widths are cached. */
  width(key: string, text: string, size: number): number {
    const file = this.files.get(key)!;
    let widths = measured.get(file);
    if (!widths) {
      widths = new Map();
      measured.set(file, widths);
    }
    let w = widths.get(text);
    if (w === undefined) {
      w = this.get(key).widthOfString(text, 1000) / 1000;
      widths.set(text, w);
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
