/**
 * Characters that no edition can carry, found where they are written. XML 1.0 forbids the C0
 * controls but tab and line ends, halves of surrogate pairs, U+FFFE and U+FFFF: an HTML page,
 * an EPUB or a DOCX holding one is not well-formed (LibreOffice will not open the DOCX). The
 * code points that Unicode reserves as non-characters (U+FDD0-U+FDEF, and the last two of every
 * plane) are not text either, and HTML also counts DEL and the C1 controls (U+007F-U+009F) as
 * control characters it refuses. No print font has a glyph for any of them (nor for U+FFFD).
 *
 * In a source (a document's Markdown and front matter, a packet, a termbase) each one is a
 * warning at its line and column, and the text is set without it in every format: a vertical
 * tab (Word's line break) and a form feed (a page break) become a space, as they stand between
 * words; every other one is left out. In a template, the UI strings, the theme or the config,
 * which the build's look depends on, it is an error.
 */
import type { Diagnostic, Point, Report, Severity } from '../messages.js';

/** What XML 1.0 forbids, the non-characters, DEL and the C1 controls. */
const INVALID = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\p{Cs}\p{Noncharacter_Code_Point}]/gu;
/** The same, without the global flag's state: for a yes or no. */
const ANY_INVALID = new RegExp(INVALID.source, 'u');
/** Whitespace controls: they separate words, so they become a space. */
const AS_SPACE = /[\x0B\x0C]/;
/** Per file: beyond this many, one message counts the rest. */
const MAX_REPORTED = 10;

export function hasInvalidCharacters(text: string): boolean {
  return ANY_INVALID.test(text);
}

/** The distinct invalid characters of `text`, in order. */
export function invalidCharactersIn(text: string): string[] {
  return [...new Set(text.match(INVALID) ?? [])];
}

/** `text` without its invalid characters (whitespace controls as spaces). */
export function withoutInvalidCharacters(text: string): string {
  return text.replace(INVALID, (c) => (AS_SPACE.test(c) ? ' ' : ''));
}

/** "U+001B (a control character)" */
export function describeCharacter(c: string): string {
  const code = c.codePointAt(0)!;
  const name = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code >= 0xd800 && code <= 0xdfff) return `${name} (half of a surrogate pair, alone)`;
  if (code <= 0x9f) return `${name} (a control character)`;
  return `${name} (a code point that is not a character)`;
}

export interface CharacterSource {
  file: string;
  /** Where `text` starts in the file (1-based line of its first line). */
  firstLine?: number;
  severity: Severity;
  /** What the text is, for the hint: "the source", "the template". */
  what?: string;
}

/**
 * The problems of every invalid character in `text`, each at its line and column (up to ten,
 * then one that counts the rest), and the text without them.
 */
export function findInvalidCharacters(text: string, src: CharacterSource): { text: string; diagnostics: Diagnostic[] } {
  if (!hasInvalidCharacters(text)) return { text, diagnostics: [] };
  const found: { c: string; place: Point }[] = [];
  let line = src.firstLine ?? 1;
  let lineStart = 0;
  let scanned = 0;
  for (const m of text.matchAll(INVALID)) {
    const at = m.index;
    for (let i = scanned; i < at; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        lineStart = i + 1;
      }
    }
    scanned = at;
    found.push({ c: m[0], place: { line, column: at - lineStart + 1 } });
  }
  // Ten, and one message for the rest when that saves two or more.
  const shown = found.length > MAX_REPORTED + 1 ? found.slice(0, MAX_REPORTED) : found;
  const diagnostics = shown.map(
    ({ c, place }): Diagnostic => ({
      severity: src.severity,
      ruleId: 'invalid-character',
      message: `${describeCharacter(c)} cannot be set in any edition${src.severity === 'warning' ? `: it is ${AS_SPACE.test(c) ? 'set as a space' : 'left out'}` : ''}`,
      file: src.file,
      place,
      hint: hintFor(src),
    }),
  );
  if (shown.length < found.length) {
    diagnostics.push({
      severity: src.severity,
      ruleId: 'invalid-character',
      message: `${found.length - shown.length} more such characters from here on${src.severity === 'warning' ? ' are left out (or set as spaces) too' : ''}`,
      file: src.file,
      place: found[shown.length]!.place,
      hint: hintFor(src),
    });
  }
  return { text: withoutInvalidCharacters(text), diagnostics };
}

/** Reports the invalid characters of `text` and returns it without them. */
export function cleanText(text: string, src: CharacterSource, report: Report): string {
  const found = findInvalidCharacters(text, src);
  for (const d of found.diagnostics) report.add(d);
  return found.text;
}

function hintFor(src: CharacterSource): string {
  return `delete it from ${src.what ?? 'the file'}, or write the character that was meant (text copied from a word processor or a terminal often brings invisible control characters)`;
}
