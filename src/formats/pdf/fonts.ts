/**
 * The fonts of a print edition: every family and style of the theme registered with pdfkit
 * (embedded as subsets), width measuring with a cache, and the glyph check that runs before
 * anything is drawn, because pdfkit silently draws a missing glyph as a blank box.
 */
import { readFileSync } from 'node:fs';
import { create } from 'fontkit';
import { GRAPHEMES } from './lines.js';
import { fontLanguage, type FontFamily, type LoadedTheme } from '../../theme/theme.js';

/** pdfkit's embedded font object (internal API, stable across 0.1x releases). */
export interface PdfFont {
  id: string;
  ascender: number;
  descender: number;
  encode(text: string, features?: unknown): [string[], { xAdvance: number; advanceWidth: number; xOffset: number; yOffset: number }[]];
  widthOfString(text: string, size: number, features?: unknown): number;
  ref(): unknown;
  /** The characters that each glyph of the subset stands for, by glyph id (the ToUnicode map). */
  unicode: number[][];
  font: { familyName: string; hasGlyphForCodePoint(cp: number): boolean };
}

/** A stretch of text that one font sets: the text's own, or a fallback (with the language it marks). */
export interface FontRun {
  text: string;
  font: string;
  lang?: string;
}

/** Characters that no font of a chain has, at their offset in the text. */
export interface MissingRun {
  offset: number;
  text: string;
}

/** A font of a chain: its key, the language it marks, and the characters it is limited to. */
interface ChainFont {
  key: string;
  lang?: string;
  only?: RegExp;
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
    theme.fallbackFontPaths.forEach(({ paths }, i) => add(`fallback-${i + 1}/`, paths));
  }

  private readonly chains = new Map<string, ChainFont[]>();

  /**
   * The fonts tried for text whose own font is `key`, in order: that font, the main font of its
   * family and style (for a language with fonts of its own), then the theme's fallbacks. A font
   * file is tried once.
   */
  chain(key: string): readonly ChainFont[] {
    let chain = this.chains.get(key);
    if (!chain) {
      const style = key.slice(key.indexOf('/') + 1);
      const candidates: ChainFont[] = [
        { key },
        { key: style },
        ...this.theme.fallbackFontPaths.map(({ lang, scripts }, i) => ({
          key: `fallback-${i + 1}/${style}`,
          ...(lang && { lang }),
          ...(scripts && { only: new RegExp(`^[${scripts.map((name) => `\\p{Script=${name}}`).join('')}]$`, 'u') }),
        })),
      ];
      const files = new Set<string>();
      chain = candidates.filter((c) => {
        const file = this.files.get(c.key)!;
        if (files.has(file)) return false;
        files.add(file);
        return true;
      });
      this.chains.set(key, chain);
    }
    return chain;
  }

  /**
   * `text` as runs of one font each: a character is set in its own font when that has it, else
   * in the first font of the chain that has it, by glyph coverage and grapheme cluster (an
   * accent stays with its letter). A fallback run with letters carries its font's language.
   * Characters that no font has are listed, a run of them at a time, and set in the text's own
   * font. A font of the chain is parsed only when every font before it lacks a grapheme, so a
   * long chain costs nothing to a text that needs none of it.
   */
  runs(key: string, text: string): { runs: FontRun[]; missing: MissingRun[] } {
    const own = this.parsed(key);
    let covered = true;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      if (!ignorable(cp) && !own.hasGlyphForCodePoint(cp)) {
        covered = false;
        break;
      }
    }
    if (covered) return { runs: [{ text, font: key }], missing: [] };
    const chain = this.chain(key);
    const fonts: ReturnType<typeof create>[] = [];
    const has = (at: number, cps: number[]) => {
      const only = chain[at]!.only;
      if (only && !cps.every((cp) => only.test(String.fromCodePoint(cp)))) return false;
      const font = (fonts[at] ??= this.parsed(chain[at]!.key));
      return cps.every((cp) => font.hasGlyphForCodePoint(cp));
    };
    const runs: (FontRun & { at: number })[] = [];
    const missing: MissingRun[] = [];
    let lastMissingEnd = -1;
    for (const { segment, index } of GRAPHEMES.segment(text)) {
      const cps = [...segment].map((ch) => ch.codePointAt(0)!).filter((cp) => !ignorable(cp));
      let at = cps.length === 0 ? (runs.at(-1)?.at ?? 0) : chain.findIndex((_, i) => has(i, cps));
      if (at === -1) {
        if (lastMissingEnd === index) missing.at(-1)!.text += segment;
        else missing.push({ offset: index, text: segment });
        lastMissingEnd = index + segment.length;
        at = 0;
      }
      const last = runs.at(-1);
      if (last && last.at === at) last.text += segment;
      else runs.push({ text: segment, font: chain[at]!.key, at });
    }
    return {
      runs: runs.map(({ text: t, font, at }) => {
        const lang = chain[at]!.lang;
        return { text: t, font, ...(at > 0 && lang && /\p{L}/u.test(t) && { lang }) };
      }),
      missing,
    };
  }

  /** The family names of `key`'s chain, for messages: of the fonts tried for `text`, when given. */
  chainNames(key: string, text?: string): string[] {
    const tried = (c: ChainFont) => !c.only || text === undefined || [...text].some((ch) => c.only!.test(ch));
    return this.chain(key)
      .filter(tried)
      .map((c) => this.parsed(c.key).familyName);
  }

  /** The parsed font file of `key`, without embedding it (a glyph check needs no more). */
  private parsed(key: string): ReturnType<typeof create> {
    const file = this.files.get(key)!;
    let parsed = parsedFonts.get(file);
    if (!parsed) {
      parsed = create(readFileSync(file));
      skipNullAnchors(parsed);
      parsedFonts.set(file, parsed);
    }
    return parsed;
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
      const parsed = this.parsed(key);
      forgetComponentGlyphs(parsed);
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

}


/** Control characters, soft hyphens and zero-width marks: no font needs to draw them. */
function ignorable(cp: number): boolean {
  return cp < 0x20 || cp === 0xad || (cp >= 0x200b && cp <= 0x200f) || cp === 0x2060 || cp === 0xfeff;
}

const NULL_ANCHORS = Symbol('null anchors skipped');

/**
 * fontkit (2.0.4) throws on a NULL anchor in a mark positioning table, which OpenType allows (no
 * anchor for that mark class) and Noto Sans Malayalam has: every word that ends in a virama (ന്)
 * failed. The attachment is skipped, as HarfBuzz skips it (fontkit issue #367, pull request
 * #374). The processor's class is fontkit's, shared by every font: it is patched once.
 */
function skipNullAnchors(font: ReturnType<typeof create>): void {
  type Processor = { applyAnchor(mark: { markAnchor?: unknown }, base: unknown, index: number): void; [NULL_ANCHORS]?: true };
  const gpos = (font as unknown as { _layoutEngine?: { engine?: { GPOSProcessor?: Processor | null } } })._layoutEngine?.engine?.GPOSProcessor;
  if (!gpos) return;
  const processor = Object.getPrototypeOf(gpos) as Processor;
  if (processor[NULL_ANCHORS]) return;
  const apply = processor.applyAnchor;
  processor.applyAnchor = function (this: Processor, mark, base, index) {
    if (base && mark?.markAnchor) apply.call(this, mark, base, index);
  };
  processor[NULL_ANCHORS] = true;
}

/**
 * fontkit caches a font's glyphs by id, with the characters they were first asked for. An
 * earlier document's subset asks for the glyphs that others are built of (the period inside a
 * colon) with no characters; asked for again as "." by the next document, the cached glyph says
 * it stands for nothing, and the PDF's ToUnicode map loses the period. The parsed font is shared
 * between documents, so before each one uses it, glyphs cached without characters are dropped
 * (fontkit makes them again, with their characters, when a text asks for them).
 */
function forgetComponentGlyphs(font: ReturnType<typeof create>): void {
  const glyphs = (font as unknown as { _glyphs?: Record<string, { codePoints: readonly number[] } | undefined> })._glyphs;
  if (!glyphs) return;
  for (const id of Object.keys(glyphs)) if (glyphs[id]?.codePoints.length === 0) delete glyphs[id];
}
