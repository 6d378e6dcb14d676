/**
 * Code blocks in an exchange file: their content is literal text, not Markdown, so a unit
 * carries it as it is (no codes, nothing escaped) and an import writes it back between the
 * block's own fence lines, which stay byte for byte as the file has them (the fence, its info
 * string, its indentation), or in an indented block's indentation. What a translator may not do
 * is end the block early: a line that would close the fence makes the rest of the block Markdown.
 * Whether a block reads back is decided where it stands (in its list item, its quote), as the
 * file's own lines, tabs included, decide it.
 */
import type { Code as CodeBlock, Nodes, Root } from 'mdast';
import { parseMarkdown } from '../source/parse.js';
import { continuation, type Coded } from './inline.js';

/** A code block as a unit's text: its content, one run of text (none when empty); its range the whole block, which an import rewrites. */
export function encodeLiteral(node: CodeBlock): Coded {
  return { parts: node.value === '' ? [] : [node.value], start: node.position!.start.offset!, end: node.position!.end.offset! };
}

/** An opening fence at the start of a block's text: three or more backticks or tildes. */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** A file's text and its tree, whose offsets are the text's. */
interface Parsed {
  text: string;
  tree: Root;
}

/**
 * What a content line of a code block has before its text: `head`, the source line up to where
 * its text starts, and `virtual`, how many columns of the last tab of `head` the text has as
 * spaces (a tab the text's indentation ends inside of counts in part to the container, in part
 * to the text).
 */
interface Prefix {
  head: string;
  virtual: number;
}

/**
 * The Markdown of the code block from `start` to `end` in `source` with its content replaced by
 * `target`, to stand in that range: a fenced block's fence lines kept, each new line with the
 * prefix the block's own content lines have in the file (the container's markers, the fence's
 * indentation, an indented block's four spaces; the tabs as the file has them). An indented block
 * that cannot hold `target` (a first or last line blank, no line at all) is written fenced.
 * Undefined when nothing would read back, in the block's place in the file, as one code block
 * holding exactly `target` (a line of it closes the fence): checked by parsing, not trusted.
 */
export function literalMarkdown(source: Parsed, start: number, end: number, target: string): string | undefined {
  const { text } = source;
  // The block in the context that decides how its lines read: the top-level block around it.
  const top = source.tree.children.find((c) => c.position!.start.offset! <= start && end <= c.position!.end.offset!);
  const node = top && codes(top).find((c) => c.position!.start.offset === start);
  if (!top || !node) return undefined;
  const context = { from: text.lastIndexOf('\n', top.position!.start.offset! - 1) + 1, to: top.position!.end.offset! };
  const readsBack = (md: string): boolean => {
    const at = start - context.from;
    const found = codes(parseMarkdown(text.slice(context.from, start) + md + text.slice(end, context.to))).find((c) => c.position!.start.offset === at);
    return found !== undefined && found.value === target && found.lang === node.lang && found.meta === node.meta && found.position!.end.offset === at + md.length;
  };
  const block = text.slice(start, end);
  const lines = block.split('\n');
  const fence = FENCE.exec(lines[0]!)?.[1];
  const content = target === '' ? [] : target.split('\n');
  const prefix = prefixes(text, node, fence !== undefined);
  const line = (l: string, i: number) => written(l, prefix(i));
  if (fence) {
    const last = lines.length > 1 ? lines.at(-1)! : undefined;
    // A block the end of its container closes has no closing line; its text may end with a line end.
    const closes = last !== undefined && new RegExp(`^[ \\t>]*\\${fence[0]}{${fence.length},}[ \\t]*$`).test(last);
    const closing = closes ? [last] : block.endsWith('\n') && lines.length > 1 ? [''] : [];
    const md = [lines[0]!, ...content.map(line), ...closing].join('\n');
    return readsBack(md) ? md : undefined;
  }
  // An indented block: its text starts at its first line's indentation, the line's container markers before it.
  const before = text.slice(text.lastIndexOf('\n', start - 1) + 1, start);
  const indented = content.map(line).join('\n');
  if (indented.startsWith(before) && readsBack(indented.slice(before.length))) return indented.slice(before.length);
  // Fenced, in the container's continuation, with a fence no run of backticks of the text closes.
  const cont = continuation(text, start);
  const backticks = '`'.repeat(Math.max(3, ...(target.match(/`+/g) ?? []).map((run) => run.length + 1)));
  const md = [backticks, ...content.map((l) => (l === '' ? cont.trimEnd() : `${cont}${l}`)), `${cont}${backticks}`].join('\n');
  return readsBack(md) ? md : undefined;
}

function codes(node: Nodes): CodeBlock[] {
  return node.type === 'code' ? [node] : 'children' in node ? node.children.flatMap(codes) : [];
}

/**
 * The prefix of the code block's content line `i`, as the file writes it: the line's own when its
 * text is not empty, or else (a blank line, a line past the block's last) the nearest content
 * line's before it, after it; a block with no text takes its fence line's, the markers as spaces.
 */
function prefixes(text: string, node: CodeBlock, fenced: boolean): (i: number) => Prefix {
  const start = node.position!.start.offset!;
  const sourceLines = text.slice(text.lastIndexOf('\n', start - 1) + 1, node.position!.end.offset!).split('\n').slice(fenced ? 1 : 0);
  const own = (node.value === '' ? [] : node.value.split('\n')).map((v, i) => (v === '' ? undefined : prefixOf(sourceLines[i] ?? '', v)));
  const fenceLine: Prefix = { head: continuation(text, start), virtual: 0 };
  return (i) => own[i] ?? own.slice(0, i).findLast((p) => p !== undefined) ?? own.find((p) => p !== undefined) ?? fenceLine;
}

/**
 * The prefix of the source line `line` whose text in the block's value is `value`. The value is
 * the line's end, unless a tab that the block's indentation ends inside of starts it: then the
 * value has that tab's remaining columns as spaces.
 */
function prefixOf(line: string, value: string): Prefix | undefined {
  if (line.endsWith(value)) return { head: line.slice(0, line.length - value.length), virtual: 0 };
  for (let k = 1; value[k - 1] === ' '; k++) if (line.endsWith(`\t${value.slice(k)}`)) return { head: line.slice(0, line.length - value.length + k), virtual: k };
  return undefined;
}

/** A new content line `l` with the prefix `p`: a blank line with the prefix's markers alone (a quote's ">"). */
function written(l: string, p: Prefix): string {
  if (l === '') return p.head.trimEnd();
  // The tab's columns the line starts with as spaces are the tab's, as the file has it.
  if (p.virtual === 0 || l.startsWith(' '.repeat(p.virtual))) return p.head + l.slice(p.virtual);
  // A line that does not start with them: the columns before its text written as spaces up to where the text starts.
  const before = p.head.slice(0, -1);
  return before + ' '.repeat(column(p.head) - p.virtual - column(before)) + l;
}

/** The column a line's text reaches after `s`, a tab to the next multiple of four. */
function column(s: string): number {
  let c = 0;
  for (const ch of s) c = ch === '\t' ? c + 4 - (c % 4) : c + 1;
  return c;
}
