/**
 * A termbase as TBX-Basic, in the TBX 2 form of ISO 30042:2008 (<martif type="TBX-Basic">,
 * <termEntry>, <langSet>, <tig>, <term>): the form translate-toolkit's TBX store reads (it does
 * not read TBX v3's <tbx>/<conceptEntry>). One <termEntry> per term ID, its id the ID; a
 * <langSet> per language, the original's first (translate-toolkit takes the first for the
 * source); a gloss is the langSet's <descrip type="definition">.
 *
 * Reading one back is for `termbase import`, which takes a file from elsewhere: a DOCTYPE (a DTD
 * to fetch, entities to expand, "billion laughs") is refused, never read, and so is any entity
 * reference but XML's own five and character references.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Point } from '../messages.js';
import { escapeAttribute, escapeText } from '../shared/xml.js';
import type { Termbase } from './read.js';

export function tbxDocument(document: string, originalLang: string, terms: Termbase): string {
  const entries = [...terms].map(([id, { text, gloss, variants }]) => {
    const langs = [...new Set([originalLang, ...Object.keys(text), ...Object.keys(gloss)])].filter((l) => text[l] !== undefined || gloss[l] !== undefined);
    const sets = langs.map((lang) => {
      const definition = gloss[lang] !== undefined ? `        <descrip type="definition">${escapeText(gloss[lang])}</descrip>\n` : '';
      const term = text[lang] !== undefined ? `        <tig>\n          <term>${escapeText(text[lang])}</term>\n        </tig>\n` : '';
      // A variant is an admitted term of the concept, after the established one (TBX-Basic's administrativeStatus).
      const admitted = (variants[lang] ?? [])
        .map((v) => `        <tig>\n          <term>${escapeText(v)}</term>\n          <termNote type="administrativeStatus">admittedTerm-admn-sts</termNote>\n        </tig>\n`)
        .join('');
      return `      <langSet xml:lang="${escapeAttribute(lang)}">\n${definition}${term}${admitted}      </langSet>\n`;
    });
    return `    <termEntry id="${escapeAttribute(id)}">\n${sets.join('')}    </termEntry>\n`;
  });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<martif type="TBX-Basic" xml:lang="${escapeAttribute(originalLang)}">\n` +
    '  <martifHeader>\n' +
    '    <fileDesc>\n' +
    `      <titleStmt><title>${escapeText(document)}</title></titleStmt>\n` +
    `      <sourceDesc><p>termbase.yaml of ${escapeText(document)}, written by policy-editions</p></sourceDesc>\n` +
    '    </fileDesc>\n' +
    '    <encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc>\n' +
    '  </martifHeader>\n' +
    `  <text>\n  <body>\n${entries.join('')}  </body>\n  </text>\n` +
    '</martif>\n'
  );
}

/** A concept read from a TBX, with where its parts are, for messages. */
export interface TbxConcept {
  id: string | undefined;
  place: Point;
  languages: { lang: string | undefined; place: Point; terms: string[]; definition?: string }[];
}

export interface TbxProblem {
  message: string;
  place: Point;
  hint: string;
}

export type TbxRead = { title?: string; concepts: TbxConcept[] } | { problem: TbxProblem };

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_m, name: string) =>
    name.startsWith('#x') ? String.fromCodePoint(parseInt(name.slice(2), 16)) : name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : PREDEFINED[name]!,
  );
}

function pointAt(text: string, index: number): Point {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - before.lastIndexOf('\n') };
}

type Element = Record<string, unknown> & { ':@'?: Record<string, string> };

/** The element's name (each preserveOrder node has one key besides its attributes). */
const nameOf = (e: Element) => Object.keys(e).find((k) => k !== ':@')!;
const childrenOf = (e: Element) => (e[nameOf(e)] as Element[] | undefined) ?? [];
const textOf = (e: Element): string => childrenOf(e).map((c) => (nameOf(c) === '#text' ? String(c['#text']) : textOf(c))).join('');
const below = (e: Element, name: string): Element[] => childrenOf(e).flatMap((c) => (nameOf(c) === name ? [c] : nameOf(c) === '#text' ? [] : below(c, name)));

export function readTbx(text: string): TbxRead {
  const problem = (index: number, message: string, hint: string): TbxRead => ({ problem: { message, place: pointAt(text, index), hint } });
  // Comments and CDATA blanked out, same length: what they hold is neither markup nor a reference.
  const markup = text.replace(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>/g, (m) => m.replace(/[^\n]/g, ' '));
  const declaration = /<!(DOCTYPE|ENTITY)\b/i.exec(markup);
  if (declaration) return problem(declaration.index, `the TBX declares a ${declaration[1]!.toUpperCase()}, which is refused: it is never read, nor its entities expanded`, 'remove the <!DOCTYPE ...> (TBX-Basic needs none; its XCS is named in the header)');
  const entity = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(markup);
  if (entity) return problem(entity.index, `the TBX uses an entity reference "${/^&[^\s;<]*;?/.exec(markup.slice(entity.index))![0]}", which is refused`, 'write the character itself, a character reference (&#233;), or one of &amp; &lt; &gt; &quot; &apos;');
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { problem: { message: `the TBX is not well-formed XML: ${valid.err.msg}`, place: { line: valid.err.line, column: valid.err.col }, hint: 'fix the XML where it breaks, or export it again from the CAT tool' } };

  const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: false, processEntities: false, parseTagValue: false, parseAttributeValue: false, ignoreDeclaration: true, ignorePiTags: true, commentPropName: false });
  const tree = parser.parse(text) as Element[];
  const root = tree.find((e) => nameOf(e) !== '#text');
  const rootAt = /<[A-Za-z]/.exec(markup.replace(/<\?[\s\S]*?\?>/g, (m) => m.replace(/[^\n]/g, ' ')))?.index ?? 0;
  if (!root || nameOf(root) !== 'martif') return problem(rootAt, `the file is not a TBX: its root is <${root ? nameOf(root) : ''}>, not <martif>`, 'export TBX-Basic in its ISO 30042:2008 form, whose root is <martif type="TBX-Basic">');
  // The nth <termEntry> and <langSet> of the text are the nth of the tree: both in document order.
  const starts = (name: string) => [...markup.matchAll(new RegExp(`<${name}[\\s>/]`, 'g'))].map((m) => pointAt(text, m.index));
  const entryAt = starts('termEntry');
  const langAt = starts('langSet');
  let langIndex = 0;
  const title = below(root, 'title')[0];
  const concepts = below(root, 'termEntry').map((entry, i): TbxConcept => ({
    id: entry[':@']?.id === undefined ? undefined : decode(entry[':@'].id),
    place: entryAt[i]!,
    languages: below(entry, 'langSet').map((set) => {
      const definition = below(set, 'descrip').find((d) => d[':@']?.type === 'definition');
      const lang = set[':@']?.['xml:lang'];
      return {
        lang: lang === undefined ? undefined : decode(lang),
        place: langAt[langIndex++]!,
        terms: below(set, 'term').map((t) => decode(textOf(t)).replace(/\s+/g, ' ').trim()),
        ...(definition && { definition: decode(textOf(definition)).replace(/\s+/g, ' ').trim() }),
      };
    }),
  }));
  return { ...(title && { title: decode(textOf(title)).trim() }), concepts };
}
