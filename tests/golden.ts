/**
 * Golden files: the expected text of an output, committed under tests/golden/ and reviewed as a
 * diff. `UPDATE=1 npm test` rewrites them from the current output.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { ROOT } from './helpers.js';

export const GOLDEN = path.join(ROOT, 'tests', 'golden');

export function expectGolden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE === '1') {
    if (process.env.CI) throw new Error('UPDATE=1 is for reviewing changes locally, never for CI');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`no golden file ${path.relative(ROOT, file)}: run UPDATE=1 npm test and review it`);
  expect(actual, `${path.relative(ROOT, file)} differs (UPDATE=1 npm test rewrites it; review the diff)`).toBe(readFileSync(file, 'utf8'));
}
