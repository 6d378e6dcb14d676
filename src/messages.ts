/**
 * One place for rule ids, the shape of a message and its `file:line:col` format.
 * Every stage reports problems as Diagnostics; only the CLI prints them.
 */
import path from 'node:path';
import { byCodePoint } from './shared/order.js';

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
  'empty-heading': 'a heading has no text (it is left out)',
  'nesting-depth': 'block quotes and lists nest deeper than the editions can set (100 levels)',
  'numbering-sequence': 'a numbered heading breaks its sequence (gap, repeat or wrong style)',
  'duplicate-id': 'two sections or blocks would get the same stable ID (an unnumbered heading\'s is made unique)',
  'empty-section': 'a section has neither text nor subsections',
  'broken-link': 'an internal link points at an ID that does not exist (its text is kept, unlinked)',
  'unsupported-content': 'content that the editions cannot render (for example raw HTML)',
  'editorial-repair': 'an editorial repair names a block that does not exist',
  'short-heading': 'a short heading (front matter short-headings) names a section that does not exist',
  'table-header': 'a table has no header row: every cell of its first row is empty (no edition calls it a header)',
  image: 'an image is missing, unreadable, not PNG or JPEG, or not a local file (its alternative text is set instead), or has no alternative text',
  'translation-structure': 'a translation does not mirror its original (a heading or block at another level, of another kind, extra, moved, or naming a section that does not exist)',
  'translation-stale': 'a translated block was made from an older text of the original',
  'translation-missing': 'blocks or sections of the original have no translation (one message per run of them)',
  'translation-renumbered': 'the original has been renumbered or has moved text since the translation was accepted: the translation follows it by its record, but its own heading number or place is behind',
  'translation-orphan': "a translated heading or block was made from a text the original no longer has (it pairs with nothing, and the bilingual editions leave it out)",
  'renumbered-id': 'a briefing packet, a link of the original or an editorial repair names a section or block by an ID the original has since renumbered (given to another, or taken away)',
  'translation-incomplete': 'a translation leaves text untranslated: it has no single-language edition, and the original stands first in its bilingual one',
  'template-missing': 'a template file cannot be found',
  'template-syntax': 'a template does not compile',
  'template-missing-variable': 'a template uses a variable that is not defined',
  'template-unused': 'a file in a template folder replaces no built-in template',
  'template-output': 'the templates produced output that is not well-formed XHTML',
  'i18n-missing': 'a UI string is missing for a language',
  'i18n-quotes': 'the house quotes of a language are not four or six characters',
  'output-folder': 'the output folder cannot be replaced safely',
  theme: 'a print theme value is unknown, missing or out of range, or a font file cannot be used',
  'missing-glyph': 'a character has no glyph in the font that prints it',
  'cli-usage': 'the command line is not understood (exit status 2)',
  'init-exists': 'editions init would overwrite a file that exists (it writes nothing)',
  watch: 'editions watch cannot serve its preview (the port is taken), or a folder or file it watches is gone',
  environment: 'an environment variable has a value the build cannot use (SOURCE_DATE_EPOCH)',
  'file-read': 'a file the build reads cannot be read: missing, a folder or a FIFO where a file should be, unreadable, too large',
  'file-write': 'an output cannot be written: a read-only or full disk, no permission, too many open files',
  'invalid-character': 'a character that no edition can carry (a control character, a code point that is not a character, half a surrogate pair)',
  'i18n-yaml': 'a UI strings file is not valid YAML, or a value in it is not text',
  'translation-record': 'a translation record (paper.<language>.sources.yaml) is not valid YAML or not of its shape',
  'packet-yaml': 'a briefing packet file is not valid YAML',
  'packet-schema': 'a briefing packet key is unknown, missing or of the wrong type',
  shard: 'the shards given to merge are not the parts of one build of these sources (another count, other sources, one missing or repeated), or a file of a shard is not the one its manifest lists',
  cache: 'a build cache entry is not one this build wrote (corrupt, cut short, of another tool), or the cache folder cannot be written: the output is rendered, the build goes on',
  xliff: 'an XLIFF file to import is not well-formed, has a DOCTYPE or an unknown entity, is from another document, language or version, repeats a unit, or breaks an inline code; or a unit cannot be imported (its original has changed since the export)',
  'packet-content': 'a briefing packet names a document, section, language or glossary term that does not exist',
  'term-consistency': 'a translated block does not use the termbase\'s established translation of a term its original uses',
  'termbase-tbx': 'a TBX file to import is not well-formed, declares a DOCTYPE or entities, names a language the document has not, or lists a concept twice',
  'pdf-audit': 'editions audit cannot check a PDF: qpdf is not installed, or qpdf or pdfjs cannot read the file',
  'pdf-struct-tree': '(audit) the structure tree is missing or incomplete, or the ParentTree does not map content back to it',
  'pdf-tagged-content': '(audit) content is neither tagged nor an artifact, or an artifact and tagged content nest in each other',
  'pdf-headings': '(audit) the first heading is not H1, heading levels are skipped going down, or H and Hn are mixed',
  'pdf-structure-syntax': '(audit) a table, list or table of contents is not built as ISO 32000-1 says (which element in which)',
  'pdf-figure-alt': '(audit) a Figure or Formula has no alternative text',
  'pdf-table-scope': '(audit) a TH has no Scope in a table without Headers attributes',
  'pdf-lang': '(audit) the document has no language, a Lang is not a language tag, or text is of a script its Lang cannot be',
  'pdf-link-annots': '(audit) a Link annotation is not in a Link element, or has no Contents',
  'pdf-bookmarks': '(audit) the document has no outline (bookmarks), or an item has no title or destination',
  'pdf-fonts': '(audit) a font is not embedded, or has no ToUnicode map',
  'pdf-text-as-image': '(audit) an image is painted outside a Figure or Artifact, or a page of text has no extractable text',
  'pdf-title': '(audit) no XMP metadata, no dc:title, or DisplayDocTitle is not true',
  'pdf-role-map': '(audit) a structure type maps to no standard type, the role map has a cycle, or a standard type is remapped',
  'pdf-tab-order': '(audit) a page with annotations has no /Tabs /S',
  'pdf-ua-identifier': '(audit) the XMP metadata does not declare PDF/UA-1 (pdfuaid:part 1)',
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

/**
 * Warnings that an edition survives (the build goes on and says what it left out or changed) but
 * that a release should not ship with: `--strict` makes them errors, as CI should run.
 */
export const STRICT_RULES: ReadonlySet<RuleId> = new Set(['image', 'broken-link', 'duplicate-id', 'empty-heading']);

/** Collects diagnostics across stages; a stage adds, the CLI prints. */
export class Report {
  readonly diagnostics: Diagnostic[] = [];

  /** Under `strict`, a warning of one of STRICT_RULES is recorded as an error. */
  constructor(readonly options: { strict?: boolean } = {}) {}

  add(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  error(ruleId: RuleId, message: string, at: Omit<Diagnostic, 'severity' | 'ruleId' | 'message'> = {}): void {
    this.add({ severity: 'error', ruleId, message, ...at });
  }

  warning(ruleId: RuleId, message: string, at: Omit<Diagnostic, 'severity' | 'ruleId' | 'message'> = {}): void {
    this.add({ severity: this.options.strict && STRICT_RULES.has(ruleId) ? 'error' : 'warning', ruleId, message, ...at });
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

/**
 * `source/x/paper.en.md:12:1: error: message [rule-id]`, then the hint on its own line. What the
 * sources put in a message (a heading, a file name) is shown with its control characters escaped:
 * a terminal would run an escape sequence (ESC [ 2 J clears the screen), and a line break or a
 * bidirectional override would make one message look like another.
 */
export function formatDiagnostic(d: Diagnostic, cwd = process.cwd()): string {
  let where = '';
  if (d.file) {
    where = escapeControls(shownPath(d.file, cwd));
    if (d.place) where += `:${d.place.line}:${d.place.column}`;
    where += ': ';
  }
  const head = `${where}${d.severity}: ${escapeControls(d.message)} [${d.ruleId}]`;
  return d.hint ? `${head}\n  hint: ${escapeControls(d.hint)}` : head;
}

/**
 * Characters that are not safe to print to a terminal or a CI log, each written as an escape:
 * C0 and C1 controls and DEL (`\x1B`, tab and line ends as `\t`, `\n`, `\r`), the line and
 * paragraph separators, the bidirectional controls (U+202E would print what follows backwards)
 * and halves of surrogate pairs (`\uD800`).
 */
const UNPRINTABLE = /[\0-\x1F\x7F-\x9F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]|\p{Cs}/gu;
const NAMED: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function escapeControls(s: string): string {
  return s.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).toUpperCase().padStart(2, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`);
  });
}

/** Diagnostics in reading order: by file, then line, then column. */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      byCodePoint(a.file ?? '', b.file ?? '') ||
      (a.place?.line ?? 0) - (b.place?.line ?? 0) ||
      (a.place?.column ?? 0) - (b.place?.column ?? 0),
  );
}

/** The closest candidates to a mistyped name, for hints ("did you mean ...?"). */
export function closest(name: string, candidates: readonly string[], max = 3): string[] {
  const scored = candidates
    .map((c) => ({ c, d: editDistance(name.toLowerCase(), c.toLowerCase()) }))
    .filter(({ c, d }) => d <= Math.max(2, Math.floor(c.length / 3)))
    .sort((a, b) => a.d - b.d || byCodePoint(a.c, b.c));
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
