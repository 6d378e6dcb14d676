/**
 * YAML read with positions and checked against a zod schema, so that every problem in front
 * matter or config points at its own line and column.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { closest, type Point, type Report, type RuleId, type Severity } from '../messages.js';
import { describeCharacter, findInvalidCharacters, hasInvalidCharacters, invalidCharactersIn, withoutInvalidCharacters } from './characters.js';

/**
 * How many values aliases may bring in, all told (the yaml library's count): the theme's fonts
 * use a few; a "billion laughs" file, whose aliases nest aliases, would need billions.
 */
export const MAX_ALIAS_COUNT = 100;

export interface YamlSource {
  text: string;
  file: string;
  /** Where the YAML text starts in `file` (1-based line of its first line). */
  firstLine: number;
  report: Report;
  rules: { syntax: RuleId; schema: RuleId };
  /** What the YAML is, for messages: "front matter", "config". */
  what: string;
  /**
   * What a character that no edition can carry is (see characters.ts): a warning in a source,
   * and the value is read without it; an error in the files the look depends on.
   */
  characters?: Severity;
}

export interface CheckedYaml<T> {
  /** Undefined when the YAML or the schema check failed (the report says why). */
  value: T | undefined;
  /** Where a value (or, with `key`, its key) stands in the file. */
  locate(path: readonly (string | number)[], key?: boolean): Point;
}

type PathKey = string | number | symbol;

export function readYaml<S extends z.ZodType>(src: YamlSource, schema: S): CheckedYaml<z.infer<S>> {
  const severity = src.characters ?? 'warning';
  // Characters written as they are, at their place (a front matter's were found with its file's).
  const written = findInvalidCharacters(src.text, { file: src.file, firstLine: src.firstLine, severity, what: `the ${src.what}` });
  for (const d of written.diagnostics) src.report.add(d);
  const lines = new LineCounter();
  // Keys are checked for repeats below, in one pass: the yaml package's own check compares each
  // key with every other, quadratic in a map's size (a translation record of 19,000 entries took
  // 5.4 of an import's 20 s, measured at 100x the paper).
  const doc = parseDocument(written.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  const pointAt = (offset: number): Point => {
    const p = lines.linePos(offset);
    return { line: src.firstLine + p.line - 1, column: p.col };
  };
  const locate = (path: readonly PathKey[], key = false): Point => pointAt(offsetOf(doc, path, key));

  const errors = [...doc.errors.map((e) => ({ message: e.message, pos: e.pos[0] })), ...repeatedKeys(doc)].sort((a, b) => a.pos - b.pos);
  if (errors.length > 0) {
    for (const e of errors) {
      src.report.error(src.rules.syntax, `${src.what} is not valid YAML: ${firstLine(e.message)}`, {
        file: src.file,
        place: pointAt(e.pos),
        hint: 'indent nested keys by two spaces, and quote values that contain ": " or start with a special character',
      });
    }
    return { value: undefined, locate };
  }

  // And those that a double-quoted value writes as an escape ("\\e", "\\x01", "\\uD800").
  cleanScalars(doc, src, severity, pointAt);
  if (!aliasesResolve(doc, src, pointAt)) return { value: undefined, locate };
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? {};
  } catch (e) {
    if (!(e instanceof ReferenceError)) throw e;
    // The aliases bring in more than MAX_ALIAS_COUNT values.
    src.report.error(src.rules.syntax, `${src.what} is not read: its aliases expand to more than ${MAX_ALIAS_COUNT} values`, {
      file: src.file,
      place: pointAt(firstAlias(doc) ?? 0),
      hint: 'write the values out instead of repeating them with aliases (*name); a file whose aliases nest aliases could fill the memory',
    });
    return { value: undefined, locate };
  }
  const result = schema.safeParse(data);
  if (result.success) return { value: result.data, locate };

  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, issue.path);
      for (const k of issue.keys) {
        const near = closest(k, known);
        src.report.error(src.rules.schema, `unknown ${src.what} key "${[...issue.path, k].join('.')}"`, {
          file: src.file,
          place: locate([...issue.path, k], true),
          hint: near.length > 0 ? `did you mean ${near.map((n) => `"${n}"`).join(' or ')}?` : `known keys here: ${known.join(', ')}`,
        });
      }
      continue;
    }
    const present = hasPath(doc, issue.path);
    const name = issue.path.join('.') || '(top level)';
    src.report.error(
      src.rules.schema,
      present ? `${src.what} key "${name}": ${describe(issue, doc.getIn(issue.path as unknown[]))}` : `${src.what} lacks the required key "${name}"`,
      {
        file: src.file,
        place: present ? locate(issue.path) : locate(issue.path.slice(0, -1)),
        hint: hintFor(issue, name),
      },
    );
  }
  return { value: undefined, locate };
}

/** Every string value (and key) without the characters no edition can carry, each reported at its value. */
function cleanScalars(doc: Document, src: YamlSource, severity: Severity, pointAt: (offset: number) => Point): void {
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string' || !hasInvalidCharacters(node.value)) return;
      const found = invalidCharactersIn(node.value);
      src.report.add({
        severity,
        ruleId: 'invalid-character',
        message: `the value holds ${found.slice(0, 3).map(describeCharacter).join(', ')}${found.length > 3 ? ` and ${found.length - 3} more` : ''}, which no edition can set${severity === 'warning' ? ': the value is read without them' : ''}`,
        file: src.file,
        place: pointAt(node.range?.[0] ?? 0),
        hint: `remove the escape (such as \\e, \\x01 or \\uD800) from the ${src.what}, or write the character that was meant`,
      });
      node.value = withoutInvalidCharacters(node.value);
    },
  });
}

/**
 * Whether every alias names an anchor set before it and outside itself (the yaml library throws
 * for the first, and makes a value that contains itself of the second); each that does not is
 * reported at its place.
 */
function aliasesResolve(doc: Document, src: YamlSource, pointAt: (offset: number) => Point): boolean {
  const anchors = new Set<string>();
  let ok = true;
  visit(doc, (_key, node, path) => {
    if (isAlias(node)) {
      const inside = path.some((p) => (p as { anchor?: string }).anchor === node.source);
      if (anchors.has(node.source) && !inside) return;
      ok = false;
      src.report.error(src.rules.syntax, inside ? `the alias *${node.source} stands inside the value it names` : `the alias *${node.source} names no anchor (&${node.source}) before it`, {
        file: src.file,
        place: pointAt(node.range?.[0] ?? 0),
        hint: inside ? 'a value cannot contain itself: write it out' : `set &${node.source} on a value before this, or write the value out`,
      });
      return;
    }
    const anchor = (node as { anchor?: string } | null)?.anchor;
    if (anchor) anchors.add(anchor);
  });
  return ok;
}

function firstAlias(doc: Document): number | undefined {
  let at: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      at = node.range?.[0];
      return visit.BREAK;
    },
  });
  return at;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

function describe(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_format' && issue.format === 'date') return 'expected a date written YYYY-MM-DD';
  if (issue.code === 'invalid_type') return `expected ${issue.expected}`;
  if (issue.code === 'too_big' && issue.origin === 'number') return `${String(value)} is out of range: at most ${issue.maximum}`;
  if (issue.code === 'too_small' && issue.origin === 'number') return `${String(value)} is out of range: at least ${issue.minimum}`;
  return issue.message.replace(/^Invalid input: /, '');
}

function hintFor(issue: z.core.$ZodIssue, name: string): string | undefined {
  if (issue.code === 'custom' && typeof issue.params?.hint === 'string') return issue.params.hint;
  if (issue.code === 'invalid_format' && issue.format === 'date') return `write it as ${name}: 2008-11-05`;
  if (issue.code === 'invalid_type' && issue.expected === 'array') return `write a list, one "- item" a line`;
  if (issue.code === 'invalid_type' && issue.expected === 'string') return 'quote the value if YAML read it as a number, a date or a list';
  return undefined;
}

/** Offset of the node at `path`; the nearest existing ancestor when it is absent. */
function offsetOf(doc: Document, path: readonly PathKey[], key: boolean): number {
  let node: unknown = doc.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === step);
      if (!pair) return offset;
      if (key && i === path.length - 1) return rangeStart(pair.key) ?? offset;
      node = pair.value;
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof step === 'number') {
      node = node.items[step];
      if (node === undefined) return offset;
      offset = rangeStart(node) ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}

function rangeStart(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

function hasPath(doc: Document, path: readonly PathKey[]): boolean {
  return doc.hasIn(path as unknown[]);
}

/** The keys a strict object schema accepts at `path`, for "did you mean" hints. */
function knownKeys(schema: z.ZodType, path: readonly PathKey[]): string[] {
  let s: unknown = schema;
  for (const step of path) {
    s = unwrap(s);
    const def = (s as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } }).def;
    if (def?.type === 'object' && typeof step === 'string') s = def.shape?.[step];
    else if (def?.type === 'array') s = def.element;
    else return [];
  }
  const shape = (unwrap(s) as { def?: { shape?: Record<string, unknown> } }).def?.shape;
  return shape ? Object.keys(shape) : [];
}

function unwrap(s: unknown): unknown {
  let cur = s as { def?: { type?: string; innerType?: unknown } };
  while (cur?.def && (cur.def.type === 'optional' || cur.def.type === 'default' || cur.def.type === 'nullable')) {
    cur = cur.def.innerType as typeof cur;
  }
  return cur;
}

/** A key written twice in one map, as the yaml package words it, at the second one: linear in the map's size. */
function repeatedKeys(doc: Document): { message: string; pos: number }[] {
  const found: { message: string; pos: number }[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = isScalar(pair.key) ? `s:${String(pair.key.value)}` : `n:${String(pair.key)}`;
        if (seen.has(key)) found.push({ message: 'Map keys must be unique', pos: (pair.key as { range?: [number, number, number] } | null)?.range?.[0] ?? 0 });
        seen.add(key);
      }
    },
  });
  return found;
}
