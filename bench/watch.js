#!/usr/bin/env node
// Benchmark of `editions watch` (issue 14: "In watch mode, the HTML preview updates within 300 ms
// of the save"): the repository's sources copied, watched with every format configured, and one
// paragraph of the English paper saved SAVES times (default 11), each time with another word;
// timed from the write to the preview's `reload` event for the HTML (server-sent events, as a
// page's client gets them), and to the second event, for the other formats. The first save after
// the start is reported apart: it meets code the first build did not run. Not a test: run
// `node bench/watch.js` after `npm run compile`.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench', 'out-watch');
const saves = Number(process.env.SAVES ?? 11);
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
cpSync(path.join(root, 'source'), path.join(work, 'source'), { recursive: true });
const paper = path.join(work, 'source', 'china-lac-policy', 'paper.en.md');
const original = readFileSync(paper, 'utf8');

const child = spawn(process.execPath, [path.join(root, 'bin', 'editions.js'), 'watch', '--port', '0', '--out', 'dist'], { cwd: work, env: { ...process.env, SOURCE_DATE_EPOCH: '' } });
let output = '';
child.stderr.on('data', (t) => (output += t));
/** Resolves once the watch has printed what `test` matches. */
const printed = (test) =>
  new Promise((resolve, reject) => {
    const look = () => {
      const m = test.exec(output);
      if (m) return resolve(m);
      setTimeout(look, 20);
    };
    child.on('exit', () => reject(new Error(`the watch stopped:\n${output}`)));
    look();
  });
child.stdout.setEncoding('utf8').on('data', (t) => (output += t));
const url = (await printed(/preview at (http:\/\/\S+?)\/? /))[1] + '/';
// The first build, started with the watch: the HTML, then every other format.
await printed(/built epub, pdf, docx/);

/** The preview's events, in order. */
const queue = [];
const waiting = [];
http.get(`${url}__editions/events`, (res) => {
  let buffer = '';
  res.setEncoding('utf8').on('data', (chunk) => {
    buffer += chunk;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const lines = buffer.slice(0, end).split('\n');
      buffer = buffer.slice(end + 2);
      const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
      const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
      if (event && data) (waiting.shift() ?? ((e) => queue.push(e)))({ event, data: JSON.parse(data), at: performance.now() });
    }
  });
});
const next = () => (queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise((resolve) => waiting.push(resolve)));
/** The next reload, once the whole build (every format) is done: the last of a build's events lists the PDF. */
async function reloads() {
  const html = await next();
  if (html.event !== 'reload') throw new Error(`expected a reload, got ${html.event}: ${JSON.stringify(html.data)}`);
  let rest = html;
  while (!rest.data.formats.includes('pdf')) rest = await next();
  return { html, rest };
}

if ((await next()).event !== 'hello') throw new Error('the preview did not greet its client');
const html = [];
const rest = [];
for (let i = 0; i < saves; i++) {
  const saved = performance.now();
  writeFileSync(paper, original.replace('It encourages Chinese commercial banks', `It encourages Chinese commercial banks (${i + 1})`));
  const r = await reloads();
  html.push(r.html.at - saved);
  rest.push(r.rest.at - saved);
}
child.kill('SIGINT');
writeFileSync(paper, original);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const later = (xs) => xs.slice(1);
console.log(`Node ${process.version}; ${saves} saves of one paragraph of the English paper, every format configured.\n`);
console.log('| from the save to | first save | later saves: median | later saves: range |');
console.log('|---|---:|---:|---:|');
for (const [name, xs] of [['the HTML reload event', html], ['the other formats reloaded', rest]]) {
  console.log(`| ${name} | ${xs[0].toFixed(0)} ms | ${median(later(xs)).toFixed(0)} ms | ${Math.min(...later(xs)).toFixed(0)}–${Math.max(...later(xs)).toFixed(0)} ms |`);
}
