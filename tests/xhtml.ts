/** XHTML pages (the HTML editions, the EPUB content documents) read back as element trees, for tests. */
import { XMLParser } from 'fast-xml-parser';

/** An element of the page as read back by an XML parser. */
export interface El {
  name: string;
  attrs: Record<string, string>;
  children: (El | string)[];
  parent: El | undefined;
}

export function parseXhtml(xml: string): El {
  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: false, parseTagValue: false, parseAttributeValue: false });
  type Raw = Record<string, unknown> & { ':@'?: Record<string, string> };
  const convert = (raw: Raw[], parent: El): (El | string)[] =>
    raw.flatMap((r): (El | string)[] => {
      if ('#text' in r) return [String(r['#text'])];
      const name = Object.keys(r).find((k) => k !== ':@')!;
      if (name.startsWith('!') || name.startsWith('?')) return [];
      const el: El = { name, attrs: r[':@'] ?? {}, children: [], parent };
      el.children = convert(r[name] as Raw[], el);
      return [el];
    });
  const root: El = { name: '#document', attrs: {}, children: [], parent: undefined };
  root.children = convert(parser.parse(xml) as Raw[], root);
  return root;
}

/** Every element under `el`, in document order. */
export function elements(el: El): El[] {
  return el.children.flatMap((c) => (typeof c === 'string' ? [] : [c, ...elements(c)]));
}

export function textOf(el: El): string {
  return el.children.map((c) => (typeof c === 'string' ? c : textOf(c))).join('');
}

export const classes = (el: El) => (el.attrs.class ?? '').split(' ');

/** The language of the bilingual side (`div.side`) an element stands in. */
export function sideOf(el: El): string | undefined {
  for (let e: El | undefined = el; e; e = e.parent) if (e.name === 'div' && classes(e).includes('side')) return e.attrs.lang;
  return undefined;
}

export function within(el: El, name: string, cls: string): El | undefined {
  for (let e: El | undefined = el.parent; e; e = e.parent) if (e.name === name && classes(e).includes(cls)) return e;
  return undefined;
}
