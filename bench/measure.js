// What the benchmarks share: one process timed with its peak memory, medians, pandoc's four
// outputs of the English paper (the figure every ratio is taken against), and cases run
// interleaved.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Time and peak memory (/usr/bin/time) of one process in `cwd`; a failure is returned, with its error, not thrown. */
export function measure(command, args, cwd) {
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, SOURCE_DATE_EPOCH: '' } });
  const seconds = (performance.now() - started) / 1000;
  const lines = r.stderr.trim().split('\n');
  const mb = Number(lines.at(-1)) / 1024;
  if (r.status === 0) return { seconds, mb };
  const error = lines.slice(0, -1).filter((l) => !l.startsWith('Command exited with non-zero status')).join('\n');
  return { seconds, mb, failed: `exit ${r.status}: ${error}` };
}

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const md = path.join(root, 'source', 'china-lac-policy', 'paper.en.md');
/** pandoc's four English outputs of the paper (HTML, EPUB, DOCX, PDF through wkhtmltopdf), as one case. */
export const pandocCase = () => [
  'pandoc: the English paper in HTML, EPUB, DOCX and PDF',
  () => {},
  ['sh', ['-c', [`pandoc ${md} -s -o p.html`, `pandoc ${md} -o p.epub`, `pandoc ${md} -o p.docx`, `pandoc ${md} -s --pdf-engine=wkhtmltopdf -o p.pdf`].join(' && ')]],
];

/**
 * Runs `cases` ([name, before, [command, args]]) `n` times in `cwd`, interleaved so that every
 * case meets the machine's load alike; a row per case with its times, peak memory and median.
 * `onFailure` is told of a failed run (the row keeps its error as `failed`).
 */
export function runCases(cases, n, cwd, onFailure = () => {}) {
  const rows = [];
  for (let run = 0; run < n; run++) {
    for (const [name, before, [command, args]] of cases) {
      before(run);
      const m = measure(command, args, cwd);
      if (m.failed) onFailure(name, m.failed);
      const row = rows.find((r) => r.name === name) ?? rows[rows.push({ name, seconds: [], mb: 0 }) - 1];
      row.seconds.push(m.seconds);
      row.mb = Math.max(row.mb, m.mb);
      if (m.failed) row.failed = m.failed;
      console.error(`  run ${run + 1}/${n}: ${name}: ${m.seconds.toFixed(2)} s, ${m.mb.toFixed(0)} MB${m.failed ? ', FAILED' : ''}`);
    }
  }
  return rows.map((r) => ({ ...r, median: median(r.seconds) }));
}
