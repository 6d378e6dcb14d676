/**
 * Atomic output. A build writes into a staging folder beside the output folder
 * (`.dist.staging-XXXXXX` for `dist/`) and swaps it in only when every output is written:
 *
 *   rename dist -> .dist.previous;  rename .dist.staging-XXXXXX -> dist;  remove .dist.previous
 *
 * A failed or interrupted build removes its staging folder and leaves the previous output exactly
 * as it was. The two renames are synchronous, so no signal handler runs between them; only a kill
 * (kill -9, a power cut) can stop the process there, leaving no `dist/` and the previous output in
 * `.dist.previous`. The next build puts it back before anything else (recoverOutput), under the
 * lock (lock.ts), so it never takes another build's swap for a stopped one.
 *
 * Why not a symbolic link swapped in one rename (dist -> .dist.build-N)? It would close that
 * window too, but `dist/` would no longer be a folder: `cp -r dist site/`, `find dist -type f`,
 * `tar c dist` and zip-based uploads copy or list the link instead of the files, some web servers
 * refuse to follow it, and Windows checkouts cannot hold it. A folder, with a window of two
 * renames that the next start repairs, keeps `dist/` what every tool expects.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fail, type Report } from '../messages.js';
import { writeOutput } from '../source/files.js';
import type { BuildOptions } from './build.js';
import { changesSince, MANIFEST, serializeManifest, type ManifestEntry } from './manifest.js';
import { readManifestFile } from './merge.js';
import type { ShardInfo } from './shards.js';

/** Where the previous output waits while the new one is swapped in. */
export function previousFolder(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.previous`);
}

/**
 * Refuses an output folder that would hold the current folder or a source, is a file, or holds
 * files this tool did not write. Reads only.
 */
export function checkOutputFolder(out: string, protect: readonly string[]): void {
  for (const p of [process.cwd(), ...protect]) {
    const rel = path.relative(out, p);
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) {
      fail('output-folder', `the output folder "${out}" holds ${p === process.cwd() ? 'the current folder' : `the source "${p}"`}`, {
        hint: 'choose an output folder of its own, such as dist/',
      });
    }
  }
  const info = statOrUndefined(out);
  if (info && !info.isDirectory()) fail('output-folder', `the output path "${out}" is a file`, { hint: 'choose a folder' });
  if (info && readdirSync(out).length > 0 && !writtenByUs(out)) {
    fail('output-folder', `the output folder "${out}" is not empty and was not written by editions`, {
      hint: 'choose an empty or new folder: editions replaces its output folder whole on every build',
    });
  }
}

/**
 * Undoes what a build that was killed left beside `out` (call it holding the lock): puts the
 * previous output back when the build was killed in its swap, and removes staging folders.
 * Also repairs what versions before the lock left (their `.dist.staging-XXXXXX.previous`).
 */
export function recoverOutput(out: string, report: Report): void {
  const dir = path.dirname(out);
  const base = `.${path.basename(out)}.`;
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.startsWith(base));
  } catch {
    return;
  }
  const previous = path.basename(previousFolder(out));
  const staging = names.filter((n) => n.startsWith(`${base}staging-`) && !n.endsWith('.previous'));
  // Earlier versions named the previous output after the staging folder, one per build.
  const older = names.filter((n) => n.startsWith(`${base}staging-`) && n.endsWith('.previous') && writtenByUs(path.join(dir, n)));
  if (!existsSync(out)) {
    const newest = older.sort((a, b) => statSync(path.join(dir, b)).ctimeMs - statSync(path.join(dir, a)).ctimeMs)[0];
    const from = names.includes(previous) ? previous : newest;
    if (from) {
      renameSync(path.join(dir, from), out);
      report.warning('output-folder', `the build before this one was stopped during its swap: the previous output is put back from ${from}`, {
        file: out,
        hint: 'nothing to do: this build replaces it as usual when it succeeds',
      });
    }
  }
  for (const n of [...staging, ...older, ...(existsSync(path.join(dir, previous)) ? [previous] : [])]) {
    const error = removeTreeSync(path.join(dir, n));
    if (error && n === previous) {
      fail('output-folder', `the previous output "${path.join(dir, n)}" cannot be removed (${error}), and the next swap needs its place`, {
        file: path.join(dir, n),
        hint: 'remove it by hand, or give this user write permission on it',
      });
    }
  }
  // A lock's temporary file (lock.ts) that a kill left: it lives for a moment otherwise.
  for (const n of names.filter((n) => n.startsWith(`${base}lock.`))) {
    try {
      if (Date.now() - lstatSync(path.join(dir, n)).mtimeMs > 10_000) unlinkSync(path.join(dir, n));
    } catch {
      // gone already
    }
  }
}

/**
 * Makes the staging folder beside `out` (whose parent exists). Synchronous, like every write into
 * it (build.ts, merge.ts): a signal handler that removes it runs between two of them, never
 * during one, so nothing the build started can make the folder again after the handler removed it.
 */
export function openStaging(out: string): string {
  const staging = mkdtempSync(path.join(path.dirname(out), `.${path.basename(out)}.staging-`));
  // mkdtemp makes the folder private (0700); the output folder is for readers.
  chmodSync(staging, 0o755);
  return staging;
}

/**
 * Swaps `staging` in as `out`; returns where the previous output now is, to be removed. Synchronous
 * on purpose: a signal handler cannot run between the two renames.
 */
export function commitStaging(staging: string, out: string): string | undefined {
  if (!existsSync(out)) {
    renameSync(staging, out);
    return undefined;
  }
  const previous = previousFolder(out);
  renameSync(out, previous);
  // Fault injection for tests/output-safety.test.ts: a kill at the worst moment.
  if (process.env.EDITIONS_TEST_KILL_IN_SWAP) process.kill(process.pid, 'SIGKILL');
  try {
    renameSync(staging, out);
  } catch (e) {
    renameSync(previous, out);
    throw e;
  }
  return previous;
}

/**
 * Removes the previous output after a swap. The new output is in place, so a folder that cannot be
 * removed is a warning, not a failed build: the next build tries again.
 */
export async function removePrevious(previous: string, report: Report): Promise<void> {
  const error = await removeTree(previous);
  if (error) {
    report.warning('output-folder', `the previous output could not be removed (${error})`, {
      file: previous,
      hint: 'the new output is in place; remove the folder by hand or give this user write permission on it (the next build tries again)',
    });
  }
}

export async function discardStaging(staging: string): Promise<void> {
  await removeTree(staging);
}

/** Removes `dir`; a folder made read-only is made writable first (its owner may). The error code when it cannot. */
async function removeTree(dir: string): Promise<string | undefined> {
  try {
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    return undefined;
  } catch (e) {
    if (!isPermission(e)) return (e as NodeJS.ErrnoException).code ?? String(e);
  }
  return removeTreeSync(dir);
}

/** As removeTree, synchronously: for a signal handler, and under the lock at the start. */
export function removeTreeSync(dir: string): string | undefined {
  try {
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    return undefined;
  } catch (e) {
    if (!isPermission(e)) return (e as NodeJS.ErrnoException).code ?? String(e);
  }
  try {
    makeWritable(dir);
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    return undefined;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? String(e);
  }
}

/** Gives the owner write and search permission on `dir` and every folder in it (links are not followed). */
function makeWritable(dir: string): void {
  const info = lstatSync(dir);
  if (!info.isDirectory()) return;
  chmodSync(dir, (info.mode & 0o7777) | 0o700);
  for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) makeWritable(path.join(dir, e.name));
}

function isPermission(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'EACCES' || code === 'EPERM';
}

function statOrUndefined(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

function writtenByUs(out: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(path.join(out, MANIFEST), 'utf8')) as { generator?: string };
    return manifest.generator === 'policy-editions';
  } catch {
    return false;
  }
}

/** Writes `data` at `relative` (an output's path, with forward slashes) in the staging folder. */
export function stage(staging: string, relative: string, data: string | Uint8Array): void {
  const file = path.join(staging, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeOutput(file, data);
}

/**
 * The manifest of `all`, in the order a whole build writes them, staged; returns what changed
 * since the last build (or the manifest --since names).
 */
export async function stageManifest(staging: string, all: ManifestEntry[], options: Pick<BuildOptions, 'out' | 'since'>, shard?: ShardInfo): Promise<{ changed: string[]; removed: string[] }> {
  stage(staging, MANIFEST, serializeManifest(all, shard));
  return changesSince(await readManifestFile(options.since ?? path.join(options.out, MANIFEST)), all);
}
