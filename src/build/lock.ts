/**
 * One build at a time per output folder. A build holds a lock file beside the folder
 * (`.dist.lock` for `dist/`) from before it reads the folder until after its swap, holding its
 * process id and host name. A second build into the same folder waits for it, and says so once.
 *
 * A lock is stale, and is taken over, when its process is gone (a build killed with kill -9), or
 * when it has not been touched for LOCK_STALE_MS: a live build touches its lock every
 * LOCK_REFRESH_MS, so a lock left by another host, or a process id the system has since given to
 * an unrelated process, does not block builds for ever. A build checks that it still holds its
 * lock right before its swap (see commit in build.ts), so a build paused long enough to lose its
 * lock fails instead of swapping over another build's output.
 */
import { randomUUID } from 'node:crypto';
import { linkSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fail } from '../messages.js';
import { errnoError } from '../source/files.js';
import { onInterrupt } from './interrupt.js';

export const LOCK_REFRESH_MS = 5_000;
export const LOCK_STALE_MS = 60_000;
const POLL_MS = 100;

export interface OutputLock {
  file: string;
  /** Fails (output-folder) when another build has taken the lock over. */
  verify(): void;
  release(): void;
}

interface Holder {
  pid: number;
  host: string;
  token?: string;
}

/** Lock files this process holds: a lock naming this process is stale only when it is not one of them. */
const held = new Set<string>();

export function lockFile(out: string): string {
  return path.join(path.dirname(out), `.${path.basename(out)}.lock`);
}

/**
 * Takes the lock of output folder `out` (its parent folder must exist), waiting while a live
 * build holds it; `waiting` is told once, with the holder's process id.
 */
export async function lockOutput(out: string, waiting: (message: string) => void): Promise<OutputLock> {
  const file = lockFile(out);
  const mine: Holder = { pid: process.pid, host: hostname(), token: randomUUID() };
  const content = `${JSON.stringify(mine)}\n`;
  // Written whole under a name of its own, then linked into place: the lock file is never seen
  // empty or half written, and link() fails when a lock is there already.
  // (It exists for the moment of each attempt only: see recoverOutput for one a kill left.)
  const temp = `${file}.${mine.token}`;
  let told = false;
  for (;;) {
    if (tryCreate(temp, file, content)) break;
    const found = readHolder(file);
    if (found === undefined) continue; // released between the two calls
    if (isStale(file, found)) {
      breakStale(file, found.raw);
      continue;
    }
    if (!told) {
      const who = found.holder ? `the build with process id ${found.holder.pid}${found.holder.host === mine.host ? '' : ` on ${found.holder.host}`}` : 'another build';
      waiting(`waiting for ${who} to finish writing into ${out} (lock: ${file})`);
      told = true;
    }
    await sleep(POLL_MS);
  }
  held.add(file);
  const refresh = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(file, now, now);
    } catch {
      // verify() says so before the swap
    }
  }, LOCK_REFRESH_MS);
  refresh.unref();
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    clearInterval(refresh);
    held.delete(file);
    removeInterrupt();
    // Only our own lock: one taken over by another build is that build's.
    if (readHolder(file)?.raw === content) unlinkSync(file);
  };
  const removeInterrupt = onInterrupt(release);
  return {
    file,
    verify() {
      if (readHolder(file)?.raw !== content) {
        fail('output-folder', `another build took over the lock of "${out}" while this one ran (it did not touch the lock for ${LOCK_STALE_MS / 1000} s)`, {
          file,
          hint: 'nothing was replaced; build again, one build at a time',
        });
      }
    },
    release,
  };
}

/** Puts the lock in place; false when a lock is there. */
function tryCreate(temp: string, file: string, content: string): boolean {
  try {
    writeFileSync(temp, content, { flag: 'wx' });
  } catch (e) {
    // The first file a build writes: a read-only or full disk shows here, at the folder to fix.
    throw errnoError(e, path.dirname(file), 'write', "output folder's parent folder");
  }
  try {
    linkSync(temp, file);
    return true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // A file system without hard links: create it exclusively, then write it.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw e;
  } finally {
    unlinkSync(temp);
  }
  try {
    writeFileSync(file, content, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

function readHolder(file: string): { raw: string; holder?: Holder } | undefined {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const holder = JSON.parse(raw) as Holder;
    return Number.isInteger(holder.pid) && typeof holder.host === 'string' ? { raw, holder } : { raw };
  } catch {
    return { raw };
  }
}

function isStale(file: string, found: { raw: string; holder?: Holder }): boolean {
  let age: number;
  try {
    age = Date.now() - statSync(file).mtimeMs;
  } catch {
    return false; // gone: the next round takes it
  }
  if (age > LOCK_STALE_MS) return true;
  const h = found.holder;
  // Unreadable and fresh: a lock being written by hand, or by a file system without links.
  if (!h || h.host !== hostname()) return false;
  if (h.pid === process.pid) return !held.has(file);
  try {
    process.kill(h.pid, 0);
    return false;
  } catch (e) {
    // EPERM: the process exists and belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes a stale lock, and only that one: it is moved aside first, and put back when what was
 * moved is not what was judged stale (another build took the stale lock over in between).
 */
function breakStale(file: string, raw: string): void {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw e;
  }
  try {
    if (readFileSync(aside, 'utf8') !== raw) linkSync(aside, file);
  } catch {
    // A third build holds the lock now: it is that build's.
  } finally {
    unlinkSync(aside);
  }
}
