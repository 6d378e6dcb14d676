/**
 * The scripts the default print theme sets through its fallback chain (Greek and Cyrillic beyond
 * the main fonts, mathematical operators, Devanagari, Malayalam, Kannada, Thai): every character
 * read back from the PDF by poppler, every font embedded, each script's language marked where
 * its font marks one. And the chain's cost: a font is read only when a text needs it.
 */
import * as fs from 'node:fs';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { describe, expect, it, vi } from 'vitest';
import { FontBook } from '../src/formats/pdf/fonts.js';
import { Templates } from '../src/templating/engine.js';
import { loadTheme } from '../src/theme/theme.js';
import { hasPoppler, hasQpdf, run, runCli, tempDir } from './helpers.js';

// Every file that the font book reads, seen (and read as usual).
vi.mock('node:fs', async (original) => {
  const real = await original<typeof import('node:fs')>();
  return { ...real, readFileSync: vi.fn(real.readFileSync) };
});

/** One line per script, each in the body's serif, the headings' sans and the code's mono. */
const LINES = [
  'Greek: Ϡ Ἀθῆναι; Cyrillic: Ӓ Ґанна',
  'Mathematics: ℋ ⅆ ∲ ≧\u0338; replacement: \ufffd',
  'Malayalam: ആ കേരളം ക്ഷേത്രം ആണ് ഒന്ന്',
  'Kannada: ಫ ಕರ್ನಾಟಕ ಬೆಂಗಳೂರು',
  'Devanagari: हिन्दी किताब',
  'Thai: ภาษาไทย น้ำ ที่นี่',
];

const doc = `---
title: Scripts
issuer: The Test Office
issued: 2020-01-31
language: en
---

# One

${LINES.join('\n\n')}

**${LINES[2]}**

*${LINES[0]}*

## ${LINES[0]}

## ${LINES[3]}

\`\`\`
${LINES.join('\n')}
\`\`\`
`;

describe.skipIf(!hasPoppler())('the default theme\'s fallback chain', () => {
  const build = () => {
    const source = path.join(tempDir(), 'scripts');
    fs.mkdirSync(source);
    fs.writeFileSync(path.join(source, 'paper.en.md'), doc);
    const out = path.join(source, '..', 'dist');
    const r = runCli(['build', source, '--out', out, '--format', 'pdf', '-q']);
    expect(r.status, r.stderr).toBe(0);
    return path.join(out, 'scripts', 'scripts.en.pdf');
  };
  let file: string | undefined;
  const pdf = () => (file ??= build());

  it('prints every character: poppler reads each line back as written, in the body, bold, italic, a heading and code', () => {
    const text = run('pdftotext', ['-raw', pdf(), '-']);
    const lines = text.split('\n');
    for (const line of LINES) {
      // Body, code, and for some a bold, italic or heading copy: every one whole on its line.
      expect(lines.filter((l) => l === line).length, line).toBeGreaterThanOrEqual(2);
    }
    expect(lines.filter((l) => l === LINES[0]).length).toBe(4);
    expect(lines.filter((l) => l === LINES[2]).length).toBe(3);
    expect(lines.filter((l) => l === LINES[3]).length).toBe(3);
  });

  it('embeds every font as a subset with its characters, among them each fallback\'s', () => {
    const fonts = run('pdffonts', [pdf()])
      .split('\n')
      .slice(2)
      .filter(Boolean);
    expect(fonts.filter((l) => !/ CID TrueType +Identity-H +yes yes yes /.test(l))).toEqual([]);
    const names = fonts.map((l) => l.split(' ')[0]!.replace(/^[A-Z]{6}\+/, ''));
    for (const name of [
      'NotoSerif-Regular',
      'NotoSerif-Italic',
      'NotoSans-SemiBold',
      'NotoSansMono-Regular',
      'NotoSansMath-Regular',
      'NotoSansMalayalam-Regular',
      'NotoSansMalayalam-Bold',
      'NotoSansKannada-Regular',
      'NotoSansKannada-SemiBold',
      'NotoSansDevanagari-Regular',
      'NotoSansThai-Regular',
    ]) {
      expect(names).toContain(name);
    }
    // Subsets: a few dozen glyphs of each font, not whole fonts.
    expect(fs.statSync(pdf()).size).toBeLessThan(150_000);
  });

  it('marks Malayalam, Kannada and Thai words with their language; Greek, Cyrillic and Devanagari with none', () => {
    const raw = fs.readFileSync(pdf(), 'latin1');
    const langs = [...raw.matchAll(/\/S \/Span\n\/Lang \(([^)]*)\)/g)].map((m) => m[1]);
    expect(new Set(langs)).toEqual(new Set(['ml', 'kn', 'th']));
  });

  it.skipIf(!hasQpdf())('is a sound PDF that draws a mark placed off its pen (≧̸) at a text matrix of its own', () => {
    expect(run('qpdf', ['--check', pdf()])).toContain('No syntax or stream encoding errors found');
    const content = run('qpdf', ['--qdf', '--object-streams=disable', pdf(), '-']);
    expect(content).toMatch(/Tm \[<[0-9a-f]{4}>\] TJ/);
  });
});

describe('a fallback font', () => {
  it('is read only when a text needs it: a text its own font sets reads no fallback, Ӓ none after Noto Serif', () => {
    const fonts = new FontBook(new PDFDocument({ autoFirstPage: false }), loadTheme(new Templates([])));
    const key = fonts.key({ family: 'serif', bold: false, italic: false }, 'en');
    const read = vi.mocked(fs.readFileSync);
    read.mockClear();
    const fontsRead = () => read.mock.calls.map(([f]) => path.basename(String(f))).filter((f) => f.endsWith('.ttf'));
    expect(fonts.runs(key, 'Plain English, with “quotes” and an em dash — nothing else.').missing).toEqual([]);
    expect(fontsRead()).toEqual(['SourceSerif4_400Regular.ttf']);
    expect(fonts.runs(key, 'Ӓ').runs).toEqual([{ text: 'Ӓ', font: 'fallback-2/serif-regular' }]);
    expect(fontsRead()).toEqual(['SourceSerif4_400Regular.ttf', 'NotoSerifSC_400Regular.ttf', 'NotoSerif_400Regular.ttf']);
  });
});
