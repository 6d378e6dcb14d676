import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Report } from '../src/messages.js';
import { parseSource } from '../src/source/parse.js';
import { MAX_NESTING } from '../src/source/nesting.js';
import { runCli, tempDir } from './helpers.js';

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
