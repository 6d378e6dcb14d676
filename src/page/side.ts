/**
 * One side of a bilingual page converted in one pass: every heading and block it shows, in the
 * order the page shows them, with the side's link and image definitions and its footnotes. One
 * pass numbers the notes in reading order and links each mark to its note; the pieces are then
 * taken out by key and set into the pair rows, and the notes are printed after the text.
 */
import type { Element, ElementContent, Root as HastRoot } from 'hast';
import type { Root, RootContent } from 'mdast';
import { toHast, type Handler, type Handlers } from 'mdast-util-to-hast';
import { FOOTNOTE_LABEL, noteLabelId, sideOptions, type Text } from './convert.js';

/** A heading or block of the side, under the key the page asks for it by. */
export interface Piece {
  key: string;
  node: RootContent;
}

/** The mdast node that carries a piece through the conversion (never written out). */
interface PieceNode {
  type: 'piece';
  key: string;
  children: [RootContent];
}

export interface ConvertedSide {
  /** Each piece's element, by key. */
  pieces: Map<string, ElementContent>;
  /** The side's notes (`<section class="footnotes">`), when its pieces reference any. */
  notes: Element | undefined;
}

/** Converts `pieces` (already stripped of their stable IDs, which the pair rows carry) as one text. */
export function convertSide(text: Text, pieces: readonly Piece[]): ConvertedSide {
  const converted = new Map<string, ElementContent>();
  // Each piece is taken out as it is converted; the node itself leaves nothing in the tree.
  const piece: Handler = (state, node: PieceNode) => {
    const result = state.one(node.children[0], node as never);
    const element = (Array.isArray(result) ? result : [result]).find((c): c is Element => c?.type === 'element');
    if (element) converted.set(node.key, element);
    return undefined;
  };
  const root = {
    type: 'root',
    children: [
      ...pieces.map((p): PieceNode => ({ type: 'piece', key: p.key, children: [p.node] })),
      // Definitions and notes are read from the tree, wherever they stand.
      ...text.model.definitions.values(),
      ...text.model.footnotes,
    ],
  } as unknown as Root;
  const options = sideOptions(text);
  const tree = toHast(root, { ...options, handlers: { ...options.handlers, piece } as Handlers }) as HastRoot;
  const notes = tree.children.find((c): c is Element => c.type === 'element' && c.tagName === 'section');
  if (notes) {
    for (const child of notes.children) {
      if (child.type === 'element' && child.properties.id === FOOTNOTE_LABEL) child.properties.id = noteLabelId(text.model);
    }
  }
  return { pieces: converted, notes };
}
