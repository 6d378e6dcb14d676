/**
 * The half of a build that reads the sources and renders: check, prepare, render or copy output
 * by output, merge shards, plan. build.ts loads it only when a build has this to do: a build
 * copied whole from the cache never parses a source nor loads a template.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BilingualSetting } from '../config/config.js';
import { checkBilingualSettings, planOutputs, type PlannedOutput } from '../editions/plan.js';
import { editionSpec } from '../editions/spec.js';
import { FORMAT_NAMES, FORMATS, thumbnailKey, warnOnce, type RenderContext } from '../formats/registry.js';
import { EditionsError, Report, type Diagnostic } from '../messages.js';
import { loadDocuments, type LoadOptions } from '../model/load.js';
import { recordFile } from '../model/staleness.js';
import { termbaseFile } from '../termbase/read.js';
import type { DocumentModel } from '../model/types.js';
import { loadPackets, type PacketSource } from '../packets/load.js';
import { packetModels } from '../packets/model.js';
import { typesetModels } from '../model/typography.js';
import { BUILTIN_TEMPLATES } from '../paths.js';
import { Templates } from '../templating/engine.js';
import { validateTemplates } from '../templating/validate.js';
import type { BuildOptions, BuildResult, PlanEntry } from './build.js';
import { renderCatalogue } from './catalogue.js';
import { BuildCache } from './cache.js';
import { CacheKeys } from './cache-key.js';
import { buildInfo } from './dates.js';
import { templatesFingerprint, toolFingerprint } from './fingerprint.js';
import { CATALOGUE, manifestEntry, outputLine, type ManifestEntry } from './manifest.js';
import { keepOtherFormats, thumbnailsOf, type OutputFields } from './merge.js';
import { assignShards, planFingerprint, readShards, type ShardInfo } from './shards.js';
import { stage, stageManifest } from './staging.js';

/** build.ts's check: every source validated, nothing written. */
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

/** The sources checked and made ready to render: models typeset, packets made, templates compiled. */
export interface Prepared {
  report: Report;
  models: DocumentModel[];
  packets: PacketSource[];
  packetTexts: [DocumentModel, DocumentModel][];
  templates: Templates;
}

export async function prepare(options: BuildOptions, recovered: Report): Promise<Prepared> {
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
  return { report, models, packets, packetTexts, templates };
}

/** The catalogue of `all`, rendered and staged. */
function stageCatalogue(staging: string, all: readonly ManifestEntry[], prepared: Prepared, options: BuildOptions, memo: Map<string, unknown>, thumbnails: ReadonlyMap<string, string>): string {
  const { models, packetTexts, templates } = prepared;
  const catalogue = renderCatalogue(all, [...models, ...packetTexts.flat()], { templates, build: buildInfo(models[0]!, options.env), memo }, thumbnails);
  stage(staging, CATALOGUE, catalogue);
  return catalogue;
}

/** The counts a build's summary gives. */
function counts(prepared: Prepared): { documents: number; packets: number } {
  return { documents: new Set(prepared.models.map((m) => m.id)).size, packets: prepared.packets.length };
}

/** `outputs` in the order a whole build writes them (`every`'s). */
function inPlanOrder(outputs: ManifestEntry[], every: ReadonlyMap<string, OutputFields>): ManifestEntry[] {
  const order = new Map([...every.keys()].map((p, i) => [p, i]));
  return outputs.sort((a, b) => order.get(a.path)! - order.get(b.path)!);
}

/** Every output a build of every format would write now, in that order. */
function everyOutput(prepared: Prepared, options: BuildOptions): Map<string, OutputFields> {
  const every = new Map<string, OutputFields>();
  for (const p of planOutputs(prepared.models, FORMAT_NAMES, options.bilingual, prepared.packetTexts)) {
    every.set(p.path, { path: p.path, document: p.model.id, edition: p.edition, format: p.format, languages: p.languages });
  }
  return every;
}

/** The cache keys of the build (cache-key.ts): of the tool and templates, then of each output. */
function cacheKeys(templates: Templates): CacheKeys {
  return new CacheKeys(createHash('sha256').update(`${toolFingerprint()}\0${templatesFingerprint(templates)}`).digest('hex'));
}

/** What an output is rendered with. */
function renderContext(planned: PlannedOutput, prepared: Prepared, options: BuildOptions, memo: Map<string, unknown>): RenderContext {
  return {
    templates: prepared.templates,
    build: { ...buildInfo(planned.model, options.env), printGenerator: options.printGenerator ?? false },
    memo,
    report: prepared.report,
    edition: editionSpec(planned.model, planned.edition),
    ...(planned.layout && { layout: planned.layout }),
  };
}

/** The plan's fingerprint (shards.ts): the same for every shard of one build. */
function planOf(planned: readonly PlannedOutput[], prepared: Prepared, options: BuildOptions, keys: CacheKeys): string {
  const memo = new Map<string, unknown>();
  return planFingerprint(planned.map((p) => {
    const ctx = renderContext(p, prepared, options, memo);
    return { path: p.path, key: keys.key(p, ctx.build, ctx.edition) };
  }));
}

/**
 * Renders the outputs `options` plan (with a cache, copying each whose key it holds) into
 * `staging`, then the manifest and the catalogue; with `record.fingerprint`, records the whole
 * build in the cache (all but what recovering the folder said, `record.recovered`).
 */
export async function writeBuild(staging: string, prepared: Prepared, options: BuildOptions, record: { fingerprint?: string; recovered: readonly Diagnostic[] }): Promise<BuildResult> {
  const { report, models, packetTexts, templates } = prepared;
  const memo = new Map<string, unknown>();
  const outputs: ManifestEntry[] = [];
  const cached: string[] = [];
  const cache = options.cache === undefined ? undefined : new BuildCache(options.cache, report);
  const keys = cache || options.shard ? cacheKeys(templates) : undefined;
  let planned = planOutputs(models, options.formats, options.bilingual, packetTexts, report);
  let shard: ShardInfo | undefined;
  if (options.shard) {
    shard = { ...options.shard, plan: planOf(planned, prepared, options, keys!) };
    const parts = assignShards(planned, options.shard.count);
    planned = planned.filter((p) => parts.get(p.path) === options.shard!.index);
  }
  for (const p of planned) {
    const started = performance.now();
    const ctx = renderContext(p, prepared, options, memo);
    const key = cache && keys!.key(p, ctx.build, ctx.edition);
    const hit = key === undefined ? undefined : cache!.get(key);
    const thumbnail = thumbnailKey([p.model, p.partner].filter(Boolean));
    let data: Uint8Array;
    if (hit) {
      data = hit.data;
      for (const d of hit.diagnostics) warnOnce(ctx, d);
      if (hit.thumbnail !== undefined) memo.set(thumbnail, hit.thumbnail);
      cached.push(p.path);
    } else {
      // What this output reports, kept with it: a copy says it again.
      const own = new Report({ strict: options.strict });
      const render = await FORMATS[p.format].load();
      data = await render(p.model, { ...ctx, report: own }, p.partner);
      for (const d of own.diagnostics) report.add(d);
      if (key !== undefined && own.errorCount === 0) {
        const picture = p.format === 'pdf' ? (memo.get(thumbnail) as string | undefined) : undefined;
        cache!.put(key, { data, diagnostics: own.diagnostics, ...(picture !== undefined && { thumbnail: picture }) });
      }
    }
    stage(staging, p.path, data);
    const entry = manifestEntry({ path: p.path, document: p.model.id, edition: p.edition, format: p.format, languages: p.languages }, data);
    outputs.push(entry);
    options.log?.(outputLine(entry, performance.now() - started, hit !== undefined));
  }
  // The outputs of the other formats are kept from the previous build (not a shard's: its
  // folder is its part alone), and all are listed in the order a whole build writes them.
  const every = everyOutput(prepared, options);
  const other = shard ? { outputs: [], thumbnails: new Map<string, string>() } : await keepOtherFormats(options.out, staging, options.formats, every, report);
  const all = inPlanOrder([...outputs, ...other.outputs], every);
  const changes = await stageManifest(staging, all, options, shard);
  const catalogue = stageCatalogue(staging, all, prepared, options, memo, other.thumbnails);
  if (cache && record.fingerprint !== undefined && report.errorCount === 0) {
    const diagnostics = report.diagnostics.filter((d) => d.ruleId !== 'cache' && !record.recovered.includes(d));
    cache.putBuild({ fingerprint: record.fingerprint, outputs: all, diagnostics, ...counts(prepared), ...(shard && { shard }) }, Buffer.from(catalogue));
  }
  return { outputs, kept: other.outputs, cached, ...changes, ...counts(prepared), report };
}

/**
 * `editions merge`'s folder: the shards' outputs (each checked against its shard's manifest)
 * copied into `staging`, the manifest and catalogue written anew from all of them.
 */
export async function writeMerge(staging: string, dirs: readonly string[], prepared: Prepared, options: BuildOptions): Promise<BuildResult> {
  const { models, packetTexts, templates } = prepared;
  const planned = planOutputs(models, options.formats, options.bilingual, packetTexts);
  const shards = await readShards(dirs, planOf(planned, prepared, options, cacheKeys(templates)));
  const every = everyOutput(prepared, options);
  const outputs: ManifestEntry[] = [];
  const thumbnails = new Map<string, string>();
  for (const shard of shards) {
    const page = await readFile(path.join(shard.dir, CATALOGUE), 'utf8').catch(() => '');
    for (const [pdf, uri] of thumbnailsOf(page)) thumbnails.set(pdf, uri);
    for (const entry of shard.outputs) {
      const data = await readFile(path.join(shard.dir, ...entry.path.split('/'))).catch(() => undefined);
      if (!data || !every.has(entry.path) || createHash('sha256').update(data).digest('hex') !== entry.sha256) {
        throw new EditionsError([{ severity: 'error', ruleId: 'shard', message: `${entry.path} of shard ${shard.shard.index}/${shard.shard.count} is not the file its manifest lists`, file: path.join(shard.dir, entry.path), hint: 'build that shard again, then merge' }]);
      }
      stage(staging, entry.path, data);
      outputs.push(manifestEntry(every.get(entry.path)!, data));
      options.log?.(outputLine(outputs.at(-1)!, 0, true));
    }
  }
  const all = inPlanOrder(outputs, every);
  const changes = await stageManifest(staging, all, options);
  stageCatalogue(staging, all, prepared, options, new Map(), thumbnails);
  return { outputs: all, kept: [], cached: [], ...changes, ...counts(prepared), report: prepared.report };
}

/** Every output the sources give, with its inputs and cache key, rendering nothing. */
export async function plan(options: BuildOptions): Promise<{ outputs: PlanEntry[]; report: Report }> {
  const prepared = await prepare(options, new Report());
  const keys = cacheKeys(prepared.templates);
  const memo = new Map<string, unknown>();
  const rel = (f: string) => path.relative(process.cwd(), f).split(path.sep).join('/');
  const outputs = planOutputs(prepared.models, options.formats, options.bilingual, prepared.packetTexts, prepared.report).map((p): PlanEntry => {
    const ctx = renderContext(p, prepared, options, memo);
    const files = new Set<string>();
    const texts = (m: DocumentModel | undefined): void => {
      if (!m) return;
      files.add(m.file);
      for (const image of m.images.values()) files.add(image.file);
      if (m.canonical && !m.packet) {
        files.add(recordFile(m.file));
        texts(m.canonical);
      }
      // A packet's glossary is drawn from its documents' termbases.
      for (const source of m.sources ?? []) {
        texts(source);
        files.add(termbaseFile(path.dirname(source.file)));
      }
    };
    texts(p.model);
    texts(p.partner);
    for (const dir of prepared.templates.dirs) files.add(dir);
    // The tool's own templates are named as its, not by a path into wherever it is installed.
    const named = [...files].filter((f) => existsSync(f)).map((f) => (f === BUILTIN_TEMPLATES ? 'editions:templates' : rel(f)));
    return { path: p.path, document: p.model.id, edition: p.edition, format: p.format, languages: p.languages, key: keys.key(p, ctx.build, ctx.edition), inputs: named.sort() };
  });
  return { outputs, report: prepared.report };
}

