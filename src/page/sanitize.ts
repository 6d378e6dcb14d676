/**
 * The last step before the page's body is written: an allowlist sanitiser (hast-util-sanitize)
 * over the tree the handlers made, as defence in depth. The model already unlinks every address
 * no reader should follow and leaves raw HTML out; this keeps a future handler, plugin or bug
 * from putting script, an event attribute or a `javascript:` link into a page a publisher puts
 * on the web. The schema names exactly what the handlers make: the page's bytes do not change.
 */
import type { Root } from 'hast';
import { sanitize, type Schema } from 'hast-util-sanitize';

/** Attributes of every element: stable IDs, the CSS classes of style.css, languages, titles and ARIA. */
const COMMON = ['id', 'className', 'lang', 'xmlLang', 'dir', 'title', 'role', 'ariaLabel', 'ariaLabelledBy', 'ariaDescribedBy', 'ariaHidden'];

/** Schemes a link may use (links.ts keeps only these); a relative or `#fragment` address needs none. */
export const LINK_PROTOCOLS = ['http', 'https', 'ftp', 'mailto', 'tel', 'irc'];

const SCHEMA: Schema = {
  tagNames: [
    'a', 'abbr', 'b', 'blockquote', 'br', 'caption', 'code', 'col', 'colgroup', 'dd', 'del', 'div', 'dl', 'dt', 'em', 'figcaption',
    'figure', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i', 'img', 'input', 'ins', 'li', 'ol', 'p', 'pre', 'q', 's', 'section',
    'small', 'span', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
  ],
  attributes: {
    '*': COMMON,
    a: ['href', 'dataFootnoteRef', 'dataFootnoteBackref'],
    img: ['src', 'alt', 'width', 'height'],
    ol: ['start'],
    section: ['dataFootnotes'],
    // A task list's check box, as mdast-util-to-hast makes it: never a form control.
    input: [['type', 'checkbox'], 'checked', ['disabled', true]],
    td: ['colSpan', 'rowSpan'],
    th: ['colSpan', 'rowSpan', 'scope'],
  },
  // The stable IDs are the page's own: prefixing them (GitHub's `user-content-`) would break every link to them.
  clobber: [],
  protocols: {
    href: LINK_PROTOCOLS,
    // The HTML edition embeds its images as data URLs; the EPUB's are relative paths.
    src: ['data'],
  },
  ancestors: { tbody: ['table'], td: ['table'], th: ['table'], thead: ['table'], tfoot: ['table'], tr: ['table'] },
  strip: ['script', 'style'],
  allowComments: false,
  allowDoctypes: false,
};

/** `linkSchemes`: schemes the project config allows links to use beyond LINK_PROTOCOLS. */
export function sanitizePage(tree: Root, linkSchemes: readonly string[] = []): Root {
  const schema = linkSchemes.length === 0 ? SCHEMA : { ...SCHEMA, protocols: { ...SCHEMA.protocols, href: [...LINK_PROTOCOLS, ...linkSchemes] } };
  return sanitize(tree, schema) as Root;
}
