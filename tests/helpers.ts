/** Shared test helpers: running the CLI, temporary copies of the source, external tools. */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { Report } from '../src/messages.js';
import { loadDocuments } from '../src/model/load.js';
import type { DocumentModel } from '../src/model/types.js';
import { typesetModels } from '../src/model/typography.js';
import { Templates } from '../src/templating/engine.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SOURCE = path.join(ROOT, 'source');
export const PAPER = path.join(SOURCE, 'china-lac-policy', 'paper.en.md');
export const CLI = path.join(ROOT, 'bin', 'editions.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the compiled `editions` command (npm test compiles it first). */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, SOURCE_DATE_EPOCH: '', ...options.env },
    encoding: 'utf8',
  });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface StartedCli {
  child: ChildProcess;
  /** Resolves when the process has ended, however it ended. */
  done: Promise<CliResult & { signal: NodeJS.Signals | null }>;
  /** Resolves when standard output or error has printed `text` (at once if it has). */
  printed(text: string): Promise<void>;
}

/** Starts the compiled `editions` command without waiting for it: to signal or race it. */
export function startCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; uid?: number; gid?: number } = {}): StartedCli {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, SOURCE_DATE_EPOCH: '', ...options.env },
    ...(options.uid !== undefined && { uid: options.uid, gid: options.gid ?? options.uid }),
  });
  let stdout = '';
  let stderr = '';
  const waiting: { text: string; resolve: () => void }[] = [];
  const seen = (text: string) => stdout.includes(text) || stderr.includes(text);
  const wake = () => {
    for (const w of waiting.filter((w) => seen(w.text))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  };
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), wake()));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), wake()));
  const done = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ status: code ?? -1, signal, stdout, stderr }));
  });
  const printed = (text: string) =>
    seen(text)
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((resolve) => waiting.push({ text, resolve })),
          done.then(() => {
            if (!seen(text)) throw new Error(`the command ended without printing "${text}": ${stderr}`);
          }),
        ]);
  return { child, done, printed };
}

export function tempDir(prefix = 'editions-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A copy of source/ to break on purpose; returns the copy's folder. */
/** A copy of source/ in a temporary folder, with `edits` made to its files (paths relative to it). */
export function copySource(edits: Record<string, (text: string) => string> = {}): string {
  const dir = path.join(tempDir(), 'source');
  cpSync(SOURCE, dir, { recursive: true });
  for (const [file, change] of Object.entries(edits)) writeFileSync(path.join(dir, file), change(read(path.join(dir, file))));
  return dir;
}

/** The edit that makes IV.2.(3) of the English newer than both translations of it. */
export const REVISE_IV_2_3 = { 'china-lac-policy/paper.en.md': (t: string) => t.replace('It encourages Chinese commercial banks', 'It encourages Chinese policy and commercial banks') };

/** The line number (from 1) of the first line of `file` that contains `text`. */
export function lineOf(file: string, text: string): number {
  return read(file).split('\n').findIndex((l) => l.includes(text)) + 1;
}

export function read(file: string): string {
  return readFileSync(file, 'utf8');
}

/**
 * Whether an external tool can be used. In CI a missing tool fails the run instead of
 * skipping the tests that need it: CI must prove the outputs against the real validators.
 */
export function haveTool(name: string, probe: () => boolean): boolean {
  let ok = false;
  try {
    ok = probe();
  } catch {
    ok = false;
  }
  if (!ok && process.env.CI) throw new Error(`${name} is required in CI but is not installed (see .ci/run)`);
  return ok;
}

export const VNU_JAR = path.join(ROOT, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');
export const EPUBCHECK_JAR = '/usr/share/java/epubcheck.jar';
export const CHROMIUM = '/usr/bin/chromium';

export const hasJava = () => haveTool('java', () => spawnSync('java', ['-version']).status === 0);
export const hasVnu = () => hasJava() && haveTool('vnu.jar', () => existsSync(VNU_JAR));
export const hasEpubcheck = () => hasJava() && haveTool('epubcheck', () => existsSync(EPUBCHECK_JAR));
/** A JDK: `java File.java` (tests/java/) compiles the file first, with the JDK's jdk.compiler. */
export const hasJdk = () => hasJava() && haveTool('a JDK (jdk.compiler)', () => spawnSync('java', ['--list-modules'], { encoding: 'utf8' }).stdout.includes('jdk.compiler@'));
export const hasChromium = () => haveTool('chromium', () => execFileSync(CHROMIUM, ['--version']).length > 0);
export const hasPoppler = () => haveTool('poppler-utils', () => spawnSync('pdfinfo', ['-v']).status === 0);
export const hasQpdf = () => haveTool('qpdf', () => spawnSync('qpdf', ['--version']).status === 0);

/** Runs a command and returns its standard output; throws with its error output when it fails. */
export function run(command: string, args: string[]): string {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}
export const hasSoffice = () => haveTool('LibreOffice', () => spawnSync('soffice', ['--version']).status === 0);

/** The folder holding the kitchen-sink fixture document. */
export const FIXTURE_DOCS = path.join(ROOT, 'tests', 'fixtures', 'docs');
export const CORPUS = path.join(ROOT, 'tests', 'fixtures', 'corpus');
/**
 * The corpus as the SOURCE folders of one build: tests/fixtures/corpus, and each folder in it
 * with packets of its own (a document's, or a SOURCE folder of its own documents), so that its
 * packets are built.
 */
export const CORPUS_SOURCES = [CORPUS, ...readdirSync(CORPUS).map((n) => path.join(CORPUS, n)).filter((d) => existsSync(path.join(d, 'packets')))];

/** A build made once per run by tests/global-setup.ts, to be read and never changed. */
export interface SharedBuild {
  /** The output folder. */
  out: string;
  /** What the build printed on standard error (its warnings). */
  stderr: string;
  seconds: number;
  /** The build cache it filled, if it was built with one. */
  cache?: string;
}

/**
 * The run's shared build of `name`: the repository's sources with the kitchen sink, or the
 * corpus (tests/fixtures/corpus and its folders with packets), each in every format.
 */
export function sharedBuild(name: 'repository' | 'corpus'): SharedBuild {
  return inject('builds')[name];
}

/** The shared build's English paper and kitchen sink in `format`, with its output folder. */
export function paperAndSink(format: string): { out: string; paper: string; sink: string } {
  const { out } = sharedBuild('repository');
  return {
    out,
    paper: path.join(out, `china-lac-policy/china-lac-policy.en.${format}`),
    sink: path.join(out, `kitchen-sink/kitchen-sink.en.${format}`),
  };
}

/** The shared build of the repository's sources (in every format), with every document's model. */
export async function repositoryBuild(): Promise<{ out: string; models: DocumentModel[] }> {
  return { out: sharedBuild('repository').out, models: typeset(await loadDocuments([SOURCE], new Report())) };
}

/** `models` with the typography a build gives them (curly quotes by language), as the outputs print them. */
export function typeset<T extends DocumentModel[]>(models: T): T {
  typesetModels(models, new Templates());
  return models;
}

/** Every file under `dir`, by its path there, with its bytes. */
export function filesUnder(dir: string): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const file = path.join(e.parentPath, e.name);
    if (e.isFile()) found.set(path.relative(dir, file), readFileSync(file));
  }
  return found;
}

/** Every file under `dir` with its hash, to prove a folder was left exactly as it was. */
export function folderHashes(dir: string): Record<string, string> {
  return Object.fromEntries([...filesUnder(dir)].map(([file, data]) => [file, createHash('sha256').update(data).digest('hex')]));
}
