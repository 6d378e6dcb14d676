#!/usr/bin/env node
// Benchmark of issue 14's two claims about size, beside pandoc's four English outputs of the paper
// (HTML, EPUB, DOCX, PDF through wkhtmltopdf) measured in the same run:
//
// collection: "A collection of 100 documents, made from the corpus, builds in time linear in its
//   size: 100 documents take at most 110x the time of one. Four shards each take at most 0.3x of
//   the whole, and peak memory stays under 1 GB." The collection is the document folders of
//   tests/fixtures/corpus copied round-robin under distinct folder names (a document's ID is its
//   folder's name; a copy's packets are left out, since they name the corpus's IDs); one document
//   and ten are the first of those copies. Each is built whole and cold (every format, no cache),
//   the 100 in four shards too. Median of RUNS (default 3), the cases interleaved.
// large: "A 20 MB source peaks under 1 GB, and its time is linear." An English-only document of
//   the paper repeated (scaledPaper, bench/scale.js) to at least LARGE_MB megabytes (default
//   20,2: 20 MB and a tenth of it, for the linearity), built in each format alone and in all of
//   them. Median of LARGE_RUNS (default 1): a build of every edition of 16 MB takes over a minute.
//
// Whole-process time and peak memory (/usr/bin/time -f %M). A build that fails or is refused is
// kept in the table as such, its error printed below it. Not a test: run
// `node bench/collection.js [collection] [large]` (default both) after `npm run compile`; each
// part's sources, outputs and results.json are in bench/out-collection/collection/ and
// bench/out-collection/large-<sizes>mb/. The build reads a source of at most 32 MiB
// (MAX_TEXT_BYTES, src/source/files.ts).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { median, pandocCase, runCases } from './measure.js';
import { scaledPaper } from './scale.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const base = path.join(root, 'bench', 'out-collection');
/** The folder of the part being run, base/<part>: made anew for it, its results.json in it. */
let work;
function enter(part) {
  work = path.join(base, part);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
}
const corpus = path.join(root, 'tests', 'fixtures', 'corpus');
const cli = path.join(root, 'bin', 'editions.js');
const runs = Number(process.env.RUNS ?? 3);
const largeRuns = Number(process.env.LARGE_RUNS ?? 1);
const largeMb = (process.env.LARGE_MB ?? '20,2').split(',').filter(Boolean).map(Number);
const parts = process.argv.slice(2).length ? process.argv.slice(2) : ['collection', 'large'];
for (const p of parts) if (!['collection', 'large'].includes(p)) throw new Error(`unknown part ${p}: collection or large`);
const GB = 1024; // MB

/** The median of a's time over b's in the same run: the load a run meets is alike for both. */
const paired = (a, b) => median(a.seconds.map((x, i) => x / b.seconds[i]));
const editions = (args) => [process.execPath, [cli, ...args]];


/** `editions check` of a source folder: it must have no errors (the corpus's warnings are meant). */
function check(source) {
  const r = spawnSync(process.execPath, [cli, 'check', source, '-q'], { cwd: work, encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '' } });
  if (r.status !== 0) throw new Error(`editions check ${source} failed (exit ${r.status}):\n${r.stderr}`);
  return r.stderr.trim().split('\n').at(-1);
}

const fmt = (s) => `${s.toFixed(2)} s`;
const met = (ok) => (ok ? 'yes' : '**no**');
const failures = [];
const cell = (r, value, first = false) => (!r.failed ? value : first ? `failed, ${r.failed.split('\n')[0]}` : '–');

console.log(`Node ${process.version}; ${os.cpus().length} cores; load average ${os.loadavg().map((l) => l.toFixed(2)).join(', ')} at the start; peak RSS of the whole process.\n`);


if (parts.includes('collection')) {
  enter('collection');
  // The corpus's document folders (a paper.<lang>.md of their own), in name order.
  const kinds = readdirSync(corpus)
    .filter((n) => statSync(path.join(corpus, n)).isDirectory() && readdirSync(path.join(corpus, n)).some((f) => /^paper\.[^.]+\.md$/.test(f)))
    .sort();
  const names = Array.from({ length: 100 }, (_, k) => `doc-${String(k + 1).padStart(3, '0')}-${kinds[k % kinds.length]}`);
  const sizes = [1, 10, 100];
  for (const size of sizes) {
    const dir = path.join(work, `src-${size}`);
    for (const name of names.slice(0, size)) {
      const from = path.join(corpus, name.replace(/^doc-\d+-/, ''));
      cpSync(from, path.join(dir, name), { recursive: true, filter: (f) => f !== path.join(from, 'packets') });
    }
    console.error(`src-${size}: ${check(dir)}`);
  }
  const cold = (out) => () => rmSync(path.join(work, out), { recursive: true, force: true });
  const cases = [
    pandocCase(),
    ...sizes.map((size) => [`editions: ${size} document${size > 1 ? 's' : ''}, whole build, cold`, cold(`out-${size}`), editions(['build', `src-${size}`, '--out', `out-${size}`, '-q'])]),
    ...[1, 2, 3, 4].map((i) => [`editions: shard ${i}/4 of the 100, cold`, cold(`shard-${i}`), editions(['build', 'src-100', '--shard', `${i}/4`, '--out', `shard-${i}`, '-q'])]),
  ];
  console.error(`collection: ${kinds.length} kinds of document (${kinds.join(', ')}), ${runs} runs`);
  const rows = runCases(cases, runs, work);
  writeFileSync(path.join(work, 'results.json'), `${JSON.stringify({ kinds, runs, rows }, null, 2)}\n`);
  const [p, one, ten, hundred, ...shards] = rows;
  console.log(`Collection (${kinds.length} kinds of corpus document, copied round-robin); median of ${runs} runs, interleaved.\n`);
  console.log("| what | time | × pandoc's four | peak memory |");
  console.log('|---|---:|---:|---:|');
  for (const r of rows) console.log(`| ${r.name} | ${cell(r, fmt(r.median), true)} | ${cell(r, (r.median / p.median).toFixed(2))} | ${r.mb.toFixed(0)} MB |`);
  console.log('\n| claim | measured | target | met |');
  console.log('|---|---:|---:|---|');
  const ratio = paired(hundred, one);
  console.log(`| 100 documents / 1 document, time (median of the runs' ratios) | ${ratio.toFixed(1)}× | ≤ 110× | ${met(ratio <= 110)} |`);
  console.log(`| 10 documents / 1 document, time | ${paired(ten, one).toFixed(1)}× | | |`);
  console.log(`| per document, 100-document build / 100 | ${fmt(hundred.median / 100)} | | |`);
  console.log(`| per added document, (100 − 1) / 99 | ${fmt((hundred.median - one.median) / 99)} | | |`);
  console.log(`| per added document, (100 − 10) / 90 | ${fmt((hundred.median - ten.median) / 90)} | | |`);
  for (const [i, s] of shards.entries()) {
    const r = paired(s, hundred);
    console.log(`| shard ${i + 1}/4 / whole 100, time (median of the runs' ratios; each run's: ${s.seconds.map((x, k) => (x / hundred.seconds[k]).toFixed(2)).join(', ')}) | ${r.toFixed(2)}× | ≤ 0.3× | ${met(r <= 0.3)} |`);
  }
  const sum = paired({ seconds: hundred.seconds.map((_, k) => shards.reduce((t, s) => t + s.seconds[k], 0)) }, hundred);
  console.log(`| the four shards together / whole 100, time | ${sum.toFixed(2)}× | | |`);
  for (const r of rows.slice(1)) console.log(`| peak memory, ${r.name.replace('editions: ', '')} | ${r.mb.toFixed(0)} MB | < ${GB} MB | ${met(r.mb < GB)} |`);
  console.log('');
  failures.push(...rows.filter((r) => r.failed));
}

if (parts.includes('large')) {
  enter(`large-${largeMb.join('_')}mb`);
  // scaledPaper(file, 1) is the paper itself, with its editorial front matter: measure from 2.
  const bytesAt = (scale) => Buffer.byteLength(scaledPaper('paper.en.md', scale));
  const perCopy = bytesAt(3) - bytesAt(2);
  const sources = largeMb.map((mb) => {
    // The fewest copies whose file is at least `mb` million bytes.
    let scale = Math.max(2, Math.ceil((mb * 1e6) / perCopy));
    while (scale > 2 && bytesAt(scale - 1) >= mb * 1e6) scale--;
    while (bytesAt(scale) < mb * 1e6) scale++;
    const dir = path.join(work, `src-large-${mb}mb`, `paper-${scale}x`);
    mkdirSync(dir, { recursive: true });
    const text = scaledPaper('paper.en.md', scale);
    writeFileSync(path.join(dir, 'paper.en.md'), text);
    return { mb, scale, bytes: Buffer.byteLength(text), dir: path.relative(work, dir) };
  });
  const formats = [['HTML', 'html'], ['EPUB', 'epub'], ['PDF', 'pdf'], ['DOCX', 'docx'], ['every edition', 'html,epub,pdf,docx']];
  const cases = [
    pandocCase(),
    ...sources.flatMap((s) =>
      formats.map(([label, list]) => {
        const out = `out-large-${s.mb}mb-${list.replace(/,/g, '-')}`;
        return [`editions: ${label}, ${(s.bytes / 1e6).toFixed(1)} MB (${s.scale}x)`, () => rmSync(path.join(work, out), { recursive: true, force: true }), editions(['build', s.dir, '--format', list, '--out', out, '-q'])];
      }),
    ),
  ];
  console.error(`large: ${sources.map((s) => `${s.bytes} bytes (${s.scale}x)`).join(', ')}, ${largeRuns} runs`);
  const rows = runCases(cases, largeRuns, work);
  writeFileSync(path.join(work, 'results.json'), `${JSON.stringify({ runs: largeRuns, sources, rows }, null, 2)}\n`);
  const p = rows[0];
  console.log(`Large source (the English paper repeated); median of ${largeRuns} run${largeRuns > 1 ? 's' : ''}, interleaved.\n`);
  console.log(`| what | time | × pandoc's four | peak memory | under 1 GB (${GB} MB) |`);
  console.log('|---|---:|---:|---:|---|');
  for (const r of rows) console.log(`| ${r.name} | ${cell(r, fmt(r.median), true)} | ${cell(r, (r.median / p.median).toFixed(2))} | ${r.mb.toFixed(0)} MB | ${r === p ? '' : r.failed ? '' : met(r.mb < GB)} |`);
  if (sources.length >= 2) {
    const [big, small] = [...sources].sort((a, b) => b.bytes - a.bytes);
    console.log(`\n| linearity, ${(big.bytes / 1e6).toFixed(1)} MB / ${(small.bytes / 1e6).toFixed(1)} MB (size ×${(big.bytes / small.bytes).toFixed(1)}) | time | peak memory |`);
    console.log('|---|---:|---:|');
    for (const [i, [label]] of formats.entries()) {
      const b = rows[1 + sources.indexOf(big) * formats.length + i];
      const s = rows[1 + sources.indexOf(small) * formats.length + i];
      console.log(`| ${label} | ${b.failed || s.failed ? 'n/a (a build failed)' : `×${paired(b, s).toFixed(1)}`} | ${b.failed || s.failed ? 'n/a' : `×${(b.mb / s.mb).toFixed(1)}`} |`);
    }
  }
  console.log('');
  failures.push(...rows.filter((r) => r.failed));
}

for (const r of failures) console.log(`${r.name} failed, ${r.failed}\n`);
