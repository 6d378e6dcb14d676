/**
 * A translator's placeholder for a block not translated yet: a paragraph whose whole text is
 * `{.untranslated}` (also as a list item, `- {.untranslated}`, or quoted). It holds the place of
 * the original's block there, so the blocks after it keep their pairing by position; the block
 * is then missing like one left out at the end of a section.
 */
import type { Nodes, Parent, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import type { DocumentModel } from './types.js';

const PLACEHOLDER = '{.untranslated}';

/**
 * Takes the placeholders out of a translation's blocks and text, once the blocks are numbered
 * (the IDs after a placeholder count it), and keeps them in `placeholders` for the messages:
 * nothing prints one, and the block it stands for is one the translation lacks.
 */
export function dropPlaceholders(translation: DocumentModel): void {
  const placeholders = translation.blocks.filter((b) => b.node.type === 'paragraph' && toString(b.node).trim() === PLACEHOLDER);
  if (placeholders.length === 0) return;
  const held = new Set<Nodes>(placeholders.map((b) => b.node));
  translation.placeholders = new Map(placeholders.map((b) => [b.id, b]));
  translation.blocks = translation.blocks.filter((b) => !held.has(b.node));
  for (const section of translation.allSections) section.content = without(section.content, held);
}

/** `nodes` without the placeholders, and without the list items, quotes and lists left empty. */
function without(nodes: RootContent[], held: Set<Nodes>): RootContent[] {
  return nodes.flatMap((node): RootContent[] => {
    if (held.has(node)) return [];
    if (node.type !== 'list' && node.type !== 'listItem' && node.type !== 'blockquote') return [node];
    const children = without((node as Parent).children as RootContent[], held);
    if (children.length === 0) return [];
    (node as Parent).children = children as Parent['children'];
    return [node];
  });
}
