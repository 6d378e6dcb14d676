#!/usr/bin/env node
// Benchmark: whole-process time and peak memory of `editions build`, side by side with pandoc on
// the same Markdown, at 1x, 10x and 100x the paper. Not a test: run `npm run bench` and copy the
// table into the README. Needs pandoc and wkhtmltopdf (apt-get install pandoc wkhtmltopdf) and
// GNU time (/usr/bin/time). SCALES=1,10 picks the sizes (SCALES= none); WHOLE=0 leaves out the
// repository's whole build. BASELINE=DIR (another checkout, compiled) adds its rows to the same
// run, interleaved with ours, so that a change is compared with the code before it on one machine
// under one load.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { scaledPaper } from './scale.js';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench', 'out');
const scales = (process.env.SCALES ?? '1,10,100').split(',').filter(Boolean).map(Number);
const runsFor = (scale) => (scale >= 100 ? 3 : 5);

const source = (scale) => scaledPaper('paper.en.md', scale);

function measure(command, args) {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '' } });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${r.stderr}`);
  const rssKb = Number(r.stderr.trim().split('\n').at(-1));
  return { seconds, mb: rssKb / 1024 };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const cli = path.join(root, 'bin', 'editions.js');
const baseline = process.env.BASELINE && path.resolve(process.env.BASELINE);
const baselineCli = baseline && path.join(baseline, 'bin', 'editions.js');
const rows = [];
rmSync(work, { recursive: true, force: true });
for (const scale of scales) {
  const docDir = path.join(work, `src-${scale}x`, `paper-${scale}x`);
  mkdirSync(docDir, { recursive: true });
  const md = path.join(docDir, 'paper.en.md');
  writeFileSync(md, source(scale));
  const out = (name) => path.join(work, `${name}-${scale}x`);
  const cases = [
    ['editions: HTML', process.execPath, [cli, 'build', docDir, '--out', out('html'), '--format', 'html', '-q']],
    ['pandoc: HTML (standalone)', 'pandoc', [md, '-s', '-o', `${out('pandoc')}.html`]],
    ['editions: EPUB', process.execPath, [cli, 'build', docDir, '--out', out('epub'), '--format', 'epub', '-q']],
    ['pandoc: EPUB 3', 'pandoc', [md, '-o', `${out('pandoc')}.epub`]],
    ['editions: PDF', process.execPath, [cli, 'build', docDir, '--out', out('pdf'), '--format', 'pdf', '-q']],
    ['pandoc: PDF (wkhtmltopdf)', 'pandoc', [md, '-s', '--pdf-engine=wkhtmltopdf', '-o', `${out('pandoc')}.pdf`]],
    ['editions: DOCX', process.execPath, [cli, 'build', docDir, '--out', out('docx'), '--format', 'docx', '-q']],
    ['pandoc: DOCX', 'pandoc', [md, '-o', `${out('pandoc')}.docx`]],
    ['editions: every edition', process.execPath, [cli, 'build', docDir, '--out', out('all'), '-q']],
  ].flatMap((c) => (baselineCli && c[0].startsWith('editions') ? [c, [c[0].replace('editions', 'baseline'), c[1], c[2].map((a) => (a === cli ? baselineCli : a))]] : [c]));
  for (const [name, command, args] of cases) {
    const runs = Array.from({ length: runsFor(scale) }, () => measure(command, args));
    rows.push({ scale, name, seconds: median(runs.map((r) => r.seconds)), mb: Math.max(...runs.map((r) => r.mb)), kb: Buffer.byteLength(readFileSync(md)) / 1024 });
  }
}

// The repository's whole build, cold (every edition of every language, both bilingual editions,
// both briefing packets), beside pandoc making the English paper alone in its four formats.
if (process.env.WHOLE !== '0') {
  const md = path.join(root, 'source', 'china-lac-policy', 'paper.en.md');
  const out = path.join(work, 'whole');
  const pandocAll = [
    `pandoc ${md} -s -o ${out}-pandoc.html`,
    `pandoc ${md} -o ${out}-pandoc.epub`,
    `pandoc ${md} -o ${out}-pandoc.docx`,
    `pandoc ${md} -s --pdf-engine=wkhtmltopdf -o ${out}-pandoc.pdf`,
  ].join(' && ');
  const cases = [
    // As a publisher's CI runs it after `npm ci`: npm itself, the up-to-date check of lib/, the build.
    ['editions: `npm run build`, the whole repository (28 files)', 'npm', ['--prefix', root, 'run', '-s', 'build', '--', '--out', out, '-q']],
    ['pandoc: the English paper in HTML, EPUB, DOCX and PDF', 'sh', ['-c', pandocAll]],
    ...(baseline ? [['baseline: `npm run build`, the whole repository', 'npm', ['--prefix', baseline, 'run', '-s', 'build', '--', '--out', `${out}-baseline`, '-q']]] : []),
  ];
  for (const [name, command, args] of cases) {
    const runs = Array.from({ length: runsFor(1) }, () => measure(command, args));
    rows.push({ scale: 'repo', name, seconds: median(runs.map((r) => r.seconds)), mb: Math.max(...runs.map((r) => r.mb)), kb: Buffer.byteLength(readFileSync(md)) / 1024 });
  }
}

const pandoc = execFileSync('pandoc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
console.log(`Node ${process.version}, ${pandoc}; median of ${runsFor(1)} runs (3 at 100x); peak RSS of the whole process.\n`);
console.log('| what | source | time | peak memory |');
console.log('|---|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.name}${r.scale === 'repo' ? '' : ` at ${r.scale}x`} | ${r.kb.toFixed(0)} KB | ${r.seconds.toFixed(2)} s | ${r.mb.toFixed(0)} MB |`);
}
const ratio = (name) => {
  const at = (s) => rows.find((r) => r.name === name && r.scale === s)?.seconds;
  return at(100) && at(1) ? (at(100) / at(1)).toFixed(1) : 'n/a';
};
console.log(
  `\n100x / 1x time: editions PDF ${ratio('editions: PDF')}, DOCX ${ratio('editions: DOCX')}, every edition ${ratio('editions: every edition')}, ` +
    `pandoc HTML ${ratio('pandoc: HTML (standalone)')}, EPUB ${ratio('pandoc: EPUB 3')}, PDF ${ratio('pandoc: PDF (wkhtmltopdf)')}, DOCX ${ratio('pandoc: DOCX')}`,
);
writeFileSync(path.join(work, 'results.json'), `${JSON.stringify(rows, null, 2)}\n`);
