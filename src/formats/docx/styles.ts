/**
 * Word styles from the print theme, so the DOCX and the PDF look like one edition: the body
 * font and size, headings with their outline levels, title, contents levels, header and footer.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { IStylesOptions } from 'docx';
import { isCjkLanguage } from '../../shared/scripts.js';
import { fontLanguage, type LoadedTheme } from '../../theme/theme.js';
import type { EmbeddableFont } from './embed.js';

/** A family name, or Word's pair of Latin and East Asian names for a language that has both. */
type WordFont = string | { ascii: string; hAnsi: string; cs: string; eastAsia: string };

export interface FontNames {
  serif: WordFont;
  sans: WordFont;
  mono: WordFont;
}

/**
 * The family names inside the theme's regular font files (what Word and LibreOffice look up).
 * The East Asian font is the language's own for a language that has fonts of its own (zh-Hans),
 * else the theme's CJK fallback, which sets Chinese quoted in the text as the PDF does.
 */
export function fontNames(theme: LoadedTheme, lang: string): FontNames {
  return fontsOf(theme, lang).names;
}

/** The family names, and each name's font files (the fonts the package embeds). */
export function fontsOf(theme: LoadedTheme, lang: string): { names: FontNames; files: EmbeddableFont[] } {
  const files: EmbeddableFont[] = [];
  const name = (file: string) => familyName(file) ?? 'Times New Roman';
  const own = fontLanguage(theme, lang);
  const cjk = theme.fallbackFontPaths.find((f) => f.lang && isCjkLanguage(f.lang))?.paths;
  const pick = (f: 'serif' | 'sans' | 'mono'): WordFont => {
    const latin = name(theme.fontPaths[f].regular);
    files.push({ name: latin, files: theme.fontPaths[f] });
    const eastAsia = own ? theme.languageFontPaths[own]![f] : cjk?.[f];
    if (!eastAsia) return latin;
    files.push({ name: name(eastAsia.regular), files: eastAsia, cjk: true });
    return { ascii: latin, hAnsi: latin, cs: latin, eastAsia: name(eastAsia.regular) };
  };
  const names = { serif: pick('serif'), sans: pick('sans'), mono: pick('mono') };
  return { names, files };
}

/**
 * Name ID 1 (family) from a TrueType/OpenType 'name' table, preferring the Windows Unicode
 * record. Only the table directory and the name table are read: a CJK font file is 15 MB.
 */
function familyName(file: string): string | undefined {
  const fd = openSync(file, 'r');
  try {
    const read = (offset: number, length: number) => {
      const buffer = Buffer.alloc(length);
      readSync(fd, buffer, 0, length, offset);
      return buffer;
    };
    const tables = read(4, 2).readUInt16BE(0);
    const directory = read(12, tables * 16);
    for (let i = 0; i < tables; i++) {
      const rec = i * 16;
      if (directory.toString('latin1', rec, rec + 4) !== 'name') continue;
      const font = read(directory.readUInt32BE(rec + 8), directory.readUInt32BE(rec + 12));
      const count = font.readUInt16BE(2);
      const strings = font.readUInt16BE(4);
      for (let j = 0; j < count; j++) {
        const r = 6 + j * 12;
        const [platform, , , nameId, length, offset] = [0, 2, 4, 6, 8, 10].map((o) => font.readUInt16BE(r + o));
        if (nameId !== 1 || platform !== 3) continue;
        const raw = font.subarray(strings + offset!, strings + offset! + length!);
        return Buffer.from(raw).swap16().toString('utf16le');
      }
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

const half = (pt: number) => Math.round(pt * 2);
const twips = (pt: number) => Math.round(pt * 20);

export function docxStyles(theme: LoadedTheme, fonts: FontNames, lang: { value: string; eastAsia?: string }): IStylesOptions {
  const color = (name: keyof LoadedTheme['colors']) => theme.colors[name].slice(1);
  const family = (f: 'serif' | 'sans' | 'mono') => fonts[f];
  // docx defines Title and Heading 1-6 itself: they are restyled through `default`, not added.
  const heading = (level: number) => {
    const h = theme.headings.find((x) => x.level === level) ?? theme.headings.at(-1)!;
    return {
      run: { font: family(h.font), size: half(h.size), bold: h.bold, color: color(h.color) },
      // Left-aligned: a justified heading in a narrow bilingual column spreads its words.
      paragraph: { alignment: 'left', spacing: { before: twips(h.spaceBefore), after: twips(h.spaceAfter) }, keepNext: true, keepLines: true, outlineLevel: level - 1 } as never,
    };
  };
  const toc = (level: number) => ({
    id: `TOC${level}`,
    name: `toc ${level}`,
    basedOn: 'Normal',
    next: 'Normal',
    run: { font: family(level === 1 ? theme.small.font : theme.body.font), bold: level === 1, size: half(theme.body.size * (level === 1 ? 1 : 0.95)) },
    // Left-aligned: the body's justification would spread a wrapped entry's words.
    paragraph: { alignment: 'left', spacing: { before: level === 1 ? twips(7) : 0, after: twips(1) }, indent: { left: twips((level - 1) * 16) } } as never,
  });
  return {
    default: {
      document: {
        run: { font: family(theme.body.font), size: half(theme.body.size), color: color('text'), language: lang },
        paragraph: { spacing: { line: Math.round(theme.body.leading * 240), lineRule: 'auto', after: twips(theme.body.paragraphSpacing) } } as never,
      },
      title: {
        run: { font: family(theme.small.font), size: half(theme.title.size), bold: true, color: color(theme.title.color) },
        // Its rule with its spacing (LibreOffice sets lines without one on top of each other), flush left.
        paragraph: { alignment: 'left', spacing: { before: twips(6), after: twips(18), line: Math.round(theme.title.leading * 240), lineRule: 'auto' } } as never,
      },
      heading1: heading(1),
      heading2: heading(2),
      heading3: heading(3),
      heading4: heading(4),
      heading5: heading(5),
      heading6: heading(6),
    },
    paragraphStyles: [
      {
        id: 'Normal',
        name: 'Normal',
        quickFormat: true,
        run: { font: family(theme.body.font), size: half(theme.body.size) },
        paragraph: { alignment: theme.body.justify ? 'both' : 'left' } as never,
      },
      {
        id: 'Subtitle',
        name: 'Subtitle',
        basedOn: 'Normal',
        next: 'Normal',
        quickFormat: true,
        run: { font: family(theme.small.font), size: half(theme.title.size * 0.55) },
      },
      {
        id: 'TOCHeading',
        name: 'TOC Heading',
        basedOn: 'Normal',
        next: 'Normal',
        run: { font: family(theme.small.font), size: half(theme.headings[0]!.size), bold: true, color: color('accent') },
        paragraph: { spacing: { after: twips(14) } },
      },
      toc(1),
      toc(2),
      toc(3),
      // A figure's title below its image, as the PDF sets it: smaller and muted; flush left, as the image stands.
      {
        id: 'Caption',
        name: 'caption',
        basedOn: 'Normal',
        next: 'Normal',
        run: { size: half(theme.body.size * 0.9), color: color('muted') },
        paragraph: { alignment: 'left' } as never,
      },
      { id: 'Header', name: 'header', basedOn: 'Normal', run: { font: family(theme.small.font), size: half(theme.small.size), color: color('muted') } },
      { id: 'Footer', name: 'footer', basedOn: 'Normal', run: { font: family(theme.small.font), size: half(theme.small.size), color: color('muted') } },
    ],
  };
}
