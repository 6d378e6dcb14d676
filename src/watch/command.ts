/**
 * `editions watch [SOURCE...]`: builds, serves the output folder as a preview on the loopback
 * address, and builds again whenever a source, packet, template or the config file changes. The
 * builds run in this process, so the second and later ones find the tool's modules loaded.
 *
 * A build writes the HTML first and tells the preview, then the other formats the config asks
 * for, as two builds: the second keeps the HTML of the first (build/merge.ts), so that the output
 * folder ends as one build of every format leaves it. A change made while the HTML is built
 * skips the other formats: the next build starts with the HTML again.
 *
 * A build that fails keeps the previous output served, and its problems are shown in the terminal
 * and on the page. A watched folder or file that goes (deleted, or renamed away) is reported,
 * the preview keeps the last build, and the watch builds again when it comes back; when the
 * folder that held it is gone too, there is nothing left to wait in, and the watch exits 1.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { build } from '../build/build.js';
import { onInterrupt } from '../build/interrupt.js';
import type { Config } from '../config/config.js';
import type { FormatName } from '../formats/registry.js';
import { EditionsError, escapeControls, fail, formatDiagnostic, shownPath, sortDiagnostics, usage, type Diagnostic } from '../messages.js';
import { fileProblem, isErrnoError } from '../source/files.js';
import { Rebuilds } from './rebuilds.js';
import { LOOPBACK, Preview, type ShownDiagnostic } from './server.js';
import { DEFAULT_PORT } from './port.js';
import { Targets } from './watcher.js';

export interface WatchOptions {
  /** The settings, read again before every build: the config file may have changed. */
  config: () => Config;
  /** The config file, when there is one: watched too. */
  configFile?: string;
  /** As given (--host, --port): checked here. */
  host: string | undefined;
  port: string | undefined;
  quiet: boolean;
  strict: boolean;
  io: { out: (text: string) => void; err: (text: string) => void; diagnostics: (list: readonly Diagnostic[]) => void };
}

/** Runs until stopped by a signal (the command line exits then), or until a watched folder is lost (1). */
export async function watchCommand(options: WatchOptions): Promise<number> {
  const { io } = options;
  const host = loopback(options.host);
  const port = portNumber(options.port);
  const first = options.config();
  // The output folder is the one served: it stays what it was at the start.
  const { out } = first;
  const targetsOf = (config: Config) => [...config.sources, ...config.templates, ...(options.configFile ? [options.configFile] : [])];
  for (const target of targetsOf(first)) {
    if (!existsSync(target)) fail('source-missing', `"${shownPath(target)}" does not exist`, { hint: 'name a folder that exists, then run editions watch again' });
  }
  const preview = await Preview.start(out, host, port).catch((e: unknown) => {
    if (isErrnoError(e) && (e.code === 'EADDRINUSE' || e.code === 'EACCES')) {
      fail('watch', `the preview cannot listen on port ${port} of ${host}: ${e.code === 'EADDRINUSE' ? 'another program uses it' : 'it is reserved'} (${e.code})`, {
        hint: `choose another port: --port N (--port 0 takes any free one); the default is ${DEFAULT_PORT}`,
      });
    }
    throw e;
  });

  let finish!: (status: number) => void;
  let crash!: (error: unknown) => void;
  const ended = new Promise<number>((resolve, reject) => ((finish = resolve), (crash = reject)));
  const changed = new Set<string>();
  const ignored = (file: string) => {
    // The build's own writes, should the output folder be inside a watched one: its staging
    // folder and lock beside it (.dist.staging-XXXXXX, .dist.lock), and the folder itself.
    const rel = path.relative(out, file);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel)) || (path.dirname(file) === path.dirname(out) && path.basename(file).startsWith(`.${path.basename(out)}.`));
  };

  const failed = (diagnostics: readonly Diagnostic[]) => {
    io.diagnostics(diagnostics);
    preview.state = { ...preview.state, failed: true, diagnostics: shown(diagnostics) };
    preview.send('failed', { diagnostics: preview.state.diagnostics });
  };

  const targets = new Targets({
    changed: (file) => {
      if (ignored(file)) return;
      changed.add(file);
      rebuilds.request();
    },
    gone: (target) =>
      failed([{ severity: 'error', ruleId: 'watch', file: target, message: 'is gone (deleted or renamed): the preview keeps the last build, and the watch builds again when it is back', hint: 'put it back, or stop the watch (Ctrl-C) and start it on another folder' }]),
    lost: (target) => {
      io.diagnostics([{ severity: 'error', ruleId: 'watch', file: target, message: 'is gone, and so is the folder that held it: the watch stops', hint: 'run editions watch again where the sources are' }]);
      finish(1);
    },
    failed: (target, error) => {
      io.diagnostics([{ severity: 'error', ruleId: 'watch', file: target, message: `cannot be watched: ${escapeControls(error.message)}`, hint: 'on Linux, raise the limit of inotify watches (sysctl fs.inotify.max_user_watches), then run editions watch again' }]);
      finish(1);
    },
  });

  const once = async () => {
    let config: Config;
    try {
      config = { ...options.config(), out };
    } catch (e) {
      if (!(e instanceof EditionsError)) throw e;
      return failed(e.diagnostics);
    }
    targets.set(targetsOf(config));
    // A gone target has been reported: building without it would only say so again.
    if (targets.missing().length > 0) return;
    if (changed.size > 0 && !options.quiet) {
      // An editor's temporary file, renamed over the file saved, is gone by now.
      const file = [...changed].find((f) => existsSync(f)) ?? [...changed][0]!;
      io.out(`changed: ${escapeControls(shownPath(file))}${changed.size > 1 ? ` and ${changed.size - 1} more` : ''}\n`);
    }
    changed.clear();
    const html = config.formats.includes('html');
    const phases: FormatName[][] = html && config.formats.length > 1 ? [['html'], config.formats.filter((f) => f !== 'html')] : [config.formats];
    // The second build checks the sources again: its problems are printed when they are new.
    const printed = new Set<string>();
    const diagnostics: Diagnostic[] = [];
    try {
      for (const [i, formats] of phases.entries()) {
        if (i > 0 && rebuilds.waiting) break;
        const started = performance.now();
        const result = await build({ ...config, formats, strict: options.strict, log: options.quiet ? undefined : (line) => io.out(`${escapeControls(line)}\n`), notice: (line) => io.err(`editions: ${escapeControls(line)}\n`) });
        const fresh = result.report.diagnostics.filter((d) => !printed.has(formatDiagnostic(d)));
        for (const d of fresh) printed.add(formatDiagnostic(d));
        diagnostics.push(...fresh);
        io.diagnostics(fresh);
        const number = preview.state.build + 1;
        preview.state = { build: number, failed: false, diagnostics: shown(diagnostics) };
        preview.send('reload', { build: number, formats, diagnostics: preview.state.diagnostics });
        const seconds = ((performance.now() - started) / 1000).toFixed(2);
        io.out(`built ${formats.join(', ')}: ${result.outputs.length} output${result.outputs.length === 1 ? '' : 's'} in ${seconds} s; the preview reloads\n`);
      }
    } catch (e) {
      if (e instanceof EditionsError) failed(e.diagnostics);
      else if (isErrnoError(e)) failed([fileProblem(e)]);
      else throw e;
    }
  };
  const rebuilds = new Rebuilds(() => once().catch(crash));

  const close = () => {
    rebuilds.stop();
    targets.close();
    preview.close();
  };
  const forget = onInterrupt(close);
  try {
    targets.set(targetsOf(first));
    io.out(`preview at ${preview.url} (serving ${escapeControls(shownPath(out))}/; Ctrl-C stops)\n`);
    rebuilds.request();
    return await ended;
  } finally {
    forget();
    close();
  }
}

/** The preview serves unpublished drafts: on the loopback address only. */
function loopback(host: string | undefined): string {
  const address = LOOPBACK[host ?? '127.0.0.1'];
  if (!address) usage(`--host ${host}: the preview is served on the loopback address only`, 'leave --host out, or give 127.0.0.1, localhost or ::1');
  return address;
}

function portNumber(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PORT;
  const n = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(n <= 65535)) usage(`--port ${value} is not a port number`, `give a number from 1 to 65535, or 0 for any free port (default: ${DEFAULT_PORT})`);
  return n;
}

/** Diagnostics as the page shows them, in reading order, with the line the terminal prints. */
function shown(list: readonly Diagnostic[]): ShownDiagnostic[] {
  return sortDiagnostics(list).map((d) => ({
    severity: d.severity,
    ruleId: d.ruleId,
    message: d.message,
    ...(d.file && { file: shownPath(d.file) }),
    ...(d.place && { line: d.place.line, column: d.place.column }),
    text: formatDiagnostic(d),
  }));
}
