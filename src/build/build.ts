/** `editions build` and `editions check`: plan -> render -> write atomically -> manifest. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BilingualSetting, Config } from '../config/config.js';
import { checkBilingualSettings, planOutputs } from '../editions/plan.js';
import { editionSpec } from '../editions/spec.js';
import { FORMATS, type RenderContext } from '../formats/registry.js';
import { EditionsError, Report } from '../messages.js';
import { loadDocuments, type LoadOptions } from '../model/load.js';
import type { DocumentModel } from '../model/types.js';
import { loadPackets, type PacketSource } from '../packets/load.js';
import { packetModels } from '../packets/model.js';
import { Templates } from '../templating/engine.js';
import { validateTemplates } from '../templating/validate.js';
import { CATALOGUE, renderCatalogue } from './catalogue.js';
import { buildInfo } from './dates.js';
import { MANIFEST, manifestEntry, serializeManifest, type ManifestEntry } from './manifest.js';
import { commitStaging, discardStaging, openStaging } from './staging.js';

export interface BuildOptions extends Config {
  /** Receives one line per output written. */
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Stale or missing translations fail the build. */
  strict?: boolean;
}

export interface BuildResult {
  outputs: ManifestEntry[];
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
  const report = new Report();
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
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const checked = await check(options.sources, { strict: options.strict, templates: options.templates, bilingual: options.bilingual });
  const { report, models, packets } = checked;
  if (report.errorCount > 0 || !checked.templates) throw new EditionsError(report.diagnostics);
  // The templates check compiled, with the theme and the strings it read.
  const { templates } = checked;
  const packetTexts = packets.map((p) => packetModels(p, models, templates, buildInfo(p.originals[0]!, options.env)));
  const memo = new Map<string, unknown>();
  const staging = await openStaging(options.out, options.sources);
  const outputs: ManifestEntry[] = [];
  try {
    for (const planned of planOutputs(models, options.formats, options.bilingual, packetTexts, report)) {
      const started = performance.now();
      const ctx: RenderContext = { templates, build: buildInfo(planned.model, options.env), memo, report, edition: editionSpec(planned.model, planned.edition), ...(planned.layout && { layout: planned.layout }) };
      const render = await FORMATS[planned.format].load();
      const data = await render(planned.model, ctx, planned.partner);
      const file = path.join(staging, planned.path);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, data);
      const entry = manifestEntry(
        { path: planned.path, document: planned.model.id, edition: planned.edition, format: planned.format, languages: planned.languages },
        data,
      );
      outputs.push(entry);
      options.log?.(outputLine(entry, performance.now() - started));
    }
    await writeFile(path.join(staging, MANIFEST), serializeManifest(outputs));
    const catalogueCtx = { templates, build: buildInfo(models[0]!, options.env), memo };
    await writeFile(path.join(staging, CATALOGUE), renderCatalogue(outputs, [...models, ...packetTexts.flat()], catalogueCtx));
    await commitStaging(staging, options.out);
  } catch (e) {
    await discardStaging(staging);
    throw e;
  }
  return { outputs, documents: new Set(models.map((m) => m.id)).size, packets: packets.length, report };
}

function outputLine(e: ManifestEntry, ms: number): string {
  const size = e.bytes >= 1e6 ? `${(e.bytes / 1e6).toFixed(1)} MB` : `${(e.bytes / 1e3).toFixed(1)} kB`;
  return `  ${e.format.padEnd(5)} ${e.languages.join('+').padEnd(9)} ${size.padStart(9)} ${`${ms.toFixed(0)} ms`.padStart(8)}  ${e.path}`;
}
