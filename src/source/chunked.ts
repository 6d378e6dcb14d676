/**
 * A large source parsed a part at a time, into the tree one parse of the whole would give.
 *
 * micromark holds every event of the text it parses until the tree is built: for a 19 MB source
 * about 1.2 GB at once, in a parse that took 16 of the HTML edition's 25 seconds (its events are
 * spliced in arrays as long as the document, so it also grew faster than the text). Parsed in
 * parts of about CHUNK_CHARS, the events of one part are alive at a time, and the parts' trees
 * are joined, their positions moved to where each part starts.
 *
 * A part ends before a line that starts an ATX heading at the left margin after a blank line.
 * Such a line closes every open block (a list, a quote, a footnote, a table, a paragraph; a
 * heading is never a lazy continuation), except the two that may run over blank lines until a
 * marker of their own: a fenced code block and an HTML block (`<pre>`, `<!--` ...) written at
 * the top level. An unclosed one of those ends its part, so a part whose last block is code or
 * HTML is not cut there. Front matter is always in the first part.
 *
 * What a parse shares across the whole text is which link labels and footnote labels are
 * defined (`[x]` is a link only if some `[x]: url` exists, before or after it). Each part's
 * parser is told every label that the text seems to define, read from the lines themselves;
 * once the parts are parsed, those labels must be exactly the ones their trees define, or the
 * text is parsed whole after all (a definition inside a quote, or a line that looks like one
 * inside code, takes that way). A text with CR line ends or a byte order mark is parsed whole.
 */
import type { Nodes, Root } from 'mdast';
import type { Processor } from 'unified';

/** About how long a part is (UTF-16 code units). */
export const CHUNK_CHARS = 256 * 1024;

/** How many parts the last parse took (1: parsed whole), for the tests. */
export let lastParts = 0;

/** The labels every part's parser starts with; set for the duration of one part's parse. */
let seeds: { links: readonly string[]; notes: readonly string[] } | undefined;
const seeded = new WeakSet<object>();

interface ParseContext {
  defined: string[];
  gfmFootnotes?: string[];
}

/**
 * A micromark construct that never matches: tried at the start of a parse's first line, it adds the seeds to the parser's defined labels, before any inline text is read (the
 * inline text of a parse is tokenized after all its blocks). It declines every time, so the
 * blocks parse as they would without it.
 */
const seed = {
  tokenize(this: { parser: ParseContext }, _effects: unknown, _ok: unknown, nok: (code: number | null) => unknown) {
    const { parser } = this;
    if (seeds && !seeded.has(parser)) {
      seeded.add(parser);
      parser.defined.push(...seeds.links);
      parser.gfmFootnotes = [...(parser.gfmFootnotes ?? []), ...seeds.notes];
    }
    return nok;
  },
};
/** Tried at every line's start (document) and block's start (flow), on any character (the `null` key). */
export const seedDefinitions = { document: { null: seed }, flow: { null: seed } };

/** micromark's normalizeIdentifier (micromark-util-normalize-identifier), which its defined labels are keyed by. */
function normalizeIdentifier(value: string): string {
  return value
    .replace(/[\t\n\r ]+/g, ' ')
    .replace(/^ | $/g, '')
    .toLowerCase()
    .toUpperCase();
}

/** Lines that look like a link definition or a footnote definition: `[x]: ...`, `[^x]: ...`. */
const LINK_DEFINITION = /^ {0,3}\[((?:[^\\\[\]]|\\.)+)\]:/gm;
const NOTE_DEFINITION = /^ {0,3}\[\^([^\s\]]+)\]:/gm;
/** An ATX heading at the left margin after a blank line: where a part may end. */
const BREAK = /\n[ \t]*\n(?=#{1,6}(?:[ \t\n]|$))/g;

/**
 * `text` parsed by `whole` (a processor of remark-parse and its extensions), a part at a time by
 * `parts` (the same processor with seedDefinitions) when it is long enough to have parts.
 */
export function parseInParts(text: string, whole: Processor<Root>, parts: Processor<Root>, chunk = CHUNK_CHARS): Root {
  lastParts = 1;
  if (text.length <= chunk || text.includes('\r') || text.startsWith('\uFEFF')) return whole.parse(text);
  const body = frontMatterEnd(text);
  if (body === undefined) return whole.parse(text);
  const breaks = breaksIn(text, body);
  if (breaks.length === 0) return whole.parse(text);

  const links = [...new Set([...text.matchAll(LINK_DEFINITION)].map((m) => normalizeIdentifier(m[1]!)))].filter((l) => l !== '' && !l.startsWith('^'));
  const notes = [...new Set([...text.matchAll(NOTE_DEFINITION)].map((m) => normalizeIdentifier(m[1]!)))];
  const found = { links: new Set<string>(), notes: new Set<string>() };
  const root: Root = { type: 'root', children: [] };
  let start = 0;
  let line = 1;
  let next = 0;
  let first: Root | undefined;
  let last: Root | undefined;
  let count = 0;
  seeds = { links, notes };
  try {
    while (start < text.length) {
      // The first break at least a part's length on, or the end.
      let want = start + chunk;
      let tree: Root;
      let end: number;
      for (;;) {
        while (next < breaks.length && breaks[next]! < want) next++;
        end = next < breaks.length ? breaks[next]! : text.length;
        const part = text.slice(start, end);
        tree = parts.parse(part);
        if (end === text.length || !mayRunOn(tree, part)) break;
        // Code or HTML may run on past the break: the part goes on, twice as long, so that a
        // block that never closes costs the text's length, not its square.
        want = start + 2 * (end - start);
      }
      if (start > 0) shift(tree, line - 1, start);
      collectDefinitions(tree, found);
      first ??= tree;
      last = tree;
      for (const child of tree.children) root.children.push(child);
      count++;
      for (let i = text.indexOf('\n', start); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) line++;
      start = end;
    }
  } finally {
    seeds = undefined;
  }
  if (!sameLabels(links, found.links) || !sameLabels(notes, found.notes)) return whole.parse(text);
  lastParts = count;
  if (first?.position && last?.position) root.position = { start: first.position.start, end: last.position.end };
  return root;
}

/**
 * Whether the last block of a part may be one that a parse of the whole text would carry on past
 * the part's end: HTML, or a fenced code block without its closing fence (code indented is closed
 * by any line at the margin).
 */
function mayRunOn(tree: Root, part: string): boolean {
  const tail = tree.children.at(-1);
  if (tail?.type === 'html') return true;
  if (tail?.type !== 'code' || tail.position?.start.offset === undefined || tail.position.end.offset === undefined) return false;
  const lines = part.slice(tail.position.start.offset, tail.position.end.offset).split('\n');
  const open = /^ {0,3}(`{3,}|~{3,})/.exec(lines[0]!);
  if (!open) return false;
  const fence = open[1]!;
  const close = lines.length > 1 ? /^ {0,3}(`+|~+)[ \t]*$/.exec(lines.at(-1)!) : null;
  return !(close && close[1]![0] === fence[0] && close[1]!.length >= fence.length);
}

/** Where the text after the front matter starts: 0 without front matter, undefined when it does not close. */
function frontMatterEnd(text: string): number | undefined {
  const open = /^---[ \t]*\n/.exec(text);
  if (!open) return 0;
  const close = /\n---[ \t]*(?:\n|$)/g;
  close.lastIndex = open[0].length - 1;
  const m = close.exec(text);
  return m ? m.index + m[0].length : undefined;
}

/** The offsets of the heading lines a part may end before, after `from`. */
function breaksIn(text: string, from: number): number[] {
  const breaks: number[] = [];
  BREAK.lastIndex = from;
  for (let m = BREAK.exec(text); m; m = BREAK.exec(text)) breaks.push(m.index + m[0].length);
  return breaks;
}

/** Moves every position under `node` down `lines` lines and on `offset` characters (a part starts at a line's start). */
function shift(node: Nodes, lines: number, offset: number): void {
  const p = node.position;
  if (p) {
    p.start.line += lines;
    if (p.start.offset !== undefined) p.start.offset += offset;
    p.end.line += lines;
    if (p.end.offset !== undefined) p.end.offset += offset;
  }
  if ('children' in node) for (const child of node.children) shift(child, lines, offset);
}

/** The labels `tree` defines, as micromark keys them. */
function collectDefinitions(node: Nodes, found: { links: Set<string>; notes: Set<string> }): void {
  // mdast's identifier is micromark's key in lower case (its label is the text decoded).
  if (node.type === 'definition') found.links.add(node.identifier);
  else if (node.type === 'footnoteDefinition') found.notes.add(node.identifier);
  if ('children' in node) for (const child of node.children) collectDefinitions(child, found);
}

function sameLabels(seeded: readonly string[], found: ReadonlySet<string>): boolean {
  const keys = new Set(seeded.map((l) => l.toLowerCase()));
  return keys.size === found.size && [...keys].every((l) => found.has(l));
}
