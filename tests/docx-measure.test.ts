/**
 * The Word edition keeps long words, addresses and code lines inside the page: LibreOffice
 * breaks a word wider than the line at the margin itself. Checked on its real rendering, the PDF
 * it makes of the DOCX, read back word by word with poppler (Word cannot be run here).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasPoppler, hasSoffice, ROOT, run, runCli, tempDir } from './helpers.js';

const SOURCE = path.join(ROOT, 'tests', 'fixtures', 'corpus', 'long-lines');
const LONGEST = readFileSync(path.join(SOURCE, 'paper.en.md'), 'utf8')
  .split(/\s+/)
  .reduce((a, b) => (b.length > a.length ? b : a), '');

describe.skipIf(!hasSoffice() || !hasPoppler())('long lines in the DOCX, as LibreOffice sets them', () => {
  let words: { x0: number; x1: number; text: string }[];
  let pageWidth: number;
  beforeAll(() => {
    const out = path.join(tempDir(), 'dist');
    expect(runCli(['build', SOURCE, '--out', out, '--format', 'docx', '-q']).status).toBe(0);
    const dir = tempDir('editions-lo-');
    run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(out, 'long-lines', 'long-lines.en.docx')]);
    const pdf = path.join(dir, 'long-lines.en.pdf');
    pageWidth = Number(/Page size:\s+([\d.]+)/.exec(run('pdfinfo', [pdf]))![1]);
    words = [...run('pdftotext', ['-bbox', pdf, '-']).matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)].map((m) => ({
      x0: Number(m[1]),
      x1: Number(m[2]),
      text: m[3]!,
    }));
  });

  it('has a word longer than a line in its source (the fixture is what it says)', () => {
    expect(LONGEST.length).toBeGreaterThan(1000);
  });

  it('sets every word inside the margins', () => {
    expect(words.length).toBeGreaterThan(100);
    const outside = words.filter((w) => w.x0 < 36 || w.x1 > pageWidth - 36);
    expect(outside.map((w) => w.text.slice(0, 30))).toEqual([]);
  });

  it('keeps the longest word\'s letters, in order, over several lines', () => {
    const letters = LONGEST.replace(/[^a-z]/g, '');
    const pieces = words.filter((w) => w.text.length > 20 && letters.includes(w.text));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.map((w) => w.text).join('')).toContain(letters.slice(0, 500));
  });
});
