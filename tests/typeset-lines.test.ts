/**
 * Line breaking as a reader sees it (issue 12's "Done when"): the repository's editions (the
 * paper in en, es and zh-Hans, en+es and en+zh-Hans, and the packets) and corpus documents,
 * built to PDF once, read back with poppler (`pdftotext -bbox-layout`), and held to the numbers:
 * runs of hyphenated lines, the share of hyphenated lines in single and parallel columns,
 * carry-overs of two letters, capitalised words split, hyphens ending a page, wide inter-word
 * gaps in justified lines,
 * and Chinese paragraphs indented two characters, none ending in a single character. The
 * figures are printed, to be reported.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadTheme, PAGE_SIZES } from '../src/theme/theme.js';
import { Templates } from '../src/templating/engine.js';
import { hasPoppler, sharedBuild } from './helpers.js';
import { measure, pct, type Figures } from './typeset-measure.js';

/** Corpus documents with body text in each layout: English, Spanish, Chinese, bilingual, a packet, long addresses. */
const DOCUMENTS = ['white-paper', 'memo', 'mixed-scripts', 'mixed-scripts-zh', 'notes-bilingual', 'notes-everywhere', 'long-lines', 'deep-nesting'];

const pdfs = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.pdf'))
    .sort()
    .map((f) => path.join(dir, f));

describe.skipIf(!hasPoppler())('line breaking, read back', () => {
  const figures: Figures[] = [];

  beforeAll(() => {
    const theme = loadTheme(new Templates([]));
    const m = theme.page.margins;
    const geometry = { top: m.top, bottom: m.bottom, size: theme.body.size, textWidth: PAGE_SIZES[theme.page.size][0] - m.inner - m.outer };
    // The repository's PDFs (not the kitchen sink, a fixture of constructs) and the corpus
    // documents', from the run's shared builds (tests/global-setup.ts).
    const repository = sharedBuild('repository').out;
    const files = [
      ...pdfs(repository).filter((f) => !path.relative(repository, f).startsWith('kitchen-sink')),
      ...DOCUMENTS.flatMap((doc) => pdfs(path.join(sharedBuild('corpus').out, doc))),
    ];
    for (const file of files) figures.push(measure(file, geometry));
    for (const f of figures) {
      console.log(
        `${path.basename(f.file)}: hyphenated ${pct(f.hyphenated - f.columnHyphenated, f.lines - f.columnLines).toFixed(1)}% of ${f.lines - f.columnLines} single-column lines, ` +
          `${pct(f.columnHyphenated, f.columnLines).toFixed(1)}% of ${f.columnLines} column lines; longest run ${f.longestRun}; carry-overs ${f.carryOvers.length}; ` +
          `capitalised splits ${f.capitalisedSplits.length}; page-end hyphens ${f.pageEndHyphens.length}; gaps over 0.6 em in ${f.wideGaps} of ${f.justified} justified lines (${pct(f.wideGaps, f.justified).toFixed(1)}%); ` +
          `ragged column lines ${f.raggedLines}, ${f.raggedMean.toFixed(1)} em short on average; Chinese paragraphs ${f.chineseParagraphs}, ` +
          `not indented ${f.notIndented.length}, ending in one character ${f.singleCharacterEnds.length}`,
      );
    }
  }, 300_000);

  it('builds the repository and the corpus documents (the paper in three languages, two bilingual editions, two packets)', () => {
    const names = figures.map((f) => path.basename(f.file));
    for (const want of ['china-lac-policy.en.pdf', 'china-lac-policy.es.pdf', 'china-lac-policy.zh-Hans.pdf', 'china-lac-policy.en+es.pdf', 'china-lac-policy.en+zh-Hans.pdf', 'economic-trade.en+es.pdf', 'political.en+zh-Hans.pdf']) {
      expect(names).toContain(want);
    }
    expect(figures.length).toBeGreaterThanOrEqual(20);
  });

  it('never hyphenates more than two lines in a row', () => {
    for (const f of figures) expect(f.longestRun, path.basename(f.file)).toBeLessThanOrEqual(2);
  });

  it('hyphenates at most 8% of single-column lines and 12% of parallel-column lines', () => {
    for (const f of figures) {
      expect(pct(f.hyphenated - f.columnHyphenated, f.lines - f.columnLines), path.basename(f.file)).toBeLessThanOrEqual(8);
      expect(pct(f.columnHyphenated, f.columnLines), path.basename(f.file)).toBeLessThanOrEqual(12);
    }
  });

  it('carries no two letters over a hyphen, and splits no capitalised word', () => {
    for (const f of figures) {
      expect(f.carryOvers, path.basename(f.file)).toEqual([]);
      expect(f.capitalisedSplits, path.basename(f.file)).toEqual([]);
    }
  });

  it('ends no page, nor a column of one, on a hyphen', () => {
    for (const f of figures) expect(f.pageEndHyphens, path.basename(f.file)).toEqual([]);
  });

  it('leaves an inter-word gap over 0.6 em in at most 1% of justified lines', () => {
    for (const f of figures) expect(pct(f.wideGaps, f.justified), `${path.basename(f.file)}: ${f.wideGapExamples.join('; ')}`).toBeLessThanOrEqual(1);
  });

  it('indents every Chinese paragraph two characters, and ends none in a single character', () => {
    const chinese = figures.filter((f) => /zh-Hans/.test(path.basename(f.file)));
    expect(chinese.length).toBeGreaterThanOrEqual(4);
    for (const f of chinese) {
      expect(f.chineseParagraphs, path.basename(f.file)).toBeGreaterThan(0);
      expect(f.notIndented, path.basename(f.file)).toEqual([]);
      expect(f.singleCharacterEnds, path.basename(f.file)).toEqual([]);
    }
  });
});
