/** `--report json`: check's and build's diagnostics in vfile-reporter-json's shape, on standard output. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copySource, lineOf, read, runCli, tempDir } from './helpers.js';

/** A copy of source/ with one warning in the English (a skipped heading level) and one error in the Spanish (an unknown front-matter key). */
function brokenSource(): { project: string; en: string; es: string } {
  const source = copySource({
    'china-lac-policy/paper.en.md': (t) => t.replace('### (1) Trade', '#### (1) Trade'),
    'china-lac-policy/paper.es.md': (t) => t.replace('language: es\n', 'language: es\nreviewer: x\n'),
  });
  return { project: path.dirname(source), en: path.join(source, 'china-lac-policy/paper.en.md'), es: path.join(source, 'china-lac-policy/paper.es.md') };
}

/** What vfile-reporter-json gives for a file at `file` (relative to `cwd`) with `messages`. */
const file = (cwd: string, file: string, messages: object[]) => ({ path: file, cwd, history: [file], messages });

describe('--report json', () => {
  let project: string;
  let expected: object[];
  beforeAll(() => {
    const broken = brokenSource();
    project = broken.project;
    const heading = lineOf(broken.en, '#### (1) Trade');
    expected = [
      file(project, 'source/china-lac-policy/paper.en.md', [
        {
          column: 1,
          fatal: false,
          line: heading,
          place: { line: heading, column: 1 },
          reason: 'heading level 4 follows level 2; it is set as level 3',
          ruleId: 'heading-level',
          source: 'editions',
          note: 'make it ###, or add the missing level above it',
        },
      ]),
      file(project, 'source/china-lac-policy/paper.es.md', [
        {
          column: 1,
          fatal: true,
          line: lineOf(broken.es, 'reviewer: x'),
          place: { line: lineOf(broken.es, 'reviewer: x'), column: 1 },
          reason: 'unknown front matter key "reviewer"',
          ruleId: 'front-matter-schema',
          source: 'editions',
          note: 'known keys here: title, subtitle, short-title, short-headings, issuer, issued, revised, language, description, source, keywords, translation, editorial',
        },
      ]),
    ];
  });

  it('check: one object per file with its messages (an error fatal, a warning not), and only the count on stderr; exit 1', () => {
    const r = runCli(['check', 'source', '--report', 'json'], { cwd: project });
    expect(r.status, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual(expected);
    expect(r.stderr).toBe('1 error, 1 warning\n');
  });

  it('build: the same report when the build fails, and nothing written', () => {
    const r = runCli(['build', 'source', '--out', 'dist', '--report', 'json'], { cwd: project });
    expect(r.status, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual(expected);
    expect(existsSync(path.join(project, 'dist'))).toBe(false);
  });

  it('check: [] for a clean source, exit 0', () => {
    const r = runCli(['check', '--report', 'json']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('[]\n');
    expect(r.stderr).toBe('checked 3 source files and 2 briefing packets: no errors\n');
  });

  it('build: the warnings, then one object per output written with its manifest entry; the summary on stderr', () => {
    const source = copySource({ 'china-lac-policy/paper.en.md': (t) => t.replace('### (1) Trade', '#### (1) Trade') });
    const cwd = path.dirname(source);
    const r = runCli(['build', 'source', '--out', 'dist', '--format', 'html', '--report', 'json'], { cwd });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report[0]).toEqual({ ...expected[0], cwd });
    const manifest = JSON.parse(read(path.join(cwd, 'dist/manifest.json')));
    // In the order they were written; the manifest lists them by path.
    const outputs = report.slice(1).sort((a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : 1));
    expect(outputs).toEqual(manifest.outputs.map((o: { path: string }) => ({ ...file(cwd, `dist/${o.path}`, []), output: o })).sort((a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : 1)));
    expect(report).toHaveLength(8);
    expect(r.stderr).toMatch(/^1 warning\nbuilt 7 outputs of 1 document and 2 briefing packets in \d+\.\d\d s into dist\/; since the last build: 7 changed\n$/);
  });

  it('gives a message without a file in an object without a path', () => {
    const r = runCli(['build', '--out', path.join(tempDir(), 'dist'), '--report', 'json'], { env: { SOURCE_DATE_EPOCH: 'yesterday' } });
    expect(r.status).toBe(1);
    const [only, ...none] = JSON.parse(r.stdout);
    expect(none).toEqual([]);
    expect(only.path).toBeUndefined();
    expect(only.messages).toMatchObject([{ fatal: true, ruleId: 'environment', source: 'editions' }]);
  });

  it('refuses another format, or another command, as a usage error (exit 2) printed for people', () => {
    const xml = runCli(['check', '--report', 'xml']);
    expect(xml.status).toBe(2);
    expect(xml.stdout).toBe('');
    expect(xml.stderr).toContain('error: unknown report format "xml" [cli-usage]\n  hint: the only report format is json: --report json');
    const ids = runCli(['ids', 'china-lac-policy', '--report', 'json']);
    expect(ids.status).toBe(2);
    expect(ids.stderr).toContain('error: --report is for check, build and merge, not "ids" [cli-usage]');
  });

  it('leaves the human messages as they were without it', () => {
    const { project: p, es } = brokenSource();
    const r = runCli(['check', 'source'], { cwd: p });
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`source/china-lac-policy/paper.es.md:${lineOf(es, 'reviewer: x')}:1: error: unknown front matter key "reviewer" [front-matter-schema]`);
  });
});
