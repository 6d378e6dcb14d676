/**
 * The file watching `editions watch` needs (chokidar), behind one small function type, so that
 * the tests can drive it, and another watcher (@parcel/watcher) could replace it.
 *
 * Targets come and go (a folder deleted, renamed away and back, replaced by `git checkout`):
 * a watcher keeps watching the folder it opened, not the name, so a target's identity (device and
 * inode) is looked at every PRESENCE_MS, and a target that is gone or new is reported and watched
 * afresh. That needs nothing of the watcher behind it.
 */
import { statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { watch } from 'chokidar';

/** Watches `target` (a folder, with everything in it, or a file) and calls `onChange` with the file changed. */
export type WatchFunction = (target: string, onChange: (file: string) => void, onError: (error: Error) => void) => { close(): void };

/**
 * chokidar: a folder with everything in it, or a file. It follows a file that an editor saves by
 * renaming a new one over it (vim's way; tests/watch.test.ts saves so), and folders made in a
 * watched one later.
 */
export const chokidarWatch: WatchFunction = (target, onChange, onError) => {
  const watcher = watch(target, { ignoreInitial: true, followSymlinks: false });
  watcher.on('all', (_event, file) => onChange(path.resolve(file)));
  watcher.on('error', (error) => onError(error as Error));
  return { close: () => void watcher.close() };
};

export const PRESENCE_MS = 200;

export interface TargetEvents {
  /** A file in a target changed, or a target came (back). */
  changed(file: string): void;
  /** A target is gone (deleted, or renamed away). */
  gone(target: string): void;
  /** A target and the folder that held it are gone: nothing is left to watch for it to come back in. */
  lost(target: string): void;
  /** The watcher failed on a target that is there (the system's limit of watches reached). */
  failed(target: string, error: Error): void;
}

interface Watched {
  identity: string | undefined;
  watcher?: { close(): void };
}

export class Targets {
  private readonly watched = new Map<string, Watched>();
  private readonly poll: NodeJS.Timeout;

  constructor(
    private readonly events: TargetEvents,
    private readonly watchFunction: WatchFunction = chokidarWatch,
  ) {
    this.poll = setInterval(() => this.look(), PRESENCE_MS);
  }

  /** Watches exactly `targets` (absolute paths) from now on; a target not there yet is reported gone. */
  set(targets: readonly string[]): void {
    for (const [target, w] of this.watched) {
      if (!targets.includes(target)) {
        w.watcher?.close();
        this.watched.delete(target);
      }
    }
    for (const target of targets) {
      if (this.watched.has(target)) continue;
      const w: Watched = { identity: identity(target) };
      this.watched.set(target, w);
      if (w.identity) this.open(target, w);
      else this.events.gone(target);
    }
  }

  /** The targets that are not there now. */
  missing(): string[] {
    return [...this.watched.keys()].filter((t) => !identity(t));
  }

  close(): void {
    clearInterval(this.poll);
    for (const w of this.watched.values()) w.watcher?.close();
    this.watched.clear();
  }

  private open(target: string, w: Watched): void {
    try {
      w.watcher = this.watchFunction(target, (file) => this.events.changed(file), (error) => this.fail(target, w, error));
    } catch (error) {
      this.fail(target, w, error as Error);
    }
  }

  /** A watcher's error on a target that went away is its going, which look() reports. */
  private fail(target: string, w: Watched, error: Error): void {
    w.watcher?.close();
    w.watcher = undefined;
    if (identity(target)) this.events.failed(target, error);
  }

  private look(): void {
    for (const [target, w] of this.watched) {
      const now = identity(target);
      // Whether or not its going was seen first (a folder removed with what holds it, a file at a time).
      if (!now && !identity(path.dirname(target))) {
        this.close();
        return this.events.lost(target);
      }
      if (now === w.identity) continue;
      w.watcher?.close();
      w.watcher = undefined;
      w.identity = now;
      if (now) {
        this.open(target, w);
        this.events.changed(target);
      } else {
        this.events.gone(target);
      }
    }
  }
}

function identity(file: string): string | undefined {
  let info: Stats;
  try {
    info = statSync(file);
  } catch {
    return undefined;
  }
  return `${info.dev}:${info.ino}:${info.isDirectory() ? 'd' : 'f'}`;
}
