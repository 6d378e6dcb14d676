/**
 * The print theme (templates/pdf/theme.yaml, overridable like any template): checked against a
 * schema with ranges, so a value out of range is reported at its line in the theme file.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EditionsError, Report } from '../messages.js';
import { PACKAGE_ROOT } from '../paths.js';
import { isRegularFile, readTextFile } from '../source/files.js';
import { readYaml } from '../source/yaml-schema.js';
import type { Templates } from '../templating/engine.js';

const points = (max: number) => z.number().min(0).max(max);
const size = z.number().min(4).max(96);
const colorName = z.enum(['text', 'muted', 'accent', 'link', 'rule']);
const family = z.enum(['serif', 'sans', 'mono']);
const hex = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'expected a colour written #rrggbb');

const fontFiles = z.strictObject({ regular: z.string(), italic: z.string(), bold: z.string(), boldItalic: z.string() });

/** The line settings when a theme has none (as templates/pdf/theme.yaml sets them). */
export const DEFAULT_LINES = {
  breaking: 'total-fit' as const,
  tolerance: 2500,
  linePenalty: 10,
  hyphenPenalty: 1500,
  doubleHyphenDemerits: 10000,
  finalHyphenDemerits: 5000,
  adjDemerits: 10000,
  maxHyphenatedLines: 2,
  looseness: 0,
  emergencyStretch: 1.5,
  spaceStretch: 0.5,
  spaceShrink: 0.33,
  cjkStretch: 0.1,
  raggedStretch: 2,
  raggedHyphenPenalty: 600,
  hyphenMin: { left: 3, right: 3 },
  hyphenateCapitalised: false,
  raggedRight: { single: false, parallel: true, alternating: false },
  chinese: { indent: 2, minLastLine: 2, compressPunctuation: true },
};

const themeSchema = z.strictObject({
  page: z.strictObject({
    size: z.enum(['A4', 'Letter']),
    margins: z.strictObject({ top: points(200), bottom: points(200), inner: points(200), outer: points(200) }),
  }),
  fonts: z.strictObject({ serif: fontFiles, sans: fontFiles, mono: fontFiles }),
  colors: z.strictObject({ text: hex, muted: hex, accent: hex, link: hex, rule: hex }),
  body: z.strictObject({
    font: family,
    size,
    leading: z.number().min(1).max(3),
    paragraphSpacing: points(72),
    justify: z.boolean(),
    hyphenate: z.boolean(),
    indent: points(144),
  }),
  headings: z
    .array(
      z.strictObject({
        level: z.number().int().min(1).max(6),
        font: family,
        bold: z.boolean(),
        size,
        color: colorName,
        spaceBefore: points(144),
        spaceAfter: points(144),
      }),
    )
    .min(1),
  code: z.strictObject({ font: family, size, leading: z.number().min(1).max(3) }),
  small: z.strictObject({ font: family, size }),
  title: z.strictObject({ size, leading: z.number().min(1).max(3), color: colorName }),
  /** Line breaking: TeX's controls for total fit, hyphenation limits, ragged right by layout, Chinese rules. */
  lines: z
    .strictObject({
      breaking: z.enum(['total-fit', 'first-fit']),
      tolerance: z.number().min(0).max(10000),
      linePenalty: z.number().min(0).max(10000),
      hyphenPenalty: z.number().min(0).max(10000),
      doubleHyphenDemerits: z.number().min(0).max(1e7),
      finalHyphenDemerits: z.number().min(0).max(1e7),
      adjDemerits: z.number().min(0).max(1e7),
      maxHyphenatedLines: z.number().int().min(0).max(20),
      looseness: z.number().int().min(-10).max(10),
      emergencyStretch: z.number().min(0).max(10),
      spaceStretch: z.number().min(0).max(4),
      spaceShrink: z.number().min(0).max(0.9),
      cjkStretch: z.number().min(0).max(1),
      raggedStretch: z.number().min(0.1).max(20),
      raggedHyphenPenalty: z.number().min(0).max(10000),
      hyphenMin: z.strictObject({ left: z.number().int().min(1).max(10), right: z.number().int().min(1).max(10) }),
      hyphenateCapitalised: z.boolean(),
      raggedRight: z.strictObject({ single: z.boolean(), parallel: z.boolean(), alternating: z.boolean() }),
      chinese: z.strictObject({ indent: z.number().min(0).max(4), minLastLine: z.number().int().min(0).max(4), compressPunctuation: z.boolean() }),
    })
    .default(() => DEFAULT_LINES),
  /** Bilingual editions: the space between the two columns. */
  parallel: z.strictObject({ gutter: points(72) }).default({ gutter: 18 }),
  /** Font families for a language whose script the main fonts lack (zh-Hans). */
  languages: z.record(z.string(), z.strictObject({ serif: fontFiles, sans: fontFiles, mono: fontFiles })).default({}),
  /**
   * Fonts for what a text's own fonts lack (a Chinese name quoted in English, a symbol), tried in
   * order; `lang` marks the words set in one in the structure tree; `scripts` limits one to the
   * characters of those Unicode scripts (a mathematical font's Arabic letters are not for text).
   */
  fallback: z
    .array(
      z.strictObject({
        lang: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/, 'expected a BCP 47 language tag').optional(),
        scripts: z.array(z.string().refine(isScript, 'expected a Unicode script name such as Latin, Arabic, Common or Inherited')).min(1).optional(),
        serif: fontFiles,
        sans: fontFiles,
        mono: fontFiles,
      }),
    )
    .default([]),
});

/** Whether `name` is a Unicode script (Script property value) that a regular expression knows. */
function isScript(name: string): boolean {
  if (!/^[A-Za-z_]+$/.test(name)) return false;
  try {
    new RegExp(`\\p{Script=${name}}`, 'u');
    return true;
  } catch {
    return false;
  }
}

export type Theme = z.infer<typeof themeSchema>;
export type FontFamily = z.infer<typeof family>;
export type ColorName = z.infer<typeof colorName>;

type FontPaths = Record<FontFamily, Record<'regular' | 'italic' | 'bold' | 'boldItalic', string>>;

export interface LoadedTheme extends Theme {
  /** Absolute font file per family and style. */
  fontPaths: FontPaths;
  /** The same, per language that has fonts of its own. */
  languageFontPaths: Record<string, FontPaths>;
  /** The fallback fonts, in the order they are tried, each with the language it marks and the scripts it is limited to. */
  fallbackFontPaths: { lang?: string; scripts?: string[]; paths: FontPaths }[];
  file: string;
}

/** The theme's `languages` entry whose fonts set text in `lang` (`zh-Hans`, or `zh` for it), if any. */
export function fontLanguage(theme: LoadedTheme, lang: string): string | undefined {
  const primary = lang.split('-')[0]!;
  return lang in theme.languageFontPaths ? lang : primary in theme.languageFontPaths ? primary : undefined;
}

/**
 * Of languages set side by side (a bilingual edition's two), the one whose fonts set the text
 * they share (running heads, Word's styles): one with fonts of its own, whose Chinese fonts
 * carry Latin letters too; else the first.
 */
export function sharedFontLanguage(theme: LoadedTheme, langs: readonly string[]): string {
  return langs.find((l) => fontLanguage(theme, l)) ?? langs[0]!;
}

export const PAGE_SIZES: Record<Theme['page']['size'], [number, number]> = { A4: [595.28, 841.89], Letter: [612, 792] };

/** Each template set's theme, loaded once a build (the PDF, the DOCX and check all read it). */
const themes = new WeakMap<Templates, LoadedTheme>();

export function loadTheme(templates: Templates): LoadedTheme {
  let theme = themes.get(templates);
  if (!theme) {
    theme = readTheme(templates);
    themes.set(templates, theme);
  }
  return theme;
}

function readTheme(templates: Templates): LoadedTheme {
  const file = templates.resolve('pdf/theme.yaml');
  const report = new Report();
  const checked = readYaml(
    { text: readTextFile(file, 'theme'), file, firstLine: 1, report, rules: { syntax: 'theme', schema: 'theme' }, what: 'theme', characters: 'error' },
    themeSchema,
  );
  const theme = checked.value;
  if (!theme) throw new EditionsError(report.diagnostics);
  const resolveFonts = (fonts: Theme['fonts'], at: (string | number)[]): FontPaths => {
    const fontPaths = {} as FontPaths;
    for (const fam of family.options) {
      fontPaths[fam] = {} as FontPaths[FontFamily];
      for (const style of ['regular', 'italic', 'bold', 'boldItalic'] as const) {
        const spec = fonts[fam][style];
        const found = findFontFile(spec, path.dirname(file));
        if (!found) {
          report.error('theme', `the font file "${spec}" cannot be found`, {
            file,
            place: checked.locate([...at, fam, style]),
            hint: 'give a path relative to the theme file, or an installed npm package path such as @expo-google-fonts/source-serif-4/400Regular/SourceSerif4_400Regular.ttf (TTF or OTF)',
          });
        } else if (!isRegularFile(found)) {
          report.error('theme', `the font file "${spec}" is not a regular file (a folder, a FIFO or a device)`, {
            file,
            place: checked.locate([...at, fam, style]),
            hint: `put the TTF or OTF file at ${found}, or name another`,
          });
        } else if (!/\.(ttf|otf|ttc)$/i.test(found)) {
          report.error('theme', `the font file "${spec}" is not TTF or OTF`, {
            file,
            place: checked.locate([...at, fam, style]),
            hint: 'WOFF and WOFF2 are unusable for print (slow and large): use the TTF or OTF files',
          });
        } else {
          fontPaths[fam][style] = found;
        }
      }
    }
    return fontPaths;
  };
  const fontPaths = resolveFonts(theme.fonts, ['fonts']);
  const languageFontPaths = Object.fromEntries(Object.entries(theme.languages).map(([lang, fonts]) => [lang, resolveFonts(fonts, ['languages', lang])]));
  const fallbackFontPaths = theme.fallback.map(({ lang, scripts, ...fonts }, i) => ({ ...(lang && { lang }), ...(scripts && { scripts }), paths: resolveFonts(fonts, ['fallback', i]) }));
  if (report.errorCount > 0) throw new EditionsError(report.diagnostics);
  return { ...theme, fontPaths, languageFontPaths, fallbackFontPaths, file };
}

/** A path relative to the theme, or a file inside an installed npm package. */
function findFontFile(spec: string, themeDir: string): string | undefined {
  if (spec.startsWith('.') || path.isAbsolute(spec)) {
    const p = path.resolve(themeDir, spec);
    return existsSync(p) ? p : undefined;
  }
  for (const start of [themeDir, process.cwd(), PACKAGE_ROOT]) {
    let dir = start;
    for (;;) {
      const p = path.join(dir, 'node_modules', spec);
      if (existsSync(p)) return p;
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return undefined;
}
