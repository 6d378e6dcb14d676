#!/usr/bin/env node
// Micro benchmark: the PDF's time for a paragraph holding one word of 10,000, 20,000 and 40,000
// characters (a pasted hash, a URL gone wrong). Not a test: run `node bench/long-words.js` after
// `npm run compile`. It prints the render time the build reports for the PDF (start-up excluded),
// less that of the same paragraph with a short word, and the ratio of each size to the one before:
// about 2 when the cost is linear in the word's length, 4 when it is quadratic.
// RUNS=5 sets the runs per size (the median is kept); SIZES=10000,20000,40000 the sizes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench', 'out', 'long-words');
const cli = path.join(root, 'bin', 'editions.js');
const runs = Number(process.env.RUNS ?? 5);
const sizes = (process.env.SIZES ?? '10000,20000,40000').split(',').map(Number);

/** A document whose one paragraph holds a word of `length` letters (not one letter repeated, so that no cache hides the cost). */
function write(length) {
  const dir = path.join(work, `word-${length}`);
  mkdirSync(dir, { recursive: true });
  let word = '';
  for (let i = 0; word.length < length; i++) word += 'abcdefghijklmnopqrstuvwxyz'[(i * 7 + (i >> 3)) % 26];
  const md = `---\ntitle: Long Word\nissuer: Bench\nissued: 2024-01-01\nlanguage: en\n---\n\n# I. A Long Word\n\nBefore the word ${word} and after it.\n`;
  writeFileSync(path.join(dir, 'paper.en.md'), md);
  return dir;
}

/** The PDF's render time in ms, as the build's output line reports it. */
function renderMs(dir) {
  const out = path.join(work, 'dist');
  rmSync(out, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [cli, 'build', dir, '--out', out, '--format', 'pdf'], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '' } });
  if (r.status !== 0) throw new Error(`build of ${dir} failed:\n${r.stderr}`);
  const ms = /^ +pdf .* (\d+) ms /m.exec(r.stdout);
  if (!ms) throw new Error(`no time in the build's output:\n${r.stdout}`);
  return Number(ms[1]);
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const time = (length) => {
  const dir = write(length);
  return median(Array.from({ length: runs }, () => renderMs(dir)));
};

rmSync(work, { recursive: true, force: true });
const base = time(10);
console.log(`PDF render time, median of ${runs} runs (a 10-letter word: ${base} ms, subtracted below)`);
console.log('| word length | render | the word\'s own | ratio to the previous size |');
console.log('|---:|---:|---:|---:|');
let previous;
for (const length of sizes) {
  const ms = time(length);
  const own = Math.max(1, ms - base);
  const ratio = previous ? (own / previous.own).toFixed(2) : '';
  console.log(`| ${length.toLocaleString('en')} | ${ms} ms | ${own} ms | ${ratio} |`);
  previous = { own };
}
rmSync(work, { recursive: true, force: true });
