/** `editions ids`: a document's stable IDs in reading order, for people and (--json) for scripts. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copySource, CORPUS, lineOf, PAPER, ROOT, runCli, SOURCE, tempDir } from './helpers.js';

const paper = 'source/china-lac-policy/paper.en.md';

describe('editions ids', () => {
  it('lists every section and block of the paper in reading order, as JSON', () => {
    const r = runCli(['ids', 'china-lac-policy', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const ids = JSON.parse(r.stdout);
    // 44 sections (Foreword, I to V and their parts) and 50 blocks (46 paragraphs, 4 list items).
    expect(ids).toHaveLength(94);
    expect(ids.filter((e: { kind: string }) => e.kind === 'section')).toHaveLength(44);
    expect(ids.slice(0, 2)).toEqual([
      { id: 'foreword', kind: 'section', citation: 'Foreword', file: paper, line: lineOf(PAPER, '# Foreword'), column: 1, excerpt: 'Foreword' },
      { id: 'foreword-p1', kind: 'paragraph', citation: 'Foreword ¶1', file: paper, line: lineOf(PAPER, '# Foreword') + 2, column: 1, excerpt: 'The world today is undergoing major transformation and…' },
    ]);
    const iv23 = ids.findIndex((e: { id: string }) => e.id === 'iv-2-3');
    expect(ids[iv23]).toEqual({ id: 'iv-2-3', kind: 'section', citation: 'IV.2.(3)', file: paper, line: lineOf(PAPER, '### (3) Financial Cooperation'), column: 1, excerpt: '(3) Financial Cooperation' });
    expect(ids[iv23 + 1]).toMatchObject({ id: 'iv-2-3-p1', kind: 'paragraph', citation: 'IV.2.(3) ¶1' });
    // A list's items, each at its own line and column (after "- ").
    expect(ids.find((e: { id: string }) => e.id === 'iii-p2')).toMatchObject({ kind: 'list item paragraph', citation: 'III ¶2', column: 3 });
  });

  it('prints one line per ID, its place first', () => {
    const r = runCli(['ids', 'china-lac-policy']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(94);
    expect(lines).toContain(`${paper}:${lineOf(PAPER, '### (3) Financial Cooperation')}:1  iv-2-3  section  IV.2.(3)  (3) Financial Cooperation`);
  });

  it('takes the document folder by path, from anywhere, and a translation by --lang', () => {
    const here = tempDir();
    const r = runCli(['ids', path.join(SOURCE, 'china-lac-policy'), '--lang', 'es', '--json'], { cwd: here });
    expect(r.status, r.stderr).toBe(0);
    const ids = JSON.parse(r.stdout);
    const es = path.join(SOURCE, 'china-lac-policy/paper.es.md');
    expect(ids[0]).toMatchObject({ id: 'foreword', file: path.relative(here, es), line: lineOf(es, '# Prólogo'), excerpt: 'Prólogo' });
    expect(ids.map((e: { id: string }) => e.id)).toEqual(JSON.parse(runCli(['ids', 'china-lac-policy', '--json']).stdout).map((e: { id: string }) => e.id));
  });

  it('lists a preamble, which has neither heading nor citation, where its first block stands', () => {
    const memo = path.join(CORPUS, 'memo/paper.en.md');
    const r = runCli(['ids', 'memo', CORPUS]);
    expect(r.status, r.stderr).toBe(0);
    const [first, second] = r.stdout.split('\n');
    const line = lineOf(memo, 'To the Director');
    expect(first).toBe(`${path.relative(ROOT, memo)}:${line}:1  preamble  section`);
    expect(second).toMatch(new RegExp(`^${path.relative(ROOT, memo)}:${line}:1  preamble-p1  paragraph  ¶1  To the Director, `));
  });

  it('names a document that does not exist, with the closest name (exit 1)', () => {
    const r = runCli(['ids', 'china-lac-polcy']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('error: no document "china-lac-polcy" in source [source-missing]\n  hint: did you mean china-lac-policy?\n1 error\n');
    const lang = runCli(['ids', 'china-lac-policy', '--lang', 'fr']);
    expect(lang.status).toBe(1);
    expect(lang.stderr).toContain('error: document "china-lac-policy" has no text in "fr" [source-missing]\n  hint: its languages are en, es, zh-Hans');
  });

  it('refuses a document whose numbering has errors: its IDs are not stable', () => {
    const source = copySource({ 'china-lac-policy/paper.en.md': (t) => t.replace('### (3) Financial Cooperation', '### (4) Financial Cooperation') });
    const r = runCli(['ids', 'china-lac-policy', source]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('[numbering-sequence]');
  });

  it('needs the document (exit 2)', () => {
    const r = runCli(['ids']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error: "ids" needs the document whose IDs to list [cli-usage]');
  });
});
