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
    expect(fonts.chainNames(fonts.key(serif, 'en'))).toEqual(['Source Serif 4', 'Noto Serif SC', 'Source Sans 3']);
    expect(fonts.chainNames(fonts.key(serif, 'zh-Hans'))).toEqual(['Noto Serif SC', 'Source Serif 4', 'Source Sans 3']);
    // The sans family's own font is the symbol fallback's: tried once.
    expect(fonts.chainNames(fonts.key({ ...serif, family: 'sans' }, 'en'))).toEqual(['Source Sans 3', 'Noto Serif SC']);
    expect(fonts.runs(fonts.key(serif, 'en'), 'Xiamen (厦门) ✔').runs).toEqual([
      { text: 'Xiamen (', font: 'serif-regular' },
      { text: '厦门', font: 'fallback-1/serif-regular', lang: 'zh-Hans' },
      { text: ') ', font: 'serif-regular' },
      { text: '✔', font: 'fallback-2/serif-regular' },
    ]);
  });

  it('are reported at their line in the theme when a language tag is not one, or a file cannot be found', () => {
    const missingFile = (t: string) => t.replace('regular: "@expo-google-fonts/source-sans-3/400Regular/SourceSans3_400Regular.ttf"\n      italic', 'regular: "fonts/none.ttf"\n      italic');
    const badTag = themeWith((t) => t.replace('  - lang: zh-Hans   # CJK', '  - lang: "zh Hans"   # CJK'));
    expect(errorsOf(badTag.templates)).toEqual([[badTag.file, lineOf(badTag.text, '"zh Hans"'), expect.stringContaining('expected a BCP 47 language tag')]]);
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
