// The benchmarks' large sources: a text of the paper repeated, made alike for every benchmark.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * `file` of the paper (paper.en.md, paper.es.md ...) repeated `scale` times, each copy under a
 * "# `part` k" heading with its headings one level down, so that every ID stays unique and the
 * numbering stays valid.
 */
export function scaledPaper(file, scale, part = 'Part') {
  const text = readFileSync(path.join(root, 'source', 'china-lac-policy', file), 'utf8');
  if (scale === 1) return text;
  const [, front, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text);
  const shifted = body.replace(/^#/gm, '##');
  const parts = Array.from({ length: scale }, (_, k) => `# ${part} ${k + 1}\n\n${shifted}`);
  // The editorial note and the short headings name blocks and sections of the unshifted paper:
  // leave them out of the copies.
  const copied = front.replace(/\neditorial:[\s\S]*$/, '').replace(/\nshort-headings:.*(?:\n {2}.*)*/, '');
  return `---\n${copied}\n---\n\n${parts.join('\n')}`;
}
