/**
 * Serialises hast as XHTML5 that is also valid HTML5 (polyglot): well-formed XML for EPUB, and
 * read the same by a browser from a .html file. hast-util-to-html writes bare boolean attributes
 * (not XML); xast-util-to-xml closes every empty element (`<p/>` opens a paragraph in HTML). So
 * attributes come from hast-util-to-xast and the serialising is done here, with HTML's void list.
 */
import type { Root as HastRoot } from 'hast';
import { toXast } from 'hast-util-to-xast';
import type { Nodes as XastNodes } from 'xast';
import { escapeAttribute, escapeText } from '../shared/xml.js';
import { sanitizePage } from './sanitize.js';

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/** The body's tree as XHTML text, sanitised first (sanitize.ts); `linkSchemes` as the config allows. */
export function toXhtml(tree: HastRoot, linkSchemes: readonly string[] = []): string {
  return serialize(toXast(sanitizePage(tree, linkSchemes)), true);
}

function serialize(node: XastNodes, top: boolean): string {
  switch (node.type) {
    case 'root':
      return node.children.map((c) => serialize(c, true)).join('');
    case 'element': {
      let attrs = '';
      for (const [name, value] of Object.entries(node.attributes ?? {})) {
        // The fragment is embedded in a page whose <html> declares the namespace.
        if (top && name === 'xmlns') continue;
        if (value === null || value === undefined) continue;
        attrs += ` ${name}="${escapeAttribute(String(value))}"`;
      }
      if (VOID.has(node.name)) return `<${node.name}${attrs} />`;
      return `<${node.name}${attrs}>${node.children.map((c) => serialize(c, false)).join('')}</${node.name}>`;
    }
    case 'text':
      return escapeText(node.value);
    default:
      // Comments, doctypes, instructions and CDATA never come out of our hast.
      return '';
  }
}

