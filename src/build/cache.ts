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
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic, Report } from '../messages.js';
import type { ManifestEntry } from './manifest.js';
import type { ShardInfo } from './shards.js';

/** The layout of entries: a cache of another layout is not read (its folder is another's). */
const LAYOUT = 'v1';

export interface CachedOutput {
  data: Uint8Array;
  /** What rendering it reported (warnings), said again when it is copied. */
  diagnostics: Diagnostic[];
  /** A PDF's picture of its first page, for the catalogue. */
  thumbnail?: string;
}

/** A whole build, as buildFingerprint's inputs gave it. */
export interface BuildRecord {
  tool: 'policy-editions';
  fingerprint: string;
  outputs: ManifestEntry[];
  catalogue: { sha256: string; bytes: number };
  /** Everything the build reported (but the cache's own warnings), said again when it is copied. */
  diagnostics: Diagnostic[];
  documents: number;
  packets: number;
  /** A shard's: its part (its manifest says it). */
  shard?: ShardInfo;
}

interface Entry {
  tool: 'policy-editions';
  key: string;
  sha256: string;
  bytes: number;
  diagnostics: Diagnostic[];
  thumbnail?: string;
}

/** A build recorded whole: its record, its outputs' bytes by path, and its catalogue. */
export interface RecordedBuild {
  record: BuildRecord;
  files: Map<string, Uint8Array>;
  catalogue: Uint8Array;
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
    const data = entry && this.readObject(entry.sha256, entry.bytes);
    if (!entry || !data) {
      this.report.warning('cache', `the cache entry ${path.relative(process.cwd(), entryFile)} is not one this build wrote, or its output has changed since: it is not used`, {
        file: entryFile,
        hint: 'the output is rendered again and the entry written anew; to start afresh, delete the cache folder',
      });
      return undefined;
    }
    return { data, diagnostics: fromCache(entry.diagnostics), ...(entry.thumbnail !== undefined && { thumbnail: entry.thumbnail }) };
  }

  put(key: string, output: CachedOutput): void {
    const digest = sha256(output.data);
    const entry: Entry = { tool: 'policy-editions', key, sha256: digest, bytes: output.data.byteLength, diagnostics: toCache(output.diagnostics), ...(output.thumbnail !== undefined && { thumbnail: output.thumbnail }) };
    this.write(() => {
      atomicWrite(this.objectFile(digest), output.data);
      atomicWrite(this.entryFile(key), `${JSON.stringify(entry)}\n`);
    });
  }

  /**
   * The record of a whole build whose inputs, files as they are, hash to `fingerprint`
   * (buildFingerprint): with every output (and the catalogue) found and verified, a build of the
   * same inputs is copied whole, reading no source. Undefined when any part is missing or wrong.
   */
  getBuild(fingerprint: string): RecordedBuild | undefined {
    const text = readOrUndefined(this.buildFile(fingerprint))?.toString('utf8');
    if (text === undefined) return undefined;
    let record: BuildRecord;
    try {
      record = JSON.parse(text) as BuildRecord;
    } catch {
      return undefined;
    }
    if (record?.tool !== 'policy-editions' || record.fingerprint !== fingerprint || !Array.isArray(record.outputs) || !Array.isArray(record.diagnostics)) return undefined;
    const files = new Map<string, Uint8Array>();
    for (const o of record.outputs) {
      const data = this.readObject(o.sha256, o.bytes);
      if (!data) return undefined;
      files.set(o.path, data);
    }
    const catalogue = this.readObject(record.catalogue?.sha256, record.catalogue?.bytes);
    if (!catalogue) return undefined;
    return { record: { ...record, diagnostics: fromCache(record.diagnostics) }, files, catalogue };
  }

  /** Records a whole build (its outputs are in the cache already, written by put). */
  putBuild(record: Omit<BuildRecord, 'tool' | 'catalogue'>, catalogue: Uint8Array): void {
    const digest = sha256(catalogue);
    const full: BuildRecord = { tool: 'policy-editions', ...record, diagnostics: toCache(record.diagnostics), catalogue: { sha256: digest, bytes: catalogue.byteLength } };
    // An output put could not write (the cache became unwritable midway) leaves the build unrecorded.
    if (!record.outputs.every((o) => existsSync(this.objectFile(o.sha256)))) return;
    this.write(() => {
      atomicWrite(this.objectFile(digest), catalogue);
      atomicWrite(this.buildFile(record.fingerprint), `${JSON.stringify(full)}\n`);
    });
  }

  /** The object of `digest`, read and verified: undefined when it is missing, short or changed. */
  private readObject(digest: unknown, bytes: unknown): Buffer | undefined {
    const data = typeof digest === 'string' && /^[0-9a-f]{64}$/.test(digest) ? readOrUndefined(this.objectFile(digest)) : undefined;
    return data && data.byteLength === bytes && sha256(data) === digest ? data : undefined;
  }

  /** Runs `writes`; a folder that cannot be written is written no more, with one warning. */
  private write(writes: () => void): void {
    if (!this.writable) return;
    try {
      writes();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === undefined || !UNWRITABLE.has(code)) throw e;
      this.writable = false;
      this.report.warning('cache', `the cache folder ${path.relative(process.cwd(), path.dirname(this.root)) || '.'} cannot be written (${code}): the build goes on without writing it`, {
        file: path.dirname(this.root),
        hint: 'make the folder writable, or name another with --cache (or cache: in editions.config.yaml)',
      });
    }
  }

  private buildFile(fingerprint: string): string {
    return path.join(this.root, 'builds', `${fingerprint}.json`);
  }

  private entryFile(key: string): string {
    return path.join(this.root, 'entries', key.slice(0, 2), `${key}.json`);
  }

  private objectFile(digest: string): string {
    return path.join(this.root, 'objects', digest.slice(0, 2), digest);
  }
}

/** Why a cache folder cannot be written: the build goes on without it. */
const UNWRITABLE = new Set(['EACCES', 'EROFS', 'EPERM', 'ENOSPC', 'ENOTDIR', 'EEXIST']);

/** Diagnostics with their files by their paths from the working folder, as the keys have them (cache-key.ts). */
function toCache(list: readonly Diagnostic[]): Diagnostic[] {
  return list.map((d) => (d.file === undefined ? d : { ...d, file: path.relative(process.cwd(), d.file) }));
}

/** Diagnostics read from the cache, their files back in the working folder. */
function fromCache(list: readonly Diagnostic[]): Diagnostic[] {
  return list.map((d) => (d.file === undefined ? d : { ...d, file: path.resolve(d.file) }));
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
