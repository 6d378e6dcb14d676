import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { Report } from '../src/messages.js';
import { parseSource } from '../src/source/parse.js';
import { MAX_NESTING } from '../src/source/nesting.js';
import { hasPoppler, run, runCli, tempDir } from './helpers.js';

const FRONT = '---\ntitle: Deep\nissuer: The Test Office\nissued: 2020-01-31\nlanguage: en\n---\n\n# Deep\n\nText.\n\n';

function errors(body: string): string[] {
  const report = new Report();
  parseSource(FRONT + body, '/docs/deep/paper.en.md', report);
  return report.diagnostics.map((d) => `${d.place?.line}:${d.place?.column} ${d.severity} ${d.ruleId}`);
}

describe('deep nesting', () => {
  it(`accepts ${MAX_NESTING} levels of block quotes and of lists`, () => {
    expect(errors(`${'> '.repeat(MAX_NESTING)}quoted\n`)).toEqual([]);
    expect(errors(Array.from({ length: MAX_NESTING }, (_, i) => `${'  '.repeat(i)}- item\n`).join(''))).toEqual([]);
  });

  it('refuses one level more, where it begins', () => {
    expect(errors(`${'> '.repeat(MAX_NESTING + 1)}quoted\n`)).toEqual([`12:${2 * MAX_NESTING + 1} error nesting-depth`]);
    const list = Array.from({ length: MAX_NESTING + 1 }, (_, i) => `${'  '.repeat(i)}- item\n`).join('');
    expect(errors(list)).toEqual([`${12 + MAX_NESTING}:${2 * MAX_NESTING + 1} error nesting-depth`]);
  });

  it('stops before the parser can overflow, with one message and no other', () => {
    expect(errors(`${'> '.repeat(20_000)}quoted\n\nMore text.\n`)).toEqual([`12:${2 * MAX_NESTING + 1} error nesting-depth`]);
  });

  it('is an input error (exit 1), not an internal error, in build and check', () => {
    const dir = path.join(tempDir(), 'deep');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'paper.en.md'), `${FRONT}${'> '.repeat(2000)}quoted\n\n${Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}- item\n`).join('')}`);
    for (const command of [['check', dir], ['build', dir, '--out', path.join(dir, '..', 'out')]]) {
      const r = runCli(command);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('paper.en.md:12:201: error: block quotes and lists nest more than 100 levels deep here [nesting-depth]');
      expect(r.stderr).not.toContain('internal error');
    }
  });
});

describe(`text nested ${MAX_NESTING} levels deep`, () => {
  const deep = `${FRONT}${'> '.repeat(MAX_NESTING)}The innermost quotation.\n\n${Array.from({ length: MAX_NESTING }, (_, i) => `${'  '.repeat(i)}- item${i}\n`).join('')}`;
  let out: string;
  beforeAll(() => {
    const dir = path.join(tempDir(), 'deep');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'paper.en.md'), deep);
    out = path.join(dir, '..', 'out');
    expect(runCli(['build', dir, '--out', out, '--format', 'pdf,docx', '-q']).status).toBe(0);
  });

  it.skipIf(!hasPoppler())('is printed inside the PDF page, the deepest levels as narrow as the theme allows', () => {
    const words = [...run('pdftotext', ['-bbox', path.join(out, 'deep', 'deep.en.pdf'), '-']).matchAll(/<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)<\/word>/g)];
    const find = (w: string) => words.filter((m) => m[3] === w);
    expect(find('innermost')).toHaveLength(1);
    expect(find(`item${MAX_NESTING - 1}`)).toHaveLength(1);
    // A4 is 595 points wide; the theme's inner and outer margins hold the text inside.
    for (const [, x0, x1, word] of words) {
      expect(Number(x1), word).toBeLessThan(595 - 40);
      expect(Number(x0), word).toBeGreaterThan(40);
    }
  });

  it('indents the DOCX no further than Word\'s list levels reach', () => {
    const xml = new TextDecoder().decode(unzipSync(readFileSync(path.join(out, 'deep', 'deep.en.docx')))['word/document.xml']!);
    const indents = [...xml.matchAll(/<w:ind w:left="(\d+)"/g)].map((m) => Number(m[1]));
    expect(indents.length).toBeGreaterThan(0);
    expect(Math.max(...indents)).toBeLessThanOrEqual(400 * (8 + 2));
    expect(xml).toContain('The innermost quotation.');
  });
});
