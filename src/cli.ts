/** The `editions` command: arguments -> build()/check(); prints messages; returns the exit code. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { parseShard } from './build/shards.js';
import { CONFIG_FILE, resolveConfig, type Flags } from './config/config.js';
import { FORMAT_NAMES } from './formats/registry.js';
import { runInterruptCleanups } from './build/interrupt.js';
import { DEFAULT_PORT } from './watch/port.js';
import { EditionsError, escapeControls, formatDiagnostic, RULES, sortDiagnostics, usage, type Diagnostic } from './messages.js';
import { jsonReport, reportFormat, type ReportFormat, type WrittenOutputs } from './report.js';
import { fileProblem, isErrnoError, writeOutput } from './source/files.js';
import { GENERATOR } from './version.js';

const HELP = `Usage: editions <command> [SOURCE...] [options]

Publishes policy documents from their canonical Markdown source.

Commands:
  build [SOURCE...]   build every edition of every document into the output folder;
                      --shard i/n: the i-th of n balanced parts of them (for CI machines)
  plan [SOURCE...]    list every output a build would write, with its cache key (--json:
                      with the files it is made from), rendering nothing
  merge DIR...        join the folders of a build's shards (build --shard i/n --out DIR)
                      into the folder one whole build of the configured sources gives
  watch [SOURCE...] [--port N]
                      build, serve a live preview of the output folder on 127.0.0.1
                      (default port ${DEFAULT_PORT}; 0: any free port), and build again
                      on every change of a source, packet, template or the config
  check [SOURCE...]   validate the sources (front matter, headings, numbering, links,
                      translations against their originals) without writing anything
  ids DOC [SOURCE...] [--lang L] [--json]
                      list the stable IDs of document DOC (its folder's name, or the
                      folder's path) in reading order: each section and block with its
                      kind, citation, file:line:col and the start of its text
  init [DIR] [--ci github|gitlab]
                      scaffold a project in DIR (default: .): editions.config.yaml, one
                      document, a templates/ folder, a .gitignore; --ci: write the CI file
                      alone (.github/workflows/editions.yml or .gitlab-ci.yml); refuses to
                      overwrite any file
  translations status [SOURCE...] [--blocks]
                      per translation: blocks current, stale and missing; --blocks: each
                      stale block (at its place in the translation) and missing one (at
                      the original's) too
  translations diff FILE...
                      for each stale block, the word diff of the original from the text
                      it was translated from to the text now: [-deleted-]{+inserted+}
  translations accept FILE... [--id ID...]
                      record that a reviewed translation is made from the original's
                      current text (writes paper.<lang>.sources.yaml beside it; blocks
                      not yet translated are left out); --id: those blocks only
  translations export --to xliff|xliff2|tmx [SOURCE...] [--lang L] [--only STATES] [--out DIR]
                      write each translation as XLIFF 1.2 (paper.<lang>.xlf) or 2.1
                      (paper.<lang>.xliff2.xlf) into DIR/<document>/ (default DIR:
                      translations/), --only: the units in those states (current, stale,
                      missing), comma-separated; or as a TMX 1.4b memory of its aligned
                      pairs: DIR/<document>.<original>-<lang>.tmx
  translations import FILE...
                      merge the targets of exported XLIFF files back into the
                      translations of the configured sources (default source/), and
                      record the imported blocks as accepted
  termbase export --to tbx [SOURCE...] [--out DIR]
                      each document's termbase.yaml as TBX-Basic: DIR/<document>.tbx
                      (default DIR for every export: translations/)
  termbase import FILE.tbx [SOURCE...]
                      merge a TBX's new terms and changed translations into the
                      termbase.yaml of the document it names (comments and order kept)
  audit PATH... [--json]
                      the machine accessibility checks (Matterhorn Protocol 1.1) on each PDF,
                      or on every PDF under each folder: "machine checks passed (N of M
                      conditions)", and each failure by page; exit 1 if any fails (needs qpdf)

SOURCE is a folder holding one folder per document (default: source/), or a
document folder itself (one holding paper.<language>.md).

Options:
  -o, --out DIR          output folder (default: dist/); replaced whole, atomically, by one
                         build at a time; (translations export) the XLIFF folder
  -f, --format LIST      formats to build, comma-separated: ${FORMAT_NAMES.join(', ')} (default: all);
                         the outputs of the other formats are kept from the previous build
  -t, --templates DIR    folder of template files that override the built-in ones
                         (may be given more than once; the first match wins)
  -c, --config FILE      project config (default: editions.config.yaml, if present)
  -q, --quiet            print only problems and the summary
      --cache DIR        (build) keep each output in the build cache DIR, and copy an output
                         whose inputs are unchanged from it instead of rendering it
                         (also cache: DIR, or cache: true for .editions-cache, in the config)
      --no-cache         (build) no cache, whatever the config says
      --shard I/N        (build) build the I-th of N parts only, into a folder for merge
      --since FILE       (build) say what changed since the build of this manifest.json
                         (default: the output folder's, the last build's)
      --changes FILE     (build) write what changed, {"changed": [...], "removed": [...]}, to FILE
      --strict           stale or missing translations, missing images, broken internal
                         links and duplicate or empty headings are errors (for CI)
      --report json      (check, build) the diagnostics on standard output as JSON, in
                         vfile-reporter-json's shape (build: the outputs written too)
      --json             (ids, audit and every translations command) print JSON
      --blocks           (translations status) list the stale and missing blocks
      --id ID            (translations accept) a block's stable ID (may be given more than once)
      --to FORMAT        (translations export) xliff (XLIFF 1.2), xliff2 (XLIFF 2.1) or tmx;
                         (termbase export) tbx
      --lang LANG        (translations export) the translations into LANG only;
                         (ids) the translation into LANG
      --only STATES      (translations export) the units in those states: current, stale, missing
      --ci PROVIDER      (init) write the CI file for github or gitlab
      --port N           (watch) the preview's port (default: ${DEFAULT_PORT}; 0: any free port)
      --host ADDRESS     (watch) 127.0.0.1 (the default), localhost or ::1: the preview is
                         served on the loopback address only
      --rules            list the rule ids that messages carry, then exit
  -h, --help             show this help
  -v, --version          show the version

Environment:
  SOURCE_DATE_EPOCH      Unix time used for every embedded date (reproducible builds),
                         at most 4102444799 (2099-12-31T23:59:59Z)

Exit status:
  0    success (warnings may have been printed)
  1    input: a source, template, config or file has an error, or the file system fails
       (a full or read-only disk)
  2    usage: the command line is not understood
  70   a bug in editions (run again with EDITIONS_DEBUG=1 and report it)
  130, 143, 129  stopped by SIGINT, SIGTERM, SIGHUP`;

const OPTIONS = {
  out: { type: 'string', short: 'o' },
  format: { type: 'string', short: 'f', multiple: true },
  templates: { type: 'string', short: 't', multiple: true },
  config: { type: 'string', short: 'c' },
  quiet: { type: 'boolean', short: 'q' },
  strict: { type: 'boolean' },
  cache: { type: 'string' },
  'no-cache': { type: 'boolean' },
  since: { type: 'string' },
  shard: { type: 'string' },
  changes: { type: 'string' },
  json: { type: 'boolean' },
  blocks: { type: 'boolean' },
  id: { type: 'string', multiple: true },
  to: { type: 'string' },
  lang: { type: 'string' },
  only: { type: 'string' },
  ci: { type: 'string' },
  rules: { type: 'boolean' },
  report: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

/** Exit statuses: input and environment problems, a command line not understood, a bug. */
export const EXIT = { input: 1, usage: 2, bug: 70 } as const;

/** The signals that stop a build cleanly, with the exit status each gives (128 + its number). */
const STOPS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/** How this run prints its diagnostics (--report); set once the command line is read. */
let reporting: ReportFormat = 'human';

/** Runs the command line and returns the exit code; never throws for bad input. */
export async function main(argv: string[]): Promise<number> {
  reporting = 'human';
  // Stopped, a build removes its staging folder and its lock (build/interrupt.ts), then exits.
  const handlers = Object.entries(STOPS).map(([signal, status]) => {
    const handler = () => {
      runInterruptCleanups();
      process.exit(status);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  try {
    return await run(argv);
  } catch (e) {
    if (e instanceof EditionsError) {
      printDiagnostics(e.diagnostics);
      return exitFor(e.diagnostics);
    }
    // The file system failed the build (a full or read-only disk, a file that went away): an
    // environment problem, with the file named, not a bug.
    if (isErrnoError(e)) {
      printDiagnostics([fileProblem(e)]);
      return EXIT.input;
    }
    // A bug of ours, not bad input: say so in one line; the stack only on request.
    const err = e as Error;
    process.stderr.write(`editions: internal error: ${escapeControls(String(err?.message))}\n`);
    process.stderr.write(
      process.env.EDITIONS_DEBUG ? `${err.stack}\n` : 'hint: this is a bug in editions; run again with EDITIONS_DEBUG=1 for details and report it\n',
    );
    return EXIT.bug;
  } finally {
    for (const off of handlers) off();
  }
}

async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    usage((e as Error).message, 'run "editions --help" for the commands and options');
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`${GENERATOR}\n`);
    return 0;
  }
  if (values.rules) {
    for (const [id, meaning] of Object.entries(RULES)) process.stdout.write(`${id.padEnd(26)} ${meaning}\n`);
    return 0;
  }
  const [command, ...sources] = positionals;
  if (values.help || command === undefined || command === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  // Before the config is read: a new project has none, and init reads no sources.
  if (command === 'init') return (await import('./init/init.js')).initCommand(sources, { ...(values.ci !== undefined && { ci: values.ci }) }, (t) => void process.stdout.write(t));
  reporting = reportFormat(values.report, command);
  if (command === 'audit') return (await import('./audit/command.js')).auditCommand(sources, { json: Boolean(values.json) }, { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t) });
  if (command === 'ids') {
    return (await import('./ids.js')).idsCommand(sources, { config: values.config, json: Boolean(values.json), ...(values.lang !== undefined && { lang: values.lang }) }, { out: (t) => void process.stdout.write(t), diagnostics: printDiagnostics });
  }
  const [action, ...rest] = sources;
  const translationsAction = command === 'translations';
  const termbaseAction = command === 'termbase';
  const flags: Flags = {
    config: values.config,
    // `translations status|export [SOURCE...]`; `translations accept FILE...` and `diff FILE...`
    // find their own folders; `translations import FILE...` reads the configured sources
    // (default source/); `termbase export [SOURCE...]`, `termbase import FILE [SOURCE...]`.
    // `merge DIR...` merges shard folders into the configured sources' build.
    sources: translationsAction ? (action === 'status' || action === 'export' ? rest : []) : termbaseAction ? (action === 'import' ? rest.slice(1) : rest) : command === 'merge' ? [] : sources,
    out: values.out,
    templates: values.templates,
    formats: values.format,
    ...(values.cache !== undefined && { cache: values.cache }),
    ...(values['no-cache'] && { noCache: true }),
  };
  const config = resolveConfig(flags);

  if (translationsAction) {
    const io = { out: (t: string) => void process.stdout.write(t), err: (t: string) => void process.stderr.write(t), diagnostics: printDiagnostics };
    return (await import('./translations/commands.js')).translationsCommand(action, rest, config.sources, { json: Boolean(values.json), ids: values.id ?? [], ...(values.blocks && { blocks: true }), ...(values.to !== undefined && { to: values.to }), ...(values.lang !== undefined && { lang: values.lang }), ...(values.only !== undefined && { only: values.only }), ...(values.out !== undefined && { out: values.out }) }, io);
  }
  if (termbaseAction) {
    return (await import('./termbase/commands.js')).termbaseCommand(action, rest, config.sources, { json: Boolean(values.json), ...(values.to !== undefined && { to: values.to }), ...(values.out !== undefined && { out: values.out }) }, { out: (t: string) => void process.stdout.write(t) });
  }
  if (command === 'watch') {
    const configFile = path.resolve(values.config ?? CONFIG_FILE);
    return (await import('./watch/command.js')).watchCommand({
      config: () => resolveConfig(flags),
      ...(existsSync(configFile) && { configFile }),
      host: values.host,
      port: values.port,
      quiet: Boolean(values.quiet),
      strict: Boolean(values.strict),
      io: { out: (t) => void process.stdout.write(t), err: (t) => void process.stderr.write(t), diagnostics: printDiagnostics },
    });
  }
  if (command === 'check') {
    const { check } = await import('./build/build.js');
    const { report, models, packets } = await check(config.sources, { strict: values.strict, templates: config.templates, bilingual: config.bilingual, linkSchemes: config.linkSchemes });
    printDiagnostics(report.diagnostics);
    if (report.errorCount > 0) return EXIT.input;
    process.stderr.write(`checked ${plural(models.length, 'source file')}${packets.length > 0 ? ` and ${plural(packets.length, 'briefing packet')}` : ''}: no errors\n`);
    return 0;
  }
  if (command === 'plan') {
    const { plan } = await import('./build/build.js');
    const { outputs, report } = await plan({ ...config, strict: values.strict });
    printDiagnostics(report.diagnostics);
    if (values.json) process.stdout.write(`${JSON.stringify(outputs, null, 2)}\n`);
    else for (const o of outputs) process.stdout.write(`${o.key.slice(0, 12)}  ${escapeControls(o.path)}\n`);
    return 0;
  }
  if (command === 'build' || command === 'merge') {
    const started = performance.now();
    // A JSON report is the whole standard output: the lines per output go, the summary goes to stderr.
    const log = values.quiet || reporting === 'json' ? undefined : (line: string) => process.stdout.write(`${escapeControls(line)}\n`);
    const notice = (line: string) => process.stderr.write(`editions: ${escapeControls(line)}\n`);
    const options = { ...config, log, notice, strict: values.strict, ...(values.since !== undefined && { since: path.resolve(values.since) }), ...(values.shard !== undefined && { shard: parseShard(values.shard) }) };
    if (command === 'merge' && sources.length === 0) usage('"merge" needs the shard folders to merge', 'name each folder that "editions build --shard i/n --out DIR" wrote, for example: editions merge dist-1 dist-2 --out dist');
    if (command === 'merge' && values.shard !== undefined) usage('"merge" takes no --shard', 'merge joins every shard of a build: name their folders');
    const { build, merge } = await import('./build/build.js');
    const result = command === 'merge' ? await merge(sources.map((d) => path.resolve(d)), options) : await build(options);
    if (values.changes !== undefined) writeOutput(path.resolve(values.changes), `${JSON.stringify({ changed: result.changed, removed: result.removed }, null, 2)}\n`);
    printDiagnostics(result.report.diagnostics, { out: config.out, outputs: result.outputs });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const where = path.relative(process.cwd(), config.out) || '.';
    const kept = result.kept.length > 0 ? `; kept ${plural(result.kept.length, 'output')} of other formats from the previous build` : '';
    const cached = result.cached.length > 0 ? ` (${result.cached.length} copied from the cache)` : '';
    const changes = [result.changed.length > 0 && `${result.changed.length} changed`, result.removed.length > 0 && `${result.removed.length} removed`].filter(Boolean);
    const since = `; since the last build: ${changes.length > 0 ? changes.join(', ') : 'nothing changed'}`;
    (reporting === 'json' ? process.stderr : process.stdout).write(
      `${command === 'merge' ? `merged ${plural(sources.length, 'shard')} into` : 'built'} ${plural(result.outputs.length, 'output')}${cached} of ${plural(result.documents, 'document')}${result.packets > 0 ? ` and ${plural(result.packets, 'briefing packet')}` : ''} in ${seconds} s into ${escapeControls(where)}/${kept}${since}\n`,
    );
    return 0;
  }
  usage(`unknown command "${command}"`, 'the commands are build, check, plan, merge, ids, init, watch, translations, termbase and audit; run "editions --help"');
}

/** 2 when every error is the command line's, else 1. */
function exitFor(list: readonly Diagnostic[]): number {
  const errors = list.filter((d) => d.severity === 'error');
  return errors.length > 0 && errors.every((d) => d.ruleId === 'cli-usage') ? EXIT.usage : EXIT.input;
}

/**
 * The messages on stderr with their count; under --report json, the report on stdout (`[]` when
 * there are none, with a build's outputs) and the count alone on stderr.
 */
function printDiagnostics(list: readonly Diagnostic[], written?: WrittenOutputs): void {
  if (reporting === 'json') process.stdout.write(`${jsonReport(list, written)}\n`);
  if (list.length === 0) return;
  if (reporting === 'human') for (const d of sortDiagnostics(list)) process.stderr.write(`${formatDiagnostic(d)}\n`);
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.length - errors;
  const parts = [errors && `${errors} error${errors === 1 ? '' : 's'}`, warnings && `${warnings} warning${warnings === 1 ? '' : 's'}`];
  process.stderr.write(`${parts.filter(Boolean).join(', ')}\n`);
}

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
