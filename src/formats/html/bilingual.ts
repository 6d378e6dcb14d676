/**
 * The body of a bilingual page: each section's heading and each block of the original beside
 * its translation, paired by stable ID, each side with its own language. A translated block
 * that is stale or missing is flagged on the page (a `--strict` build refuses it instead).
 */
import type { Element, ElementContent, Root as HastRoot } from 'hast';
import type { RootContent } from 'mdast';
import { toHast, type Handlers } from 'mdast-util-to-hast';
import type { Block, DocumentModel, Section } from '../../model/types.js';
import { pairTexts } from '../../model/query.js';
import { translationFlags } from '../../model/staleness.js';
import { uiString, type Strings } from '../../templating/i18n.js';
import { htmlHandlers, type ImageSource } from './handlers.js';
import { toXhtml } from './xhtml.js';

export interface Side {
  model: DocumentModel;
  strings: Strings;
  images: ImageSource;
}

export function renderBilingualBody(first: Side, second: Side): string {
  const flagOf = translationFlags();
  const pairs = pairTexts(first.model, second.model);

  const flag = (id: string, side: Side): ElementContent[] => {
    const key = flagOf(side.model, id);
    return key ? [el('p', { className: ['flag'] }, [{ type: 'text', value: uiString(side.strings, key) }])] : [];
  };
  const cell = (side: Side, nodes: ElementContent[], id: string): Element =>
    el('div', { className: ['side'], lang: side.model.lang, xmlLang: side.model.lang }, [...nodes, ...flag(id, side)]);

  const section = (s: Section): Element => {
    const t = pairs.section(s.id);
    const level = Math.min(s.depth + 1, 6);
    const heading = (side: Side, sec: Section | undefined) => (sec ? [render(side, sec.heading, { depth: level })] : []);
    const children: ElementContent[] = [
      el('div', { className: ['pair', 'heading-pair'] }, [cell(first, heading(first, s), s.id), cell(second, heading(second, t), s.id)]),
    ];
    for (const { block: b, other } of pairs.blocks(s.id)) {
      children.push(
        el('div', { className: ['pair'], id: b.id }, [cell(first, [renderBlock(first, b)], b.id), cell(second, other ? [renderBlock(second, other)] : [], b.id)]),
      );
    }
    for (const c of s.children) children.push(section(c));
    return el('section', { id: s.id }, children);
  };

  return toXhtml({ type: 'root', children: first.model.sections.map(section) } as HastRoot);
}

/** A block on one side; a list item keeps its list (one item per row) and its number. */
function renderBlock(side: Side, b: Block): ElementContent {
  const content = render(side, b.node);
  if (b.kind.startsWith('quoted')) return el('blockquote', {}, [content]);
  if (!b.item) return content;
  const li = el('li', {}, [content]);
  if (!b.item.first) return el('div', { className: ['item-continued'] }, [content]);
  return b.item.ordered ? el('ol', { start: b.item.number }, [li]) : el('ul', {}, [li]);
}

/** One mdast node as hast, with the same handlers as the single-language page, without its ID. */
function render(side: Side, node: RootContent, options: { depth?: number } = {}): ElementContent {
  const copy = structuredClone(node) as RootContent;
  if (copy.data) delete copy.data.id;
  if (copy.type === 'heading' && options.depth) copy.depth = (options.depth - 1) as typeof copy.depth;
  const tree = toHast({ type: 'root', children: [copy] }, { handlers: htmlHandlers(side.images) as Handlers }) as HastRoot;
  const element = tree.children.find((c): c is Element => c.type === 'element');
  return element ?? { type: 'text', value: '' };
}

function el(tagName: string, properties: Element['properties'], children: ElementContent[]): Element {
  return { type: 'element', tagName, properties, children };
}
