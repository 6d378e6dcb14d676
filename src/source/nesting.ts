/**
 * How deep block quotes and lists may nest. Parsing, the model and the renderers walk the tree
 * recursively; past a few thousand levels JavaScript's stack runs out. A text is refused at a
 * documented depth, with its place, long before that.
 */
import type { Nodes, Root } from 'mdast';
import type { Point } from '../messages.js';

/** The deepest nesting of block quotes and lists a source may have (markdown-it's default limit). */
export const MAX_NESTING = 100;

/**
 * Where a line first nests deeper than the parser can safely follow, read from the line
 * prefixes alone (before parsing): each `>` and list marker counts a level, and so do every two
 * columns of indentation. It overestimates, so its limit is four times the model's: a text it
 * stops would be refused after parsing too.
 */
export function tooDeepToParse(text: string): { lineStart: number; place: Point } | undefined {
  const limit = 4 * MAX_NESTING;
  let offset = 0;
  let line = 1;
  for (const raw of text.split('\n')) {
    let depth = 0;
    let i = 0;
    // Where the line passes MAX_NESTING: the place the message names.
    let over = 0;
    for (;;) {
      const start = i;
      while (raw[i] === ' ' || raw[i] === '\t') i++;
      depth += Math.floor((i - start) / 2);
      const marker = /^(?:>|[-*+](?=[ \t])|\d{1,9}[.)](?=[ \t]))/.exec(raw.slice(i));
      if (!marker) break;
      depth += 1;
      if (depth > MAX_NESTING && over === 0) over = i + 1;
      i += marker[0].length;
      if (depth > limit) return { lineStart: offset, place: { line, column: over } };
    }
    offset += raw.length + 1;
    line++;
  }
  return undefined;
}

/** The first node (in reading order) that nests deeper than MAX_NESTING block quotes and lists. */
export function firstTooDeep(tree: Root): Nodes | undefined {
  // An explicit stack: this walk must not itself overflow.
  const stack: { node: Nodes; depth: number }[] = [{ node: tree, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    const inner = node.type === 'blockquote' || node.type === 'list' ? depth + 1 : depth;
    if (inner > MAX_NESTING) return node;
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, depth: inner });
  }
  return undefined;
}
