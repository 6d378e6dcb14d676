/**
 * Code blocks in an exchange file: their content is literal text, not Markdown, so a unit
 * carries it as it is (no codes, nothing escaped) and an import writes it back between the
 * block's own fence lines, which stay byte for byte as the file has them (the fence, its info
 * string, its indentation). What a translator may not do is end the block early: a line that
 * would close the fence makes the rest of the block Markdown.
 */
import type { Code as CodeBlock, Nodes } from 'mdast';
import { parseMarkdown } from '../source/parse.js';
import type { Coded } from './inline.js';

/** A code block as a unit's text: its content, one run of text (none when empty); its range the whole block, which an import rewrites. */
export function encodeLiteral(node: CodeBlock): Coded {
  return { parts: node.value === '' ? [] : [node.value], start: node.position!.start.offset!, end: node.position!.end.offset! };
}

/** An opening fence at the start of a block's text: three or more backticks or tildes. */
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * The Markdown of the code block written `block` (its text from where it starts, as a source
 * file has it) with its content replaced by `target`: the fence lines kept, each new line
 * continued with `continuation` (what the block's lines start with in its container: a list
 * item's indentation, a quote's ">"). Undefined when the result would not read back as one code
 * block holding exactly `target` (a line of it closes the fence): checked by parsing, not trusted.
 */
export function literalMarkdown(block: string, target: string, continuation = ''): string | undefined {
  const lines = block.split('\n');
  const fence = FENCE.exec(lines[0]!)?.[1];
  const content = target === '' ? [] : target.split('\n');
  const line = (l: string, i: number) => (l === '' ? continuation.trimEnd() : fence ? `${continuation}${l}` : `${i === 0 ? '' : continuation}    ${l}`);
  let md: string;
  if (fence) {
    const last = lines.length > 1 ? lines.at(-1)! : undefined;
    // A block the end of its container closes has no closing line; its text may end with a line end.
    const closes = last !== undefined && new RegExp(`^[ \\t>]*\\${fence[0]}{${fence.length},}[ \\t]*$`).test(last);
    const closing = closes ? [last] : block.endsWith('\n') && lines.length > 1 ? [''] : [];
    md = [lines[0]!, ...content.map(line), ...closing].join('\n');
  } else {
    // An indented block: its text starts at its first line's indentation.
    md = content.map(line).join('\n');
  }
  return readsAs(`${continuation}${md}`, target, block) ? md : undefined;
}

/** Whether `probe` parses as one code block (in whatever container) holding `value`, with the info string `block` has. */
function readsAs(probe: string, value: string, block: string): boolean {
  const codes = (n: Nodes): CodeBlock[] => (n.type === 'code' ? [n] : 'children' in n ? n.children.flatMap(codes) : []);
  const found = codes(parseMarkdown(probe));
  const was = codes(parseMarkdown(block))[0];
  return found.length === 1 && found[0]!.value === value && found[0]!.lang === (was?.lang ?? null) && found[0]!.meta === (was?.meta ?? null);
}
