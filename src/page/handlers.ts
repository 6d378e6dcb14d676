/**
 * mdast -> hast handlers for the HTML edition, keyed by node type and merged over
 * mdast-util-to-hast's defaults. They put the stable IDs on the elements, shift headings one
 * level down (the page's h1 is the document title), and leave out what the model has already
 * reported as unsupported.
 */
import type { Element, Text } from 'hast';
import type { Heading, ListItem, Nodes, Paragraph, RootContent, Table } from 'mdast';
import { defaultHandlers, type Handler, type State } from 'mdast-util-to-hast';
import { emptyRow } from '../model/tables.js';

/** A section of the model, as a node of the tree handed to mdast-util-to-hast. */
export interface SectionNode {
  type: 'section';
  id: string;
  children: RootContent[];
}

/** Wraps a default handler so that the element it makes carries the block's stable ID. */
function withId(handler: Handler): Handler {
  return (state, node: Nodes, parent) => {
    const result = handler(state, node, parent);
    const id = node.data?.id;
    if (id && result && !Array.isArray(result) && result.type === 'element') result.properties.id = id;
    return result;
  };
}

/**
 * A section with its heading is a <section>; the preamble, which has none, is a <div>: a
 * <section> without a heading is a landmark no reader can name (the Nu checker warns).
 */
function section(state: State, node: SectionNode): Element {
  const result: Element = {
    type: 'element',
    tagName: node.children[0]?.type === 'heading' ? 'section' : 'div',
    properties: { id: node.id },
    children: state.wrap(state.all(node as never), true),
  };
  return result;
}

function heading(state: State, node: Heading): Element {
  const level = Math.min(node.depth + 1, 6);
  const result: Element = { type: 'element', tagName: `h${level}`, properties: {}, children: state.all(node) };
  state.patch(node, result);
  return state.applyData(node, result);
}

/** A tight item's paragraph is unwrapped into the <li>: the paragraph's ID moves onto the <li>. */
function listItem(state: State, node: ListItem, parent: Parameters<Handler>[2]): Element {
  const result = defaultHandlers.listItem(state, node, parent);
  const first = node.children[0];
  const firstElement = result.children.find((c): c is Element => c.type === 'element');
  if (first?.type === 'paragraph' && first.data?.id && firstElement?.tagName !== 'p') result.properties.id = first.data.id;
  return result;
}

/** GFM column alignment as classes: the `align` attribute is obsolete in HTML5. */
function tableRow(state: State, node: Parameters<typeof defaultHandlers.tableRow>[1], parent: Parameters<Handler>[2]): Element {
  const result = defaultHandlers.tableRow(state, node, parent);
  for (const cell of result.children) {
    if (cell.type !== 'element' || !cell.properties.align) continue;
    cell.properties.className = [`align-${String(cell.properties.align)}`];
    delete cell.properties.align;
  }
  return result;
}

/**
 * A table with its stable ID. A first row without text is no header row (the model warns of it,
 * table-header): it stands in the body, its cells td, and the table claims no header.
 */
function table(state: State, node: Table, parent: Parameters<Handler>[2]): Element {
  const result = withId(defaultHandlers.table)(state, node, parent) as Element;
  if (!node.children[0] || !emptyRow(node.children[0])) return result;
  const thead = result.children.find((c): c is Element => c.type === 'element' && c.tagName === 'thead');
  if (!thead) return result;
  const rows = thead.children.flatMap((row) => (row.type === 'element' ? [{ type: 'text' as const, value: '\n' }, { ...row, children: row.children.map((c) => (c.type === 'element' && c.tagName === 'th' ? { ...c, tagName: 'td' } : c)) }] : []));
  let tbody = result.children.find((c): c is Element => c.type === 'element' && c.tagName === 'tbody');
  if (!tbody) result.children.push((tbody = { type: 'element', tagName: 'tbody', properties: {}, children: [{ type: 'text', value: '\n' }] }));
  tbody.children.unshift(...rows);
  const at = result.children.indexOf(thead);
  result.children.splice(at, result.children[at + 1]?.type === 'text' ? 2 : 1);
  return result;
}

const omitted: Handler = () => undefined;

/** Where an image's bytes are found: a data URL in the HTML page, a file in the EPUB. */
export type ImageSource = (url: string) => { src: string; width: number; height: number } | undefined;

/**
 * Images with their sources resolved. The model has read and checked every image of a text
 * (a document's, or a briefing packet's own): one it could not use was reported there, and its
 * alternative text stands in its place.
 */
function imageHandlers(source: ImageSource): Record<string, Handler> {
  const image = (state: State, node: { url: string; alt?: string | null; title?: string | null } & Nodes): Element | Text => {
    const found = source(node.url);
    if (!found) return { type: 'text', value: node.alt ?? '' };
    const result: Element = {
      type: 'element',
      tagName: 'img',
      properties: { src: found.src, alt: node.alt ?? '', width: found.width, height: found.height, ...(node.title && { title: node.title }) },
      children: [],
    };
    state.patch(node, result);
    return state.applyData(node, result);
  };
  return {
    image: image as Handler,
    imageReference: ((state: State, node: { identifier: string; alt?: string | null } & Nodes) => {
      const def = state.definitionById.get(node.identifier.toUpperCase());
      return def ? image(state, { ...node, url: def.url, title: def.title ?? null } as never) : undefined;
    }) as Handler,
  };
}

/** Keyed by mdast node type, plus `section` for the model's sections. */
export function htmlHandlers(images: ImageSource): Record<string, Handler> {
  return { ...baseHandlers, ...imageHandlers(images), paragraph: figureOrParagraph(images) };
}

const plainParagraph = withId(defaultHandlers.paragraph);

/**
 * A paragraph that is one titled image is a figure, its title the caption (as the PDF sets it);
 * any other paragraph is a paragraph, and so is one whose image could not be read (its
 * alternative text stands in the text, as in every format).
 */
function figureOrParagraph(images: ImageSource): Handler {
  return (state, node: Paragraph, parent) => {
    const content = node.children.filter((c) => !(c.type === 'text' && c.value.trim() === ''));
    const only = content.length === 1 ? content[0] : undefined;
    const definition = only?.type === 'imageReference' ? state.definitionById.get(only.identifier.toUpperCase()) : undefined;
    const [url, title] = only?.type === 'image' ? [only.url, only.title] : [definition?.url, definition?.title];
    if (!only || !title || url === undefined || !images(url)) return plainParagraph(state, node, parent);
    const image = state.one(only, node) as Element;
    const figure: Element = {
      type: 'element',
      tagName: 'figure',
      properties: node.data?.id ? { id: node.data.id } : {},
      children: [image, { type: 'element', tagName: 'figcaption', properties: {}, children: [{ type: 'text', value: title }] }],
    };
    state.patch(node, figure);
    return figure;
  };
}

const baseHandlers: Record<string, Handler> = {
  section: section as Handler,
  heading,
  code: withId(defaultHandlers.code),
  table: table as Handler,
  listItem,
  tableRow,
  // Reported by the model (unsupported-content); never written as unchecked markup.
  html: omitted,
};
