/**
 * `editions build`, `merge`, `plan` and `check`: plan -> render -> write atomically -> manifest.
 * This half holds the output folder (staging, lock, swap) and the copy of a build recorded whole
 * in the cache; render.ts, loaded only when there is something to read or render, holds the rest.
 * A build with nothing changed so starts in the time it takes to load this much.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { BilingualSetting, Config } from '../config/config.js';
import { FORMAT_NAMES } from '../formats/registry.js';
import { Report } from '../messages.js';
import type { LoadOptions } from '../model/load.js';
import type { DocumentModel } from '../model/types.js';
import type { PacketSource } from '../packets/load.js';
import type { Templates } from '../templating/engine.js';
import { BuildCache, type RecordedBuild } from './cache.js';
import { buildFingerprint } from './fingerprint.js';
import { onInterrupt } from './interrupt.js';
import { lockOutput } from './lock.js';
import { CATALOGUE, outputLine, type ManifestEntry } from './manifest.js';
import type { OutputFields } from './merge.js';
import type { Shard } from './shards.js';
import { checkOutputFolder, commitStaging, discardStaging, openStaging, recoverOutput, removePrevious, removeTreeSync, stage, stageManifest } from './staging.js';

export interface BuildOptions extends Config {
  /** The build cache's folder (cache.ts); none, no cache. */
  cache?: string;
  /** Build this part of the outputs only (shards.ts). */
  shard?: Shard;
  /**
   * The manifest to say what changed since (default: the output folder's, the last build's). What
   * changed is the build's to say, not the manifest's: the folder of a build is the same bytes
   * whatever was built before it.
   */
  since?: string;
  /** Receives one line per output written. */
  log?: (line: string) => void;
  /** Told when the build waits for another build into the same output folder. */
  notice?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Stale or missing translations fail the build. */
  strict?: boolean;
}

export interface BuildResult {
  /** The outputs this build rendered. */
  outputs: ManifestEntry[];
  /** Outputs of formats not built this time, kept from the previous build (see merge.ts). */
  kept: ManifestEntry[];
  /** The paths of the outputs copied from the cache, not rendered (a subset of `outputs`). */
  cached: string[];
  /** Since the last build (manifest.ts): the outputs new or changed, and those gone. */
  changed: string[];
  removed: string[];
  documents: number;
  packets: number;
  /** Warnings (a build with errors throws instead). */
  report: Report;
}

/**
 * Validates every source (every translation against its original, every briefing packet
 * against the documents, the bilingual settings against the languages) without writing anything.
 */
export async function check(
  sources: readonly string[],
  options: LoadOptions & { templates?: readonly string[]; bilingual?: readonly BilingualSetting[] } = {},
): Promise<{ report: Report; models: DocumentModel[]; packets: PacketSource[]; templates?: Templates }> {
  return (await import('./render.js')).check(sources, options);
}

/**
 * Writes a new `out` through a staging folder (staging.ts) under the folder's lock (lock.ts):
 * the lock is taken before the folder is read, so that a build killed in its swap is repaired
 * first, and is held until the swap. `ready`, given what recovering the folder said, makes the
 * sources ready (where errors are found, before any staging folder exists) and returns what fills
 * the staging folder.
 */
async function intoOutput<T extends { report: Report }>(options: BuildOptions, ready: (recovered: Report) => Promise<(staging: string) => Promise<T>>): Promise<T> {
  const { out } = options;
  checkOutputFolder(out, options.sources);
  mkdirSync(path.dirname(out), { recursive: true });
  const lock = await lockOutput(out, options.notice ?? (() => {}));
  try {
    const recovered = new Report();
    recoverOutput(out, recovered);
    // Another build may have written the folder while this one waited.
    checkOutputFolder(out, options.sources);
    const write = await ready(recovered);
    // Made, and every file written into it, synchronously: see openStaging.
    const staging = openStaging(out);
    const forget = onInterrupt(() => removeTreeSync(staging));
    let previous: string | undefined;
    let result: T;
    try {
      result = await write(staging);
      lock.verify();
      previous = commitStaging(staging, out);
    } catch (e) {
      await discardStaging(staging);
      throw e;
    } finally {
      forget();
    }
    if (previous) {
      // Stopped now, the build has its new output in place: the old one goes all the same.
      const old = previous;
      const stopped = onInterrupt(() => removeTreeSync(old));
      await removePrevious(old, result.report);
      stopped();
    }
    return result;
  } finally {
    lock.release();
  }
}


/**
 * Builds every edition of every document into `out` (with `shard`, its part of them). Throws
 * EditionsError (with every diagnostic found) when the sources or templates have errors; `out`
 * is then untouched.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  // Only a build of every format is recorded whole: one of some formats keeps the others from
  // the folder it replaces, which its inputs do not say.
  const whole = FORMAT_NAMES.every((f) => options.formats.includes(f));
  const fingerprint = options.cache !== undefined && whole ? buildFingerprint(fingerprintSettings(options), options.sources, options.templates, [options.out, options.cache]) : undefined;
  return intoOutput(options, async (recovered) => {
    const found = fingerprint === undefined ? undefined : new BuildCache(options.cache!, recovered).getBuild(fingerprint);
    if (found) return (staging) => copyBuild(staging, found, recovered, options);
    const render = await import('./render.js');
    const prepared = await render.prepare(options, recovered);
    // What recovering the folder said is not the build's to record.
    return (staging) => render.writeBuild(staging, prepared, options, { ...(fingerprint !== undefined && { fingerprint }), recovered: recovered.diagnostics });
  });
}

/** A build recorded whole in the cache, copied into `staging` with what it said, without reading a source. */
async function copyBuild(staging: string, found: RecordedBuild, recovered: Report, options: BuildOptions): Promise<BuildResult> {
  const report = new Report({ strict: options.strict });
  for (const d of [...recovered.diagnostics, ...found.record.diagnostics]) report.add(d);
  const { outputs, documents, packets } = found.record;
  for (const entry of outputs) {
    stage(staging, entry.path, found.files.get(entry.path)!);
    options.log?.(outputLine(entry, 0, true));
  }
  const changes = await stageManifest(staging, outputs, options, found.record.shard);
  stage(staging, CATALOGUE, found.catalogue);
  return { outputs, kept: [], cached: outputs.map((o) => o.path), ...changes, documents, packets, report };
}

/** What of the options changes a build's outputs, for buildFingerprint. */
function fingerprintSettings(options: BuildOptions): object {
  return {
    formats: [...options.formats].sort(),
    bilingual: options.bilingual,
    linkSchemes: options.linkSchemes,
    printGenerator: options.printGenerator ?? false,
    strict: options.strict ?? false,
    shard: options.shard ?? null,
    epoch: (options.env ?? process.env).SOURCE_DATE_EPOCH ?? '',
  };
}

/**
 * `editions merge DIR... --out OUT`: the shards' folders joined into the folder one whole build
 * of the same sources writes, byte for byte (render.ts writeMerge).
 */
export async function merge(dirs: readonly string[], options: BuildOptions): Promise<BuildResult> {
  return intoOutput(options, async (recovered) => {
    const render = await import('./render.js');
    const prepared = await render.prepare(options, recovered);
    return (staging) => render.writeMerge(staging, dirs, prepared, options);
  });
}

/** An output as `editions plan --json` lists it: what it is, the files it is made from, and its cache key. */
export interface PlanEntry extends OutputFields {
  key: string;
  /** The files it is made from, from the working folder (template folders whole). */
  inputs: string[];
}

/** Every output the sources give, with its inputs and cache key, rendering nothing. */
export async function plan(options: BuildOptions): Promise<{ outputs: PlanEntry[]; report: Report }> {
  return (await import('./render.js')).plan(options);
}
