/**
 * The proof that a build never leaves a broken output folder (issue 11): a whole build of the
 * repository is killed with SIGKILL at 20 moments spread over its run (one at random in each
 * twentieth of it), each time over the output of the build before; then stopped with SIGINT and
 * SIGTERM at random moments. After each kill the folder must hold the previous output or the new
 * one, whole: the same manifest and the same files, byte for byte. A kill that lands in the swap's
 * two renames leaves no folder until the next build puts the previous output back (staging.ts):
 * that case is counted, and the next build must restore it. After each SIGINT or SIGTERM nothing
 * but the output folder stands beside it: no staging folder, no lock.
 *
 * The moments are drawn from a seed (printed; EDITIONS_CRASH_SEED repeats a run), and the
 * figures are printed at the end.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeAll, describe, expect, it } from 'vitest';
import { copySource, runCli, startCli, tempDir } from './helpers.js';

const KILLS = 20;
const STOPS = 6;

/** mulberry32: a small seeded generator, so that a failing run can be repeated. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** The files of `dir` with their hashes, as one string to compare; undefined when there is no `dir`. */
function state(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => `${path.relative(dir, path.join(e.parentPath, e.name))} ${sha(path.join(e.parentPath, e.name))}`)
    .sort()
    .join('\n');
}

const beside = (out: string) => readdirSync(path.dirname(out)).sort();

describe('a build killed or stopped at random moments', () => {
  const seed = Number(process.env.EDITIONS_CRASH_SEED ?? Date.now() % 1_000_000);
  const next = random(seed);
  /** Two texts of the sources, the output folder of each and its state. */
  const versions: { source: string; out: string; output: string }[] = [];
  /**
   * How long a whole build takes: the median of the builds run to their end (those before, and
   * those the kills came too late for), since the machine's load moves it. The moments are spread
   * over a little more than that, so that some fall after the swap too.
   */
  const runs: number[] = [];
  const duration = () => [...runs].sort((a, b) => a - b)[Math.floor((runs.length - 1) / 2)]!;
  const moment = (i: number, of: number) => Math.round((1.05 * duration() * (i + next())) / of);
  let broken: string;
  beforeAll(() => {
    const sources = [copySource(), copySource({ 'china-lac-policy/paper.en.md': (t) => t.replace('The first policy paper', 'The very first policy paper') })];
    for (const source of sources) {
      const out = path.join(tempDir(), 'dist');
      const started = performance.now();
      const r = runCli(['build', source, '--out', out, '-q']);
      runs.push(performance.now() - started);
      expect(r.status, r.stderr).toBe(0);
      versions.push({ source, out, output: state(out)! });
    }
    expect(versions[0]!.output).not.toBe(versions[1]!.output);
    broken = copySource({ 'china-lac-policy/paper.en.md': (t) => t.replace('### (3) Financial Cooperation', '### (4) Financial Cooperation') });
  });

  /** Which version `s` is the output of, if any. */
  const which = (s: string | undefined) => versions.findIndex((v) => v.output === s);

  it(`holds the previous or the new output, whole, after kill -9 at ${KILLS} moments of a build`, async () => {
    const out = path.join(tempDir(), 'dist');
    cpSync(versions[0]!.out, out, { recursive: true });
    let now = 0;
    const rows: string[] = [];
    const found = { previous: 0, new: 0, restored: 0 };
    for (let i = 0; i < KILLS; i++) {
      const target = 1 - now;
      const at = moment(i, KILLS);
      const started = performance.now();
      const build = startCli(['build', versions[target]!.source, '--out', out, '-q']);
      await sleep(at);
      build.child.kill('SIGKILL');
      const r = await build.done;
      if (r.signal !== 'SIGKILL') runs.push(performance.now() - started);
      let got = which(state(out));
      let what = got === now ? 'previous' : got === target ? 'new' : existsSync(out) ? 'torn' : 'none';
      if (what === 'none') {
        // Killed between the two renames of the swap: the next build (even a failing one) restores.
        const repair = runCli(['build', broken, '--out', out, '-q']);
        expect(repair.status).toBe(1);
        got = which(state(out));
        what = got === now ? 'restored' : 'lost';
      }
      rows.push(`${String(i + 1).padStart(2)}  ${`${at} ms`.padStart(8)}  ${r.signal === 'SIGKILL' ? 'killed  ' : 'finished'}  ${what}`);
      expect(['previous', 'new', 'restored'], `kill ${i + 1} at ${at} ms (seed ${seed}): the folder holds ${what}`).toContain(what);
      found[what as keyof typeof found]++;
      now = got;
    }
    // The build after the last kill cleans up whatever the kills left beside the folder.
    expect(runCli(['build', versions[0]!.source, '--out', out, '-q']).status).toBe(0);
    expect(which(state(out))).toBe(0);
    expect(beside(out)).toEqual(['dist']);
    console.log(
      `kill -9 at ${KILLS} moments of a build of about ${Math.round(duration())} ms (seed ${seed}):\n${rows.join('\n')}\n` +
        `previous output whole: ${found.previous}, new output whole: ${found.new}, no folder until the next build restored the previous one: ${found.restored}`,
    );
  });

  it(`leaves no staging folder and no lock when stopped by SIGINT or SIGTERM, at ${STOPS} moments`, async () => {
    const out = path.join(tempDir(), 'dist');
    cpSync(versions[0]!.out, out, { recursive: true });
    let now = 0;
    const rows: string[] = [];
    for (let i = 0; i < STOPS; i++) {
      const signal = i % 2 === 0 ? 'SIGINT' : 'SIGTERM';
      const target = 1 - now;
      const at = moment(i, STOPS);
      const started = performance.now();
      const build = startCli(['build', versions[target]!.source, '--out', out, '-q']);
      await sleep(at);
      build.child.kill(signal);
      const r = await build.done;
      if (r.status === 0) runs.push(performance.now() - started);
      const got = which(state(out));
      // Exit 130 or 143 once the command runs; a signal in Node's first milliseconds, before the
      // command has started, ends it by the signal itself (the shell shows 130 and 143 alike).
      const how = r.signal ?? String(r.status);
      rows.push(`${String(i + 1).padStart(2)}  ${signal.padEnd(7)}  ${`${at} ms`.padStart(8)}  exit ${how.padEnd(7)}  ${got === now ? 'previous' : got === target ? 'new' : 'neither'}  beside: ${beside(out).join(' ')}`);
      expect([signal, '0', signal === 'SIGINT' ? '130' : '143'], r.stderr).toContain(how);
      expect(beside(out), `stop ${i + 1} at ${at} ms (seed ${seed})`).toEqual(['dist']);
      expect([now, target]).toContain(got);
      now = got;
    }
    console.log(`SIGINT and SIGTERM at ${STOPS} moments of a build of about ${Math.round(duration())} ms (seed ${seed}):\n${rows.join('\n')}`);
  });
});
