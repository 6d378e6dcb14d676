/** `editions build` and `editions check`: plan -> render -> write atomically -> manifest. */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BilingualSetting, Config } from '../config/config.js';
import { checkBilingualSettings, planOutputs } from '../editions/plan.js';
import { editionSpec } from '../editions/spec.js';
import { FORMAT_NAMES, FORMATS, thumbnailKey, warnOnce, type RenderContext } from '../formats/registry.js';
import { EditionsError, Report } from '../messages.js';
import { loadDocuments, type LoadOptions } from '../model/load.js';
import type { DocumentModel } from '../model/types.js';
import { loadPackets, type PacketSource } from '../packets/load.js';
import { packetModels } from '../packets/model.js';
import { typesetModels } from '../model/typography.js';
import { writeOutput } from '../source/files.js';
import { Templates } from '../templating/engine.js';
import { validateTemplates } from '../templating/validate.js';
import { CATALOGUE, renderCatalogue } from './catalogue.js';
import { BuildCache } from './cache.js';
import { CacheKeys, templatesFingerprint, toolFingerprint } from './cache-key.js';
import { buildInfo } from './dates.js';
import { onInterrupt } from './interrupt.js';
import { lockOutput } from './lock.js';
import { changesSince, MANIFEST, manifestEntry, serializeManifest, type ManifestEntry } from './manifest.js';
import { keepOtherFormats, readManifestFile, type OutputFields } from './merge.js';
import { checkOutputFolder, commitStaging, discardStaging, openStaging, recoverOutput, removePrevious, removeTreeSync } from './staging.js';

export interface BuildOptions extends Config {
  /** The build cache's folder (cache.ts); none, no cache. */
  cache?: string;
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
  const report = new Report({ strict: options.strict });
  const models = await loadDocuments(sources, report, options);
  checkBilingualSettings(options.bilingual ?? [], models, report);
  let templates: Templates | undefined;
  try {
    templates = new Templates(options.templates);
    validateTemplates(templates, models.map((m) => m.lang), report);
  } catch (e) {
    // A template folder that does not exist: nothing in it can be checked.
    if (!(e instanceof EditionsError)) throw e;
    for (const d of e.diagnostics) report.add(d);
  }
  // Packets are checked against sound documents only: a broken document would make every
  // packet that names it fail too, burying the real problem.
  const packets = report.errorCount === 0 ? loadPackets(sources, models, report) : [];
  return { report, models, packets, ...(templates && { templates }) };
}

/**
 * Builds every edition of every document into `out`. Throws EditionsError (with every
 * diagnostic found) when the sources or templates have errors; `out` is then untouched.
 *
 * One build at a time writes into a folder (lock.ts): the lock is taken before the folder is read,
 * so that a build killed in its swap is repaired first (staging.ts), and is held until the swap.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const { out } = options;
  checkOutputFolder(out, options.sources);
  mkdirSync(path.dirname(out), { recursive: true });
  const lock = await lockOutput(out, options.notice ?? (() => {}));
  try {
    const recovered = new Report();
    recoverOutput(out, recovered);
    // Another build may have written the folder while this one waited.
    checkOutputFolder(out, options.sources);
    const checked = await check(options.sources, { strict: options.strict, templates: options.templates, bilingual: options.bilingual, linkSchemes: options.linkSchemes });
    const { report, models, packets } = checked;
    for (const d of recovered.diagnostics) report.add(d);
    if (report.errorCount > 0 || !checked.templates) throw new EditionsError(report.diagnostics);
    // The templates check compiled, with the theme and the strings it read.
    const { templates } = checked;
    const packetTexts = packets.map((p) => packetModels(p, models, templates, buildInfo(p.originals[0]!, options.env)));
    // Curly quotes by language, now that every translation's staleness has been worked out
    // from the text as written (typography.ts): the records' hashes never see them.
    typesetModels([...models, ...packetTexts.flat()], templates);
    const memo = new Map<string, unknown>();
    // Made, and every file written into it, synchronously: see openStaging.
    const staging = openStaging(out);
    const forget = onInterrupt(() => removeTreeSync(staging));
    const outputs: ManifestEntry[] = [];
    const cached: string[] = [];
    let changed: string[] = [];
    let removed: string[] = [];
    let kept: ManifestEntry[] = [];
    let previous: string | undefined;
    const cache = options.cache === undefined ? undefined : new BuildCache(options.cache, report);
    const keys = cache && new CacheKeys(createHash('sha256').update(`${toolFingerprint()}\0${templatesFingerprint(templates)}`).digest('hex'));
    try {
      for (const planned of planOutputs(models, options.formats, options.bilingual, packetTexts, report)) {
        const started = performance.now();
        const ctx: RenderContext = { templates, build: { ...buildInfo(planned.model, options.env), printGenerator: options.printGenerator ?? false }, memo, report, edition: editionSpec(planned.model, planned.edition), ...(planned.layout && { layout: planned.layout }) };
        const key = keys?.key(planned, ctx.build, ctx.edition);
        const hit = key === undefined ? undefined : cache!.get(key);
        let data: Uint8Array;
        if (hit) {
          data = hit.data;
          for (const d of hit.diagnostics) warnOnce(ctx, d);
          if (hit.thumbnail !== undefined) memo.set(thumbnailKey([planned.model, planned.partner].filter(Boolean)), hit.thumbnail);
          cached.push(planned.path);
        } else {
          // What this output reports, kept with it: a copy says it again.
          const own = new Report({ strict: options.strict });
          const render = await FORMATS[planned.format].load();
          data = await render(planned.model, { ...ctx, report: own }, planned.partner);
          for (const d of own.diagnostics) report.add(d);
          if (key !== undefined && own.errorCount === 0) {
            const thumbnail = planned.format === 'pdf' ? (memo.get(thumbnailKey([planned.model, planned.partner].filter(Boolean))) as string | undefined) : undefined;
            cache!.put(key, { data, diagnostics: own.diagnostics, ...(thumbnail !== undefined && { thumbnail }) });
          }
        }
        const file = path.join(staging, planned.path);
        mkdirSync(path.dirname(file), { recursive: true });
        writeOutput(file, data);
        const entry = manifestEntry(
          { path: planned.path, document: planned.model.id, edition: planned.edition, format: planned.format, languages: planned.languages },
          data,
        );
        outputs.push(entry);
        options.log?.(outputLine(entry, performance.now() - started, hit !== undefined));
      }
      // Every output a build of every format would write now, in the order it would write them:
      // the outputs of the other formats are kept from the previous build, and all are listed in that order.
      const every = new Map<string, OutputFields>();
      for (const p of planOutputs(models, FORMAT_NAMES, options.bilingual, packetTexts)) {
        every.set(p.path, { path: p.path, document: p.model.id, edition: p.edition, format: p.format, languages: p.languages });
      }
      const other = await keepOtherFormats(out, staging, options.formats, every, report);
      kept = other.outputs;
      const order = new Map([...every.keys()].map((p, i) => [p, i]));
      const all = [...outputs, ...kept].sort((a, b) => order.get(a.path)! - order.get(b.path)!);
      writeOutput(path.join(staging, MANIFEST), serializeManifest(all));
      ({ changed, removed } = changesSince(await readManifestFile(options.since ?? path.join(out, MANIFEST)), all));
      const catalogueCtx = { templates, build: buildInfo(models[0]!, options.env), memo };
      writeOutput(path.join(staging, CATALOGUE), renderCatalogue(all, [...models, ...packetTexts.flat()], catalogueCtx, other.thumbnails));
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
      await removePrevious(old, report);
      stopped();
    }
    return { outputs, kept, cached, changed, removed, documents: new Set(models.map((m) => m.id)).size, packets: packets.length, report };
  } finally {
    lock.release();
  }
}

function outputLine(e: ManifestEntry, ms: number, cached: boolean): string {
  const size = e.bytes >= 1e6 ? `${(e.bytes / 1e6).toFixed(1)} MB` : `${(e.bytes / 1e3).toFixed(1)} kB`;
  return `  ${e.format.padEnd(5)} ${e.languages.join('+').padEnd(9)} ${size.padStart(9)} ${(cached ? 'cached' : `${ms.toFixed(0)} ms`).padStart(8)}  ${e.path}`;
}
