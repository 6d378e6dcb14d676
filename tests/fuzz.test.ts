/**
 * A bounded fuzz test: documents of the corpus, mutated at random (hostile snippets inserted,
 * text cut, lines doubled and swapped, front matter broken), each built in every format. Whatever
 * the input, the tool must answer with outputs (exit 0) or with messages (exit 1): never a crash
 * (exit 70, a stack trace) and never a hang. The mutations come from a seeded generator, so a
 * failure names its seed and case and is replayed with FUZZ_SEED; FUZZ_CASES sets how many.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inTurns } from '../src/shared/turns.js';
import { ROOT, tempDir } from './helpers.js';

const CORPUS = path.join(ROOT, 'tests', 'fixtures', 'corpus');
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const CASES = Number(process.env.FUZZ_CASES ?? 24);
/** A build of one small document takes about a second; one that takes this long hangs. */
const HANG_MS = 60_000;

/** Folders of the corpus that hold one document each. */
const DOCUMENTS = readdirSync(CORPUS)
  .map((n) => path.join(CORPUS, n))
  .filter((d) => readdirSync(d).some((f) => /^paper\..+\.md$/.test(f)));

/** Snippets a careless or hostile contributor writes. */
const SNIPPETS = [
  '\n\n# \n\n', '\n\n## Duplicate\n\nx\n\n## Duplicate\n\n', '\n\n### 9.9.9 Deep decimal\n\n', '\n\n# IV. Out of order\n\n',
  '[^missing]', '[^n]\n\n[^n]: A note.\n\n[^n]: Again.\n', '[link][nowhere]', '[x](#no-such-id)', '[x](javascript:alert(1))',
  '[x](JaVaScRiPt&#58;alert(1))', '<javascript:alert(1)>', '[x](data:text/html,<script>1</script>)', '[x](%zz)', '![](nowhere.png)',
  '![a](../../../etc/passwd)', '![a](/dev/zero)', '![a](//host/share.png)', '<div onclick="x()">raw</div>', '<script>alert(1)</script>',
  '\u0001\u000b\u001b[31m', '\uffff\ufffe', '\ud800', '\u0000', '\u202e\u2066', '厦门（Xiamen）', 'ആ ಫ Ӓ ∲', '🇨🇳👩🏽‍💻',
  '\n\n| a | b |\n|---|---|\n| ![c](x.png) | [^q] |\n\n', '\n\n|a|\n|-|\n' + '|x|\n'.repeat(50), '\n\n```\n' + 'x'.repeat(500) + '\n```\n',
  'w'.repeat(3000), '\n\n' + '>'.repeat(150) + ' deep\n\n', '\n\n' + Array.from({ length: 14 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n') + '\n\n',
  '{{title}} {{{raw}}} {{#each x}}', '\n\n---\ntitle: again\n---\n\n', '\n\n***\n\n', '$$x$$', '~~strike~~ **bold *both***', '\\', '`', '*',
];

/** mulberry32: small, seeded, the same on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `text` after 1 to 6 random edits; the front matter is broken now and then. */
function mutate(text: string, next: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
  const end = text.indexOf('\n---', 4) + 4;
  let [front, body] = [text.slice(0, end), text.slice(end)];
  const at = () => Math.floor(next() * (body.length + 1));
  for (let n = 1 + Math.floor(next() * 6); n > 0; n--) {
    const op = next();
    if (op < 0.45) {
      const i = at();
      body = body.slice(0, i) + pick(SNIPPETS) + body.slice(i);
    } else if (op < 0.6) {
      const i = at();
      body = body.slice(0, i) + body.slice(i + Math.floor(next() * 400));
    } else if (op < 0.75) {
      const lines = body.split('\n');
      const i = Math.floor(next() * lines.length);
      lines.splice(i, 0, lines[Math.floor(next() * lines.length)]!);
      body = lines.join('\n');
    } else if (op < 0.85) {
      const lines = body.split('\n');
      const [i, j] = [Math.floor(next() * lines.length), Math.floor(next() * lines.length)];
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      body = lines.join('\n');
    } else if (op < 0.92) {
      body = body.slice(0, at());
    } else {
      front = pick([
        front.replace(/^issued: .*$/m, 'issued: 2100-02-30'),
        front.replace(/^language: .*$/m, 'language: xx-invalid-Tag'),
        front.replace(/^title: .*$/m, 'title: &a [*a, *a, *a, *a]'),
        front.replace(/^title: .*$/m, 'title: "\u0001\u001b[2J"'),
        front.replace(/\n---\n$/, '\nunknown: key\n---\n'),
        front.slice(0, Math.floor(next() * front.length)),
      ]);
    }
  }
  return front + body;
}

interface Run {
  status: number | null;
  signal: string | null;
  stderr: string;
  ms: number;
}

function build(source: string, out: string): Promise<Run> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'editions.js'), 'build', source, '--out', out, '-q'], {
      cwd: ROOT,
      env: { ...process.env, SOURCE_DATE_EPOCH: '' },
      timeout: HANG_MS,
      killSignal: 'SIGKILL',
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (status, signal) => resolve({ status, signal, stderr, ms: Date.now() - started }));
  });
}

describe('fuzzed documents', () => {
  it(`build or are refused with messages, never a crash or a hang (seed ${SEED}, ${CASES} cases)`, async () => {
    const next = random(SEED);
    const work = tempDir('fuzz-');
    const cases = Array.from({ length: CASES }, (_, i) => {
      const doc = DOCUMENTS[Math.floor(next() * DOCUMENTS.length)]!;
      const source = path.join(work, `case-${i}`);
      const folder = path.join(source, path.basename(doc));
      cpSync(doc, folder, { recursive: true });
      const files = readdirSync(folder).filter((f) => /^paper\..+\.md$/.test(f));
      const file = path.join(folder, files[Math.floor(next() * files.length)]!);
      writeFileSync(file, mutate(readFileSync(file, 'utf8'), next));
      return { i, source, file: path.relative(work, file) };
    });
    const failures: string[] = [];
    const exits = { built: 0, refused: 0 };
    // Two at a time: the machine has two cores.
    await inTurns(
      cases,
      async (c) => {
        const r = await build(c.source, path.join(c.source, 'dist'));
        const crashed = r.status !== 0 && r.status !== 1;
        const trace = /^\s+at .+:\d+:\d+\)?$/m.test(r.stderr) || r.stderr.includes('internal error');
        if (crashed || trace) failures.push(`case ${c.i} (${c.file}): exit ${r.status ?? r.signal} after ${r.ms} ms\n${r.stderr.slice(0, 2000)}`);
        else if (r.status === 0 && !existsSync(path.join(c.source, 'dist', 'manifest.json'))) failures.push(`case ${c.i}: exit 0 without a manifest`);
        else exits[r.status === 0 ? 'built' : 'refused']++;
      },
      2,
    );
    console.log(`fuzz: seed ${SEED}, ${exits.built} built, ${exits.refused} refused with messages`);
    expect(failures, `seed ${SEED}; the mutated sources are in ${work}`).toEqual([]);
    // Mutants that build exercise the renderers, refused ones the checks: a run must have both.
    expect(exits.built).toBeGreaterThan(0);
    expect(exits.refused).toBeGreaterThan(0);
  }, CASES * HANG_MS);
});
