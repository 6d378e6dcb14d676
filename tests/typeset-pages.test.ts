/**
 * Page breaking, read back from the built PDFs (issue 12, "Done when"): the repository's editions
 * (the paper in en, es and zh-Hans, en+es, en+zh-Hans and the two packets) and the corpus (its
 * documents and the packets of its sub-folders), each built once to PDF, then measured through
 * poppler (tests/typeset.ts). In every PDF: no heading ends a page, no page is under a third
 * full but a part's last, no contents page after the first holds fewer than three entries.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasPoppler, sharedBuild } from './helpers.js';
import { measure, type PdfFigures } from './typeset.js';

interface Output {
  path: string;
  edition: string;
  format: string;
}

/** The PDFs of the run's shared build of `name`: the repository's (not the kitchen sink, a fixture of constructs) or the corpus. */
function pdfsOf(name: 'repository' | 'corpus'): { out: string; outputs: Output[] } {
  const { out } = sharedBuild(name);
  const outputs = (JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { outputs: Output[] }).outputs;
  return { out, outputs: outputs.filter((o) => o.format === 'pdf' && !o.path.startsWith('kitchen-sink/')) };
}

const figures: PdfFigures[] = [];

describe.skipIf(!hasPoppler())('page breaking, read back', () => {
  beforeAll(() => {
    for (const set of ['repository', 'corpus'] as const) {
      const { out, outputs } = pdfsOf(set);
      for (const o of outputs) figures.push({ ...measure(path.join(out, o.path), o.edition), file: `${set === 'corpus' ? 'corpus/' : ''}${o.path}` });
    }
    const rows = figures.map((f) =>
      [
        f.file.padEnd(62),
        `${f.pages} pp.`.padStart(7),
        `heads at foot ${f.headingsAtFoot.length}`,
        `one line after ${f.headingsWithOneLine.length}`,
        `underfull ${f.underfull.length}`,
        `contents runts ${f.contentsRunts.length}`,
        `head faults ${f.headFaults.length}`,
      ].join('  '),
    );
    const sum = (k: 'headingsAtFoot' | 'headingsWithOneLine' | 'underfull' | 'contentsRunts' | 'headFaults') => figures.reduce((n, f) => n + f[k].length, 0);
    console.log(
      `${figures.length} PDFs, ${figures.reduce((n, f) => n + f.pages, 0)} pages\n${rows.join('\n')}\n` +
        `total: headings at foot ${sum('headingsAtFoot')}, with one line after ${sum('headingsWithOneLine')}, underfull ${sum('underfull')}, contents runts ${sum('contentsRunts')}, running heads ${figures.reduce((n, f) => n + f.heads.length, 0)} with ${sum('headFaults')} faults`,
    );
  }, 600_000);

  it('builds and reads back every edition: the repository\'s 7 and the corpus', () => {
    expect(figures.length).toBeGreaterThan(7);
    expect(figures.filter((f) => f.file.startsWith('china-lac-policy/')).length).toBe(5);
    expect(figures.filter((f) => f.file.startsWith('packets/')).length).toBe(2);
  });

  it('leaves no heading at the foot of a page', () => {
    expect(figures.flatMap((f) => f.headingsAtFoot.map((h) => `${f.file} p. ${h.page}: ${h.heading}`))).toEqual([]);
  });

  it('keeps at least two lines of text with each heading', () => {
    expect(figures.flatMap((f) => f.headingsWithOneLine.map((h) => `${f.file} p. ${h.page}: ${h.heading}`))).toEqual([]);
  });

  it('fills every page to a third at least, but a part\'s last', () => {
    expect(figures.flatMap((f) => f.underfull.map((u) => `${f.file} p. ${u.page}: ${Math.round(u.fill * 100)}%`))).toEqual([]);
  });

  it('sets running heads whole (no ellipsis), one to a page at its outer edge, or one over each column', () => {
    expect(figures.flatMap((f) => f.headFaults.map((h) => `${f.file} ${h}`))).toEqual([]);
    expect(figures.reduce((n, f) => n + f.heads.length, 0)).toBeGreaterThan(100);
  });

  it('leaves no runt on a contents page', () => {
    expect(figures.flatMap((f) => f.contentsRunts.map((r) => `${f.file} p. ${r.page}: ${r.entries} entries`))).toEqual([]);
  });
});
