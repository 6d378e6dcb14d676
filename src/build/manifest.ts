/** dist/manifest.json: every output with its document, edition, format, languages, size and hash. */
import { createHash } from 'node:crypto';
import type { FormatName } from '../formats/registry.js';
import type { EditionName } from '../editions/plan.js';
import { byPathFields } from '../shared/order.js';
import { VERSION } from '../version.js';
import type { ShardInfo } from './shards.js';

export interface ManifestEntry {
  path: string;
  document: string;
  edition: EditionName;
  format: FormatName;
  languages: string[];
  bytes: number;
  sha256: string;
}

export interface Manifest {
  /** Marks a folder as written by this tool: only such a folder is ever replaced. */
  generator: 'policy-editions';
  version: string;
  /** A shard's folder: which part of which plan it holds (shards.ts). A whole build has none. */
  shard?: ShardInfo;
  outputs: ManifestEntry[];
}

export const MANIFEST = 'manifest.json';
/** The catalogue page of the output folder (catalogue.ts). */
export const CATALOGUE = 'index.html';

export function manifestEntry(fields: Omit<ManifestEntry, 'bytes' | 'sha256'>, data: Uint8Array): ManifestEntry {
  return { ...fields, bytes: data.byteLength, sha256: createHash('sha256').update(data).digest('hex') };
}

export function serializeManifest(outputs: readonly ManifestEntry[], shard?: ShardInfo): string {
  const manifest: Manifest = {
    generator: 'policy-editions',
    version: VERSION,
    ...(shard && { shard }),
    outputs: [...outputs].sort((a, b) => byPathFields(a.path, b.path)),
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** What changed from the outputs of `previous` to `now`: paths new or with other bytes, in manifest order, and paths gone. */
export function changesSince(previous: readonly ManifestEntry[], now: readonly ManifestEntry[]): { changed: string[]; removed: string[] } {
  const before = new Map(previous.map((e) => [e.path, e.sha256]));
  const paths = new Set(now.map((e) => e.path));
  return {
    changed: [...now].sort((a, b) => byPathFields(a.path, b.path)).filter((e) => before.get(e.path) !== e.sha256).map((e) => e.path),
    removed: [...before.keys()].filter((p) => !paths.has(p)).sort(byPathFields),
  };
}

/** An output's line in a build's log: format, languages, size, time (or "cached"), path. */
export function outputLine(e: ManifestEntry, ms: number, cached: boolean): string {
  const size = e.bytes >= 1e6 ? `${(e.bytes / 1e6).toFixed(1)} MB` : `${(e.bytes / 1e3).toFixed(1)} kB`;
  return `  ${e.format.padEnd(5)} ${e.languages.join('+').padEnd(9)} ${size.padStart(9)} ${(cached ? 'cached' : `${ms.toFixed(0)} ms`).padStart(8)}  ${e.path}`;
}
