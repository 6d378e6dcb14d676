/**
 * Splitting a build across CI machines: `build --shard i/n` renders the i-th of n stable parts of
 * the outputs, and `merge DIR...` joins the shards' folders into the one folder a whole build
 * gives, byte for byte (its manifest and catalogue are written again from all of them).
 *
 * The parts are balanced by an estimate of each output's cost (its format's weight times the
 * blocks of its texts), the costliest placed first on the part with the least so far; the same
 * sources always give the same parts. A shard's manifest names its part and the plan it is a part
 * of (the hash of every output's path and cache key), so that shards of other sources, or of
 * another tool or templates, are refused by merge, as are a missing or repeated shard.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PlannedOutput } from '../editions/plan.js';
import type { FormatName } from '../formats/registry.js';
import { EditionsError, usage, type Diagnostic } from '../messages.js';
import { MANIFEST, type ManifestEntry } from './manifest.js';

export interface Shard {
  /** From 1. */
  index: number;
  count: number;
}

/** What a shard's manifest says of it. */
export interface ShardInfo extends Shard {
  /** The plan it is a part of (planFingerprint). */
  plan: string;
}

/** At most this many parts: beyond it a part would hold less than an output of a small collection. */
const MOST = 256;

/** `--shard i/n`. */
export function parseShard(text: string): Shard {
  const m = /^(\d{1,4})\/(\d{1,4})$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || count > MOST || index < 1 || index > count) {
    usage(`--shard "${text}" is not a part of the build`, `write --shard i/n with 1 <= i <= n <= ${MOST}, such as --shard 2/4 for the second of four parts`);
  }
  return { index, count };
}

/** A rough cost, for balancing: a PDF or DOCX takes far longer than an HTML page of the same text. */
const WEIGHT: Record<FormatName, number> = { html: 1, epub: 1.5, docx: 6, pdf: 10 };

/** The part (from 1) of each planned output, by its path. */
export function assignShards(planned: readonly PlannedOutput[], count: number): Map<string, number> {
  const cost = (p: PlannedOutput) => WEIGHT[p.format] * (1 + p.model.blocks.length + (p.partner?.blocks.length ?? 0));
  const order = [...planned].sort((a, b) => cost(b) - cost(a) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const parts = new Map<string, number>();
  for (const p of order) {
    let least = 0;
    for (let i = 1; i < count; i++) if (load[i]! < load[least]!) least = i;
    load[least]! += cost(p);
    parts.set(p.path, least + 1);
  }
  return parts;
}

/** The hash of a plan: every output's path and cache key, in order. */
export function planFingerprint(keyed: readonly { path: string; key: string }[]): string {
  const h = createHash('sha256');
  for (const { path: p, key } of keyed) h.update(`${p}\0${key}\0`);
  return h.digest('hex');
}

/** A shard folder's manifest, as merge reads it. */
export interface ShardFolder {
  dir: string;
  shard: ShardInfo;
  outputs: ManifestEntry[];
}

/**
 * Reads the shards' manifests and checks that they are the n parts of one plan, each once;
 * `plan` is the fingerprint of the plan the sources give now. Every problem is said, then thrown.
 */
export async function readShards(dirs: readonly string[], plan: string): Promise<ShardFolder[]> {
  const errors: Diagnostic[] = [];
  const fail = (file: string, message: string, hint: string) => errors.push({ severity: 'error', ruleId: 'shard', message, file, hint });
  const folders: ShardFolder[] = [];
  for (const dir of dirs) {
    const file = path.join(dir, MANIFEST);
    let data: { generator?: unknown; shard?: Partial<ShardInfo>; outputs?: unknown };
    try {
      data = JSON.parse(await readFile(file, 'utf8'));
    } catch {
      fail(file, `${path.relative(process.cwd(), dir) || '.'} has no manifest this tool wrote`, 'name the folders that "editions build --shard i/n --out DIR" wrote');
      continue;
    }
    const s = data.shard;
    if (data.generator !== 'policy-editions' || !s || typeof s.index !== 'number' || typeof s.count !== 'number' || typeof s.plan !== 'string' || !Array.isArray(data.outputs)) {
      fail(file, `${path.relative(process.cwd(), dir) || '.'} is not the folder of a shard`, 'name the folders that "editions build --shard i/n --out DIR" wrote');
      continue;
    }
    folders.push({ dir, shard: s as ShardInfo, outputs: data.outputs as ManifestEntry[] });
  }
  if (errors.length === 0) {
    const count = folders[0]!.shard.count;
    for (const f of folders) {
      const file = path.join(f.dir, MANIFEST);
      if (f.shard.count !== count) fail(file, `this is shard ${f.shard.index} of ${f.shard.count}, the first named is of ${count}`, 'merge the shards of one build, all split the same way');
      else if (f.shard.plan !== plan) fail(file, `shard ${f.shard.index}/${f.shard.count} was built from other sources, templates or version of editions than these`, 'build every shard from the same commit, then merge them with that commit checked out');
    }
    const seen = new Map<number, string>();
    for (const f of folders) {
      const first = seen.get(f.shard.index);
      if (first) fail(path.join(f.dir, MANIFEST), `shard ${f.shard.index}/${count} is given twice (also ${path.relative(process.cwd(), first)})`, 'name each shard once');
      seen.set(f.shard.index, f.dir);
    }
    const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
    if (missing.length > 0) fail(path.join(folders[0]!.dir, MANIFEST), `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} ${missing.length > 1 ? 'are' : 'is'} missing`, `name all ${count} shards`);
  }
  if (errors.length > 0) throw new EditionsError(errors);
  return folders.sort((a, b) => a.shard.index - b.shard.index);
}
