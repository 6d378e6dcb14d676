/** The print theme's fallback fonts: loaded in order, checked like every other value. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { FontBook } from '../src/formats/pdf/fonts.js';
import { loadTheme } from '../src/theme/theme.js';
import { EditionsError } from '../src/messages.js';
import { Templates } from '../src/templating/engine.js';
import { ROOT, tempDir } from './helpers.js';

const THEME = readFileSync(path.join(ROOT, 'templates/pdf/theme.yaml'), 'utf8');

/** A template folder whose theme is the built-in one with `edit` made. */
function themeWith(edit: (text: string) => string): { templates: Templates; file: string; text: string } {
  const dir = tempDir();
  mkdirSync(path.join(dir, 'pdf'));
  const file = path.join(dir, 'pdf/theme.yaml');
  const text = edit(THEME);
  writeFileSync(file, text);
  return { templates: new Templates([dir]), file, text };
}

describe('fallback fonts', () => {
  it('chain, for each family: the text language\'s own fonts, the main ones, then the fallbacks in order', () => {
    const fonts = new FontBook(new PDFDocument({ autoFirstPage: false }), loadTheme(new Templates([])));
    const serif = { family: 'serif', bold: false, italic: false } as const;
    const scripts = ['Noto Sans Math', 'Noto Sans Devanagari', 'Noto Sans Malayalam', 'Noto Sans Kannada', 'Noto Sans Thai'];
    expect(fonts.chainNames(fonts.key(serif, 'en'))).toEqual(['Source Serif 4', 'Noto Serif SC', 'Noto Serif', 'Source Sans 3', ...scripts]);
    expect(fonts.chainNames(fonts.key(serif, 'zh-Hans'))).toEqual(['Noto Serif SC', 'Source Serif 4', 'Noto Serif', 'Source Sans 3', ...scripts]);
    // The sans family's own font is the symbol fallback's: tried once.
    expect(fonts.chainNames(fonts.key({ ...serif, family: 'sans' }, 'en'))).toEqual(['Source Sans 3', 'Noto Serif SC', 'Noto Sans', ...scripts]);
    expect(fonts.chainNames(fonts.key({ ...serif, family: 'mono' }, 'en'))).toEqual(['Source Code Pro', 'Noto Serif SC', 'Noto Sans Mono', 'Source Sans 3', ...scripts]);
    expect(fonts.runs(fonts.key(serif, 'en'), 'Xiamen (厦门) ✔ Ӓ ≧\u0338 ആ').runs).toEqual([
      { text: 'Xiamen (', font: 'serif-regular' },
      { text: '厦门', font: 'fallback-1/serif-regular', lang: 'zh-Hans' },
      { text: ') ', font: 'serif-regular' },
      { text: '✔', font: 'fallback-3/serif-regular' },
      { text: ' ', font: 'serif-regular' },
      // Greek and Cyrillic fonts mark no language: many languages are written in them.
      { text: 'Ӓ', font: 'fallback-2/serif-regular' },
      { text: ' ', font: 'serif-regular' },
      // A letter and its combining mark, in the one font that has both.
      { text: '≧\u0338', font: 'fallback-4/serif-regular' },
      { text: ' ', font: 'serif-regular' },
      { text: 'ആ', font: 'fallback-6/serif-regular', lang: 'ml' },
    ]);
  });

  it('keep a font limited to some scripts to them: the mathematical font has Arabic letters, but sets no Arabic text', () => {
    const fonts = new FontBook(new PDFDocument({ autoFirstPage: false }), loadTheme(new Templates([])));
    const key = fonts.key({ family: 'serif', bold: false, italic: false }, 'en');
    expect(fonts.runs(key, 'العرب').missing).toEqual([{ offset: 0, text: 'العرب' }]);
    expect(fonts.chainNames(key, 'العرب')).not.toContain('Noto Sans Math');
    expect(fonts.chainNames(key, '\u{13000}')).not.toContain('Noto Sans Math');
    expect(fonts.runs(key, '𝐀 ∲').missing).toEqual([]);
  });

  it('are reported at their line in the theme when a language tag or a script is not one, or a file cannot be found', () => {
    const missingFile = (t: string) => t.replace('regular: "@expo-google-fonts/source-sans-3/400Regular/SourceSans3_400Regular.ttf"\n      italic', 'regular: "fonts/none.ttf"\n      italic');
    const badTag = themeWith((t) => t.replace('  - lang: zh-Hans   # CJK', '  - lang: "zh Hans"   # CJK'));
    expect(errorsOf(badTag.templates)).toEqual([[badTag.file, lineOf(badTag.text, '"zh Hans"'), expect.stringContaining('expected a BCP 47 language tag')]]);
    const badScript = themeWith((t) => t.replace('scripts: [Common, Inherited]', 'scripts: [Common, Klingon]'));
    expect(errorsOf(badScript.templates)).toEqual([[badScript.file, lineOf(badScript.text, 'Klingon'), expect.stringContaining('expected a Unicode script name')]]);
    const noFile = themeWith(missingFile);
    // At the file's line, and again where the sans and mono families alias it.
    const message = 'the font file "fonts/none.ttf" cannot be found';
    expect(errorsOf(noFile.templates)).toEqual(
      [lineOf(noFile.text, 'fonts/none.ttf'), lineOf(noFile.text, 'sans: *symbols'), lineOf(noFile.text, 'mono: *symbols')].map((line) => [noFile.file, line, message]),
    );
  });
});

/** The file, line and message of each error loading the theme reports. */
function errorsOf(templates: Templates): unknown[] {
  try {
    loadTheme(templates);
  } catch (e) {
    if (e instanceof EditionsError) return e.diagnostics.map((d) => [d.file, d.place?.line, d.message]);
    throw e;
  }
  return [];
}

function lineOf(text: string, part: string): number {
  return text.split('\n').findIndex((l) => l.includes(part)) + 1;
}
