/**
 * Golden files: the expected text of an output, committed under tests/golden/ and reviewed as a
 * diff. `UPDATE=1 npm test` rewrites them from the current output.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
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

/**
 * A page image compared with its stored copy: the same size, and at most 0.5% of pixels
 * differing by more than a quarter of the grey range (anti-aliasing differs between poppler
 * versions; a moved line or a missing word does not pass).
 */
export function expectGoldenImage(name: string, actual: PNG): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE === '1') {
    if (process.env.CI) throw new Error('UPDATE=1 is for reviewing changes locally, never for CI');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, PNG.sync.write(actual));
    return;
  }
  if (!existsSync(file)) throw new Error(`no golden image ${path.relative(ROOT, file)}: run UPDATE=1 npm test and look at it`);
  const expected = PNG.sync.read(readFileSync(file));
  expect([actual.width, actual.height]).toEqual([expected.width, expected.height]);
  let differing = 0;
  for (let i = 0; i < actual.data.length; i += 4) if (Math.abs(actual.data[i]! - expected.data[i]!) > 64) differing++;
  const share = differing / (actual.width * actual.height);
  expect(share, `${path.relative(ROOT, file)}: ${(share * 100).toFixed(2)}% of pixels differ`).toBeLessThan(0.005);
}
