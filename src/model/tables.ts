/** What the editions ask of a table: a header row, the first, with text in it. */
import type { Nodes, TableRow } from 'mdast';
import { toString } from 'mdast-util-to-string';

/**
 * Whether a table's row has neither text nor an image in any cell. GFM gives every table a
 * header row (`|   |   |` over `|---|---|` is one, its cells empty): a table whose first row is
 * this empty has no header row to speak of, and no edition calls it one.
 */
export function emptyRow(row: TableRow): boolean {
  return row.children.every((cell) => toString(cell, { includeImageAlt: false }).trim() === '' && !cell.children.some(hasImage));
}

function hasImage(node: Nodes): boolean {
  return node.type === 'image' || node.type === 'imageReference' || ('children' in node && (node.children as Nodes[]).some(hasImage));
}
