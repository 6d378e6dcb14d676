/**
 * The content-addressed build cache (`--cache DIR`, `cache:` in the config). Each output is kept
 * under a key, the hash of everything its bytes are made from (cacheKey in cache-key.ts); an
 * output whose key is found is copied, not rendered. An entry names the hash of its bytes, and is
 * believed only when the bytes it holds have that hash: an entry that is corrupt, cut short or of
 * another tool is rendered again, with a warning, and written anew. A cache folder that cannot be
 * written (a read-only disk) is read where it can be, and the build goes on without writing it,
 * with one warning. Writes are atomic (a temporary file renamed), so builds that share a cache
 * (CI jobs restoring one through actions/cache, two builds at once) never read half an entry.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic, Report } from '../messages.js';

/** The layout of entries: a cache of another layout is not read (its folder is another's). */
const LAYOUT = 'v1';

export interface CachedOutput {
  data: Uint8Array;
  /** What rendering it reported (warnings), said again when it is copied. */
  diagnostics: Diagnostic[];
  /** A PDF's picture of its first page, for the catalogue. */
  thumbnail?: string;
}

interface Entry {
  tool: 'policy-editions';
  key: string;
  sha256: string;
  bytes: number;
  diagnostics: Diagnostic[];
  thumbnail?: string;
}

export class BuildCache {
  private readonly root: string;
  private writable = true;

  constructor(
    dir: string,
    private readonly report: Report,
  ) {
    this.root = path.join(dir, LAYOUT);
  }

  get(key: string): CachedOutput | undefined {
    const entryFile = this.entryFile(key);
    let text: string;
    try {
      text = readFileSync(entryFile, 'utf8');
    } catch {
      return undefined;
    }
    const entry = parseEntry(text, key);
    const data = entry && readOrUndefined(this.objectFile(entry.sha256));
    if (!entry || !data || data.byteLength !== entry.bytes || sha256(data) !== entry.sha256) {
      this.report.warning('cache', `the cache entry ${path.relative(process.cwd(), entryFile)} is not one this build wrote, or its output has changed since: it is not used`, {
        file: entryFile,
        hint: 'the output is rendered again and the entry written anew; to start afresh, delete the cache folder',
      });
      return undefined;
    }
    const diagnostics = entry.diagnostics.map((d) => (d.file === undefined ? d : { ...d, file: path.resolve(d.file) }));
    return { data, diagnostics, ...(entry.thumbnail !== undefined && { thumbnail: entry.thumbnail }) };
  }

  put(key: string, output: CachedOutput): void {
    if (!this.writable) return;
    const digest = sha256(output.data);
    // Files by their paths from the working folder, as the key has them (cache-key.ts).
    const diagnostics = output.diagnostics.map((d) => (d.file === undefined ? d : { ...d, file: path.relative(process.cwd(), d.file) }));
    const entry: Entry = { tool: 'policy-editions', key, sha256: digest, bytes: output.data.byteLength, diagnostics, ...(output.thumbnail !== undefined && { thumbnail: output.thumbnail }) };
    try {
      atomicWrite(this.objectFile(digest), output.data);
      atomicWrite(this.entryFile(key), `${JSON.stringify(entry)}\n`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EROFS' && code !== 'EPERM' && code !== 'ENOSPC' && code !== 'ENOTDIR' && code !== 'EEXIST') throw e;
      this.writable = false;
      this.report.warning('cache', `the cache folder ${path.relative(process.cwd(), path.dirname(this.root)) || '.'} cannot be written (${code}): the build goes on without writing it`, {
        file: path.dirname(this.root),
        hint: 'make the folder writable, or name another with --cache (or cache: in editions.config.yaml)',
      });
    }
  }

  private entryFile(key: string): string {
    return path.join(this.root, 'entries', key.slice(0, 2), `${key}.json`);
  }

  private objectFile(digest: string): string {
    return path.join(this.root, 'objects', digest.slice(0, 2), digest);
  }
}

function parseEntry(text: string, key: string): Entry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const e = value as Partial<Entry>;
  const ok =
    e !== null &&
    typeof e === 'object' &&
    e.tool === 'policy-editions' &&
    e.key === key &&
    typeof e.sha256 === 'string' &&
    /^[0-9a-f]{64}$/.test(e.sha256) &&
    typeof e.bytes === 'number' &&
    Array.isArray(e.diagnostics) &&
    (e.thumbnail === undefined || typeof e.thumbnail === 'string');
  return ok ? (e as Entry) : undefined;
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function atomicWrite(file: string, data: Uint8Array | string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, file);
  } catch (e) {
    rmSync(temporary, { force: true });
    throw e;
  }
}

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
