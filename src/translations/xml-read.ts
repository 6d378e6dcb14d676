/**
 * A small XML reader for the XLIFF files editions imports: elements, attributes, text, CDATA,
 * comments and processing instructions, each element with the line:col it starts at, so that
 * every message can point into the file. It refuses, rather than resolves, what an XLIFF file
 * has no need of and an attacker has every use for: any DOCTYPE (internal subsets define
 * entities, external ones fetch files) and any entity but the five predefined ones and
 * character references. A file that is not well-formed (one cut short, a tag left open) is an
 * error at the place it stops being XML.
 */
import type { Point } from '../messages.js';

export interface XmlElement {
  /** The qualified name as written (`xliff`, `ed:hash`): XLIFF files use fixed prefixes for our own namespace. */
  name: string;
  attributes: Map<string, string>;
  children: XmlNode[];
  start: Point;
}

export type XmlNode = XmlElement | { text: string; start: Point };

export class XmlError extends Error {
  constructor(
    message: string,
    readonly place: Point,
    readonly hint: string,
  ) {
    super(message);
  }
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const NAME = /[A-Za-z_:][-A-Za-z0-9_.:\u00B7\u00C0-\uFFFF]*/y;

export function readXml(written: string): XmlElement {
  // XML reads every line end as a line feed (a CAT tool on Windows may write CR LF); line:col stay the same.
  const text = written.replace(/\r\n?/g, '\n');
  let i = 0;
  // Line starts, for turning an offset into line:col by binary search.
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) lineStarts.push(k + 1);
  const point = (offset: number): Point => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const fail = (message: string, at = i, hint = 'the file is not well-formed XML: export it again, or repair it in an XML editor'): never => {
    throw new XmlError(message, point(at), hint);
  };
  const expect = (s: string) => {
    if (!text.startsWith(s, i)) fail(i >= text.length ? `the file ends where "${s}" was expected (is it cut short?)` : `"${s}" expected`);
    i += s.length;
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(text);
    if (!m) return fail(i >= text.length ? 'the file ends inside a tag (is it cut short?)' : 'a name expected');
    i += m[0].length;
    return m[0];
  };
  const space = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  /** Text with its references resolved; `end` is the character that stops it. */
  const chars = (end: string): string => {
    let out = '';
    while (i < text.length && !end.includes(text[i]!)) {
      if (text[i] === '&') {
        const close = text.indexOf(';', i);
        const ref = close < 0 ? '' : text.slice(i + 1, close);
        let c: string | undefined;
        if (/^#[0-9]+$/.test(ref)) c = codePoint(Number(ref.slice(1)));
        else if (/^#x[0-9A-Fa-f]+$/.test(ref)) c = codePoint(parseInt(ref.slice(2), 16));
        else c = PREDEFINED[ref];
        if (c === undefined) {
          fail(`the entity reference "&${ref.slice(0, 20)};" is not one XML defines`, i, 'an XLIFF file uses only &lt; &gt; &amp; &quot; &apos; and character references: entities are never resolved');
        }
        out += c;
        i = close + 1;
      } else if (text[i] === '<' && end !== '<') {
        fail('"<" inside an attribute value');
      } else {
        out += text[i++];
      }
    }
    return out;
  };
  const codePoint = (n: number): string | undefined => {
    if (n === 0 || n > 0x10ffff || (n >= 0xd800 && n <= 0xdfff)) return undefined;
    return String.fromCodePoint(n);
  };
  /** Skips comments, processing instructions and white space; refuses a DOCTYPE. */
  const misc = () => {
    for (;;) {
      space();
      if (text.startsWith('<?', i)) {
        const end = text.indexOf('?>', i);
        if (end < 0) fail('the file ends inside a processing instruction (is it cut short?)');
        i = end + 2;
      } else if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i);
        if (end < 0) fail('the file ends inside a comment (is it cut short?)');
        i = end + 3;
      } else if (text.startsWith('<!DOCTYPE', i) || text.startsWith('<!doctype', i)) {
        fail('the file has a DOCTYPE, which an XLIFF file does not need', i, 'remove the DOCTYPE: editions reads no DTD and resolves no entity (a DTD can define entities that read other files)');
      } else return;
    }
  };
  const element = (): XmlElement => {
    const start = point(i);
    expect('<');
    const tag = name();
    const attributes = new Map<string, string>();
    for (;;) {
      space();
      if (text.startsWith('/>', i)) {
        i += 2;
        return { name: tag, attributes, children: [], start };
      }
      if (text[i] === '>') {
        i++;
        break;
      }
      const at = i;
      const key = name();
      space();
      expect('=');
      space();
      const quote = text[i];
      if (quote !== '"' && quote !== "'") fail(i >= text.length ? 'the file ends inside a tag (is it cut short?)' : 'an attribute value in quotes expected');
      i++;
      const value = chars(quote);
      expect(quote);
      if (attributes.has(key)) fail(`the attribute "${key}" is given twice`, at);
      attributes.set(key, value);
    }
    const children: XmlNode[] = [];
    for (;;) {
      if (i >= text.length) fail(`the file ends inside <${tag}> (line ${start.line}): is it cut short?`);
      if (text.startsWith('</', i)) {
        const at = i;
        i += 2;
        const closing = name();
        if (closing !== tag) fail(`</${closing}> closes <${tag}> of line ${start.line}:${start.column}`, at);
        space();
        expect('>');
        return { name: tag, attributes, children, start };
      }
      if (text.startsWith('<!--', i) || text.startsWith('<?', i)) {
        misc();
        continue;
      }
      if (text.startsWith('<![CDATA[', i)) {
        const at = point(i);
        const end = text.indexOf(']]>', i);
        if (end < 0) fail('the file ends inside a CDATA section (is it cut short?)');
        children.push({ text: text.slice(i + 9, end), start: at });
        i = end + 3;
        continue;
      }
      if (text.startsWith('<!', i)) fail('a DOCTYPE or declaration inside an element', i, 'remove it: editions reads no DTD and resolves no entity');
      if (text[i] === '<') {
        children.push(element());
        continue;
      }
      const at = point(i);
      children.push({ text: chars('<'), start: at });
    }
  };
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  misc();
  if (i >= text.length) fail('the file is empty or ends before its first element (is it cut short?)');
  const root = element();
  misc();
  if (i < text.length) fail('text after the root element');
  return root;
}

/** The elements among `node`'s children named `name`. */
export function childElements(node: XmlElement, name?: string): XmlElement[] {
  return node.children.filter((c): c is XmlElement => 'name' in c && (name === undefined || c.name === name));
}

/** The header fields an XLIFF file writes, without those it leaves out (attributes absent). */
export function definedOnly<T extends Record<string, string | undefined>>(o: T): Partial<Record<keyof T, string>> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<Record<keyof T, string>>;
}
