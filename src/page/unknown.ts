/**
 * mdast nodes that no HTML handler knows (a plugin's node type, or one a later stage of the
 * model makes) are reported where they stand in the source, never dropped silently; their text
 * is kept as plain text so the reader still has the words.
 */
import type { ElementContent } from 'hast';
import type { Nodes } from 'mdast';
import type { Handler } from 'mdast-util-to-hast';
import type { Diagnostic } from '../messages.js';

/** Receives the warning for one unknown node. */
export type ReportUnknown = (warning: Diagnostic) => void;

/**
 * The `unknownHandler` for the text of `file`: it reports the node (`unsupported-content`, with
 * its position) and keeps its children's rendering, or its literal value as text.
 */
export function unknownNodeHandler(file: string, report: ReportUnknown): Handler {
  return (state, node: Nodes): ElementContent | ElementContent[] | undefined => {
    const kept = 'children' in node ? 'only what it contains is kept' : 'value' in node ? 'its text is kept as plain text' : 'it is left out';
    report({
      severity: 'warning',
      ruleId: 'unsupported-content',
      message: `"${node.type}" content has no HTML rendering; ${kept}`,
      file,
      ...(node.position && { place: { line: node.position.start.line, column: node.position.start.column } }),
      hint: 'write it in Markdown the editions render (CommonMark with GFM tables, footnotes and task lists)',
    });
    if ('children' in node) return state.all(node);
    if ('value' in node && typeof node.value === 'string') return { type: 'text', value: node.value };
    return undefined;
  };
}
