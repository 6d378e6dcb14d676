/**
 * Atomic output: a build writes into a staging folder beside the output folder and swaps it in
 * with renames only when every output is written. A failed build removes the staging folder and
 * leaves the previous output exactly as it was.
 */
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fail } from '../messages.js';
import { MANIFEST } from './manifest.js';

/** Refuses to replace a folder this tool did not write, then makes the staging folder. */
export async function openStaging(out: string, protect: readonly string[]): Promise<string> {
  for (const p of [process.cwd(), ...protect]) {
    if (p === out || p.startsWith(out + path.sep)) {
      fail('output-folder', `the output folder "${out}" holds ${p === process.cwd() ? 'the current folder' : `the source "${p}"`}`, {
        hint: 'choose an output folder of its own, such as dist/',
      });
    }
  }
  const info = await stat(out).catch(() => undefined);
  if (info && !info.isDirectory()) fail('output-folder', `the output path "${out}" is a file`, { hint: 'choose a folder' });
  if (info && (await readdir(out)).length > 0 && !writtenByUs(out)) {
    fail('output-folder', `the output folder "${out}" is not empty and was not written by editions`, {
      hint: 'choose an empty or new folder: editions replaces its output folder whole on every build',
    });
  }
  await mkdir(path.dirname(out), { recursive: true });
  const staging = await mkdtemp(path.join(path.dirname(out), `.${path.basename(out)}.staging-`));
  // mkdtemp makes the folder private (0700); the output folder is for readers.
  await chmod(staging, 0o755);
  return staging;
}

export async function commitStaging(staging: string, out: string): Promise<void> {
  if (!existsSync(out)) {
    await rename(staging, out);
    return;
  }
  const old = `${staging}.previous`;
  await rename(out, old);
  try {
    await rename(staging, out);
  } catch (e) {
    await rename(old, out);
    throw e;
  }
  await rm(old, { recursive: true, force: true });
}

export async function discardStaging(staging: string): Promise<void> {
  await rm(staging, { recursive: true, force: true });
}

function writtenByUs(out: string): boolean {
  try {
    const manifest = JSON.parse(readFileSync(path.join(out, MANIFEST), 'utf8')) as { generator?: string };
    return manifest.generator === 'policy-editions';
  } catch {
    return false;
  }
}
