/**
 * The body of a bilingual page: each section's heading and each block of the original beside
 * its translation, paired by stable ID, each side with its own language. A translated block
 * that is stale or missing is flagged on the page (a `--strict` build refuses it instead).
 * Each language's notes follow the text in its own column, numbered as that language reads.
 */
import type { Element, ElementContent, Root as HastRoot } from 'hast';
import type { RootContent } from 'mdast';
import { parallelText, type ParallelSection } from '../model/parallel.js';
import type { Block } from '../model/types.js';
import { uiString } from '../templating/i18n.js';
import type { Text } from './convert.js';
import { convertSide, type Piece } from './side.js';
import { toXhtml } from './xhtml.js';

/**
 * The page's body: a pair row for each heading and block, then each language's notes side by
 * side (each numbered and labelled in its own language, as a parallel text prints them).
 */
export function renderBilingualBody(first: Text, second: Text): string {
  const parallel = parallelText(first.model, second.model);

  // Each side's pieces in the order the page shows them, so its notes are numbered as read.
  const order: { first: Piece[]; second: Piece[] } = { first: [], second: [] };
  const collect = (s: ParallelSection): void => {
    const level = Math.min(s.original.depth + 1, 6);
    if (s.first?.heading) order.first.push({ key: headingKey(s.id), node: stripped(s.first.heading, level) });
    if (s.second?.heading) order.second.push({ key: headingKey(s.id), node: stripped(s.second.heading, level) });
    for (const row of s.rows) {
      if (row.first) order.first.push({ key: row.id, node: stripped(row.first.node) });
      if (row.second) order.second.push({ key: row.id, node: stripped(row.second.node) });
    }
    s.children.forEach(collect);
  };
  parallel.sections.forEach(collect);
  const converted = { first: convertSide(first, order.first), second: convertSide(second, order.second) };
  const piece = (side: 'first' | 'second', key: string): ElementContent[] => {
    const found = converted[side].pieces.get(key);
    return found ? [found] : [];
  };

  const flag = (id: string, side: Text): ElementContent[] => {
    const key = parallel.flag(side.model, id);
    return key ? [el('p', { className: ['flag'] }, [{ type: 'text', value: uiString(side.strings, key) }])] : [];
  };
  const cell = (side: Text, nodes: ElementContent[], id: string): Element =>
    el('div', { className: ['side'], lang: side.model.lang, xmlLang: side.model.lang }, [...nodes, ...flag(id, side)]);

  const section = (s: ParallelSection): Element => {
    // The preamble has no heading to pair.
    const children: ElementContent[] = s.original.heading
      ? [el('div', { className: ['pair', 'heading-pair'] }, [cell(first, piece('first', headingKey(s.id)), s.id), cell(second, piece('second', headingKey(s.id)), s.id)])]
      : [];
    for (const row of s.rows) {
      // Both sides are set as the original's block is (a list item, a quotation).
      const side = (key: 'first' | 'second') => (row[key] ? piece(key, row.id).map((c) => wrapBlock(row.original, c)) : []);
      children.push(el('div', { className: ['pair'], id: row.id }, [cell(first, side('first'), row.id), cell(second, side('second'), row.id)]));
    }
    for (const c of s.children) children.push(section(c));
    return el(s.original.heading ? 'section' : 'div', { id: s.id }, children);
  };

  const body: ElementContent[] = parallel.sections.map(section);
  if (converted.first.notes || converted.second.notes) {
    const notes = (side: Text, list: Element | undefined) => el('div', { className: ['side'], lang: side.model.lang, xmlLang: side.model.lang }, list ? [list] : []);
    body.push(el('div', { className: ['pair', 'notes-pair'] }, [notes(first, converted.first.notes), notes(second, converted.second.notes)]));
  }
  return toXhtml({ type: 'root', children: body } as HastRoot, [...first.model.linkSchemes, ...second.model.linkSchemes]);
}

/** A section's heading, keyed apart from its blocks (a block ID is its section's ID and `-p<n>`). */
function headingKey(sectionId: string): string {
  return `heading:${sectionId}`;
}

/**
 * A copy of a heading or block without its stable ID (the pair row carries it once for both
 * languages); a heading at the level the page gives it.
 */
function stripped(node: RootContent, level?: number): RootContent {
  const copy = structuredClone(node) as RootContent;
  if (copy.data) delete copy.data.id;
  if (copy.type === 'heading' && level) copy.depth = (level - 1) as typeof copy.depth;
  return copy;
}

/** A block on one side; a list item keeps its list (one item per row) and its number. */
function wrapBlock(b: Block, content: ElementContent): ElementContent {
  if (b.kind.startsWith('quoted')) return el('blockquote', {}, [content]);
  if (!b.item) return content;
  const li = el('li', {}, [content]);
  if (!b.item.first) return el('div', { className: ['item-continued'] }, [content]);
  return b.item.ordered ? el('ol', { start: b.item.number }, [li]) : el('ul', {}, [li]);
}

function el(tagName: string, properties: Element['properties'], children: ElementContent[]): Element {
  return { type: 'element', tagName, properties, children };
}
