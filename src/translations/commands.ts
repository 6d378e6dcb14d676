/**
 * The `editions translations` commands, a handler per action: each gets the words after the
 * action, the project's sources and the options, prints its result, and returns the exit
 * status. An action that is not here is a usage error that lists the ones that are.
 */
import path from 'node:path';
import { check } from '../build/build.js';
import { escapeControls, usage, type Diagnostic } from '../messages.js';
import type { DocumentModel } from '../model/types.js';
import { linksToRewrite, unsettledReason } from '../model/renumbering.js';
import { acceptTranslation, translationStatus } from '../model/staleness.js';
import { blockEntry, describeEntry } from './blocks.js';
import { diffCommand } from './diff.js';
import { exportTranslations } from './export.js';
import { importTranslations } from './import.js';

export interface TranslationsOptions {
  json: boolean;
  /** `--blocks` (status): list the stale and missing blocks, with their places. */
  blocks?: boolean;
  /** `--id`: the stable IDs an action is limited to (accept). */
  ids: readonly string[];
  /** `--to`: the format an export writes. */
  to?: string;
  /** `--lang`: the translation language an action is limited to. */
  lang?: string;
  /** `--only`: the segment states an export is limited to, comma-separated (stale,missing). */
  only?: string;
  /** `--out`: the folder an export writes into. */
  out?: string;
}

export interface TranslationsIo {
  /** Results, on standard output. */
  out(text: string): void;
  /** Notes beside the messages, on standard error. */
  err(text: string): void;
  diagnostics(list: readonly Diagnostic[]): void;
}

export type Handler = (rest: string[], sources: string[], options: TranslationsOptions, io: TranslationsIo) => Promise<number>;

const EXIT_INPUT = 1;

const HANDLERS: Record<string, Handler> = {
  status: async (_rest, sources, options, io) => {
    const { report, models } = await check(sources);
    if (report.errorCount > 0) {
      io.diagnostics(report.diagnostics.filter((d) => d.severity === 'error'));
      return EXIT_INPUT;
    }
    const translations = models.filter((m) => m.canonical);
    const rows = translations.map(translationStatus);
    // --blocks: the stale and missing blocks too, with their places (left out by default, so
    // the summary a dashboard reads stays the shape it was).
    const blocks = rows.map((r, i) => (options.blocks ? r.segments.flatMap((s) => blockEntry(s, translations[i]!) ?? []) : []));
    if (options.json) {
      const out = rows.map((r, i) => ({ file: path.relative(process.cwd(), r.file), language: r.language, ...r.counts, total: r.segments.length, percent: r.percent, ...(options.blocks && { blocks: blocks[i] }) }));
      io.out(`${JSON.stringify(out, null, 2)}\n`);
      return 0;
    }
    io.out(`${'language'.padEnd(10)}${'current'.padStart(9)}${'stale'.padStart(7)}${'missing'.padStart(9)}${'done'.padStart(8)}  file\n`);
    for (const r of rows) {
      io.out(
        `${r.language.padEnd(10)}${String(r.counts.current).padStart(9)}${String(r.counts.stale).padStart(7)}${String(r.counts.missing).padStart(9)}${`${r.percent}%`.padStart(8)}  ${escapeControls(path.relative(process.cwd(), r.file))}\n`,
      );
    }
    const listed = blocks.flat();
    if (listed.length > 0) io.out(`\n${listed.map((e) => `${describeEntry(e)}\n`).join('')}`);
    return 0;
  },

  accept: async (rest, _sources, options, io) => {
    if (rest.length === 0) usage('"translations accept" needs the translation files to accept', 'name each paper.<lang>.md, for example: editions translations accept source/china-lac-policy/paper.es.md');
    const loaded = await loadTranslations(rest, io);
    if (typeof loaded === 'number') return loaded;
    const unsettled = loaded.map(unsettledReason).filter((d) => d !== undefined);
    if (unsettled.length > 0) {
      io.diagnostics(unsettled);
      io.err('nothing recorded: the translation follows the renumbering of its original by its record, which accepting now would lose\n');
      return EXIT_INPUT;
    }
    const links = loaded.flatMap(linksToRewrite);
    if (links.length > 0) io.diagnostics(links);
    const ids = options.ids.length > 0 ? new Set(options.ids) : undefined;
    if (ids) {
      // Every ID named must be a segment of each file accepted (a typo accepts nothing).
      for (const model of loaded) {
        const known = new Set(translationStatus(model).segments.filter((s) => s.state !== 'missing').map((s) => s.id));
        const unknown = [...ids].filter((id) => !known.has(id));
        if (unknown.length > 0) {
          usage(`${path.relative(process.cwd(), model.file)} has no translated block ${unknown.map((id) => `"${id}"`).join(', ')}`, 'name blocks by their stable IDs, as "editions translations status" lists them');
        }
      }
    }
    const results = [];
    for (const model of loaded) {
      const done = await acceptTranslation(model, ids);
      results.push({ file: path.relative(process.cwd(), model.file), record: path.relative(process.cwd(), done.file), accepted: done.ids });
      if (!options.json) io.out(`recorded ${done.count} segments of ${escapeControls(path.relative(process.cwd(), model.file))} in ${escapeControls(path.relative(process.cwd(), done.file))}\n`);
    }
    if (options.json) io.out(`${JSON.stringify(results, null, 2)}\n`);
    return 0;
  },

  diff: diffCommand,

  export: exportTranslations,

  import: async (rest, sources, options, io) => {
    if (rest.length === 0) usage('"translations import" needs the XLIFF files to import', 'name each file that "editions translations export" wrote, for example: editions translations import translations/china-lac-policy/paper.es.xlf');
    const { imported, diagnostics } = await importTranslations(rest, sources);
    io.diagnostics(diagnostics);
    const results = imported.map((i) => ({ file: path.relative(process.cwd(), i.file), translation: path.relative(process.cwd(), i.translation), changed: i.changed, accepted: i.accepted }));
    if (options.json) io.out(`${JSON.stringify(results, null, 2)}\n`);
    else for (const r of results) io.out(`imported ${r.changed.length} changed blocks of ${escapeControls(r.file)} into ${escapeControls(r.translation)}; accepted ${r.accepted.length}\n`);
    return 0;
  },
};

/**
 * The translations `files` name, loaded with their originals; an exit status when they cannot
 * be (a structural error, which no record can settle, or a file that is not a translation).
 */
export async function loadTranslations(files: readonly string[], io: TranslationsIo): Promise<DocumentModel[] | number> {
  const absolute = files.map((f) => path.resolve(f));
  const { report, models } = await check([...new Set(absolute.map((f) => path.dirname(f)))]);
  const structural = report.diagnostics.filter((d) => d.severity === 'error' && d.ruleId !== 'translation-stale' && d.ruleId !== 'translation-missing');
  if (structural.length > 0) {
    io.diagnostics(structural);
    io.err('the translation does not pair with its original block for block: fix the alignment first\n');
    return EXIT_INPUT;
  }
  return absolute.map((file) => {
    const model = models.find((m) => m.file === file && m.canonical);
    if (!model) usage(`"${path.relative(process.cwd(), file)}" is not a translation`, 'name a paper.<lang>.md whose front matter has "translation:"');
    return model;
  });
}

/** Runs `editions translations ACTION ...`. */
export function translationsCommand(action: string | undefined, rest: string[], sources: string[], options: TranslationsOptions, io: TranslationsIo): Promise<number> {
  const handler = action === undefined ? undefined : HANDLERS[action];
  if (!handler) {
    const actions = Object.keys(HANDLERS).map((a) => `"editions translations ${a}"`);
    usage(`"translations ${action ?? ''}" is not a command`, `use ${actions.slice(0, -1).join(', ')} or ${actions.at(-1)}`);
  }
  return handler(rest, sources, options, io);
}
