/**
 * The file watching `editions watch` needs, behind one small function type so that another
 * watcher (chokidar, @parcel/watcher) can replace node's fs.watch without touching the rest.
 *
 * Targets come and go (a folder deleted, renamed away and back, replaced by `git checkout`):
 * fs.watch keeps watching the folder it opened, not the name, so a target's identity (device and
 * inode) is looked at every PRESENCE_MS, and a target that is gone or new is reported and watched
 * afresh. That needs nothing of the watcher behind it.
 */
import { existsSync, lstatSync, readdirSync, statSync, watch, type Dirent, type FSWatcher, type Stats } from 'node:fs';
import path from 'node:path';
import { isErrnoError } from '../source/files.js';

/** Watches `target` (a folder, with everything in it, or a file) and calls `onChange` with the file changed. */
export type WatchFunction = (target: string, onChange: (file: string) => void, onError: (error: Error) => void) => { close(): void };

/**
 * node's fs.watch (inotify on Linux): a folder with everything in it, one watch per folder; a
 * file through its folder, as an editor that saves by renaming a new file over the old one
 * replaces the file that a watch of the file itself would be left holding.
 *
 * Not fs.watch's `recursive`: on Linux, Node 20 watches each file under it by its inode, and a
 * file replaced by a rename (vim's and many editors' way of saving) is no longer seen to change.
 */
export const fsWatch: WatchFunction = (target, onChange, onError) => {
  if (statSync(target).isDirectory()) return watchTree(target, onChange, onError);
  const name = path.basename(target);
  const watcher = watch(path.dirname(target), (_event, file) => {
    if (file === name) onChange(target);
  });
  watcher.on('error', onError);
  return watcher;
};

/** Watches `root` and every folder in it, and the folders made in it later (symbolic links are not followed). */
function watchTree(root: string, onChange: (file: string) => void, onError: (error: Error) => void): { close(): void } {
  const watchers = new Map<string, FSWatcher>();
  const add = (dir: string) => {
    if (watchers.has(dir)) return;
    let watcher: FSWatcher;
    let entries: Dirent[];
    try {
      watcher = watch(dir, (event, name) => {
        const file = name ? path.join(dir, name) : dir;
        // A folder made, renamed in or away, or removed.
        if (event === 'rename') update(file);
        onChange(file);
      });
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      // Gone already (made and removed at once): the event of its going is on its way.
      if (isErrnoError(e) && (e.code === 'ENOENT' || e.code === 'ENOTDIR')) return;
      return onError(e as Error);
    }
    watcher.on('error', (e) => (existsSync(dir) ? onError(e) : remove(dir)));
    watchers.set(dir, watcher);
    for (const entry of entries) if (entry.isDirectory()) add(path.join(dir, entry.name));
  };
  const remove = (dir: string) => {
    for (const [d, w] of watchers) {
      if (d === dir || d.startsWith(`${dir}${path.sep}`)) {
        w.close();
        watchers.delete(d);
      }
    }
  };
  const update = (file: string) => {
    let folder = false;
    try {
      folder = lstatSync(file).isDirectory();
    } catch {
      // gone
    }
    if (folder) add(file);
    else remove(file);
  };
  add(root);
  return {
    close() {
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}

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
    private readonly watchFunction: WatchFunction = fsWatch,
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
