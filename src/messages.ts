/**
 * One place for rule ids, the shape of a message and its `file:line:col` format.
 * Every stage reports problems as Diagnostics; only the CLI prints them.
 */
import path from 'node:path';

/** Rule ids, each with the one-line meaning shown by `editions check --rules`. */
export const RULES = {
  'source-missing': 'a SOURCE path does not exist or holds no document',
  'source-layout': 'a document folder is not laid out as the tool expects',
  'front-matter-yaml': 'the front matter is not valid YAML',
  'front-matter-schema': 'a front-matter key is unknown, missing or of the wrong type',
  'config-yaml': 'the project config file is not valid YAML',
  'config-schema': 'a project config key is unknown, missing or of the wrong type',
  'config-content': 'a project config value names nothing, names a thing twice, or names a language no document has',
  'name-collision': 'two documents or two packets have one name, or a document takes a name of the output folder (packets, index.html, manifest.json)',
  'heading-level': 'a heading skips a level (it is set one level below its parent)',
  'empty-heading': 'a heading has no text',
  'nesting-depth': 'block quotes and lists nest deeper than the editions can set (100 levels)',
  'numbering-sequence': 'a numbered heading breaks its sequence (gap, repeat or wrong style)',
  'duplicate-id': 'two sections or blocks would get the same stable ID',
  'empty-section': 'a section has neither text nor subsections',
  'broken-link': 'an internal link points at an ID that does not exist',
  'unsupported-content': 'content that the editions cannot render (for example raw HTML)',
  'editorial-repair': 'an editorial repair names a block that does not exist',
  image: 'an image is missing, unreadable, not PNG or JPEG, not a local file, or has no alternative text',
  'translation-structure': 'a translation does not mirror its original (a heading or block at another level, of another kind, extra, moved, or naming a section that does not exist)',
  'translation-stale': 'a translated block was made from an older text of the original',
  'translation-missing': 'blocks or sections of the original have no translation (one message per run of them)',
  'translation-incomplete': 'a translation leaves text untranslated: it has no single-language edition, and the original stands first in its bilingual one',
  'template-missing': 'a template file cannot be found',
  'template-syntax': 'a template does not compile',
  'template-missing-variable': 'a template uses a variable that is not defined',
  'template-unused': 'a file in a template folder replaces no built-in template',
  'template-output': 'the templates produced output that is not well-formed XHTML',
  'i18n-missing': 'a UI string is missing for a language',
  'output-folder': 'the output folder cannot be replaced safely',
  theme: 'a print theme value is unknown, missing or out of range, or a font file cannot be used',
  'missing-glyph': 'a character has no glyph in the font that prints it',
  'cli-usage': 'the command line is not understood',
  'packet-yaml': 'a briefing packet file is not valid YAML',
  'packet-schema': 'a briefing packet key is unknown, missing or of the wrong type',
  'packet-content': 'a briefing packet names a document, section, language or glossary term that does not exist',
} as const;

export type RuleId = keyof typeof RULES;
export type Severity = 'error' | 'warning';

/** A 1-based line and column, as editors show them. */
export interface Point {
  line: number;
  column: number;
}

export interface Diagnostic {
  severity: Severity;
  ruleId: RuleId;
  message: string;
  /** Absolute path of the file the problem is in, when there is one. */
  file?: string;
  place?: Point;
  /** What to try next. */
  hint?: string;
}

/** Collects diagnostics across stages; a stage adds, the CLI prints. */
export class Report {
  readonly diagnostics: Diagnostic[] = [];

  add(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  error(ruleId: RuleId, message: string, at: Omit<Diagnostic, 'severity' | 'ruleId' | 'message'> = {}): void {
    this.add({ severity: 'error', ruleId, message, ...at });
  }

  warning(ruleId: RuleId, message: string, at: Omit<Diagnostic, 'severity' | 'ruleId' | 'message'> = {}): void {
    this.add({ severity: 'warning', ruleId, message, ...at });
  }

  get errorCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'error').length;
  }

  get warningCount(): number {
    return this.diagnostics.filter((d) => d.severity === 'warning').length;
  }
}

/**
 * A problem that stops the current command. It carries diagnostics rather than a stack:
 * the CLI prints them and exits 1.
 */
export class EditionsError extends Error {
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic | Diagnostic[]) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics];
    super(list.map((d) => d.message).join('; '));
    this.name = 'EditionsError';
    this.diagnostics = list;
  }
}

/** A command line that is not understood (cli-usage): the command exits 2, where other errors exit 1. */
export class UsageError extends EditionsError {
  constructor(message: string, hint: string) {
    super({ severity: 'error', ruleId: 'cli-usage', message, hint });
    this.name = 'UsageError';
  }
}

export function usage(message: string, hint: string): never {
  throw new UsageError(message, hint);
}

/** Shorthand for throwing a single error diagnostic. */
export function fail(ruleId: RuleId, message: string, at: Omit<Diagnostic, 'severity' | 'ruleId' | 'message'> = {}): never {
  throw new EditionsError({ severity: 'error', ruleId, message, ...at });
}

/** A file as messages name it: relative to the current folder when inside it, else absolute. */
export function shownPath(file: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** `source/x/paper.en.md:12:1: error: message [rule-id]`, then the hint on its own line. */
export function formatDiagnostic(d: Diagnostic, cwd = process.cwd()): string {
  let where = '';
  if (d.file) {
    where = shownPath(d.file, cwd);
    if (d.place) where += `:${d.place.line}:${d.place.column}`;
    where += ': ';
  }
  const head = `${where}${d.severity}: ${d.message} [${d.ruleId}]`;
  return d.hint ? `${head}\n  hint: ${d.hint}` : head;
}

/** Diagnostics in reading order: by file, then line, then column. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      (a.file ?? '').localeCompare(b.file ?? '') ||
      (a.place?.line ?? 0) - (b.place?.line ?? 0) ||
      (a.place?.column ?? 0) - (b.place?.column ?? 0),
  );
}

/** The closest candidates to a mistyped name, for hints ("did you mean ...?"). */
export function closest(name: string, candidates: readonly string[], max = 3): string[] {
  const scored = candidates
    .map((c) => ({ c, d: editDistance(name.toLowerCase(), c.toLowerCase()) }))
    .filter(({ c, d }) => d <= Math.max(2, Math.floor(c.length / 3)))
    .sort((a, b) => a.d - b.d || a.c.localeCompare(b.c));
  return scored.slice(0, max).map(({ c }) => c);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
