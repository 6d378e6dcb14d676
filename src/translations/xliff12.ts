/**
 * XLIFF 1.2 (OASIS, 2008), as CAT tools and translate-toolkit read it: one <trans-unit> per
 * segment. Inline Markdown is carried in native-code elements: <bpt>/<ept> around the text a
 * pair of codes encloses (emphasis, a link) and <ph> for a code that stands alone (a footnote
 * reference, an image, inline code), each holding the Markdown it restores as its content.
 * States: missing -> state="new" (an empty target), stale -> "needs-review-translation",
 * current -> "translated" with approved="yes" (accepted with `editions translations accept`).
 * A code block's unit holds its content as plain text and is marked translate="no".
 */
import type { SegmentState } from '../model/staleness.js';
import { escapeAttribute, escapeText } from '../shared/xml.js';
import type { Part } from './inline.js';
import { childElements, definedOnly, XmlError, type XmlElement } from './xml-read.js';
import { EDITIONS_NS, FORMAT_VERSION, type ExchangeFile, type ReadExchange, type ReadPart, type ReadUnit } from './units.js';

const STATES: Record<SegmentState, string> = { missing: 'new', stale: 'needs-review-translation', current: 'translated' };

/** The ctype of a code by its mdast node type (1.2 names a few; the rest are x- extensions). */
const CTYPES: Record<string, string> = { emphasis: 'italic', strong: 'bold', link: 'link', linkReference: 'link', image: 'image', imageReference: 'image', break: 'lb' };

function inline(parts: readonly Part[]): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return escapeText(p);
      const ctype = CTYPES[p.type] ?? `x-${p.type}`;
      const element = p.kind === 'open' ? 'bpt' : p.kind === 'close' ? 'ept' : 'ph';
      // An <ept> takes its type from its <bpt>.
      return `<${element} id="${p.id}"${p.kind === 'close' ? '' : ` ctype="${ctype}"`}>${escapeText(p.md)}</${element}>`;
    })
    .join('');
}

export function writeXliff12(x: ExchangeFile): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:ed="${EDITIONS_NS}">`,
    `  <file original="${escapeAttribute(x.original)}" source-language="${escapeAttribute(x.sourceLanguage)}" target-language="${escapeAttribute(x.targetLanguage)}" datatype="x-markdown" product-name="policy-editions" ed:format="${FORMAT_VERSION}" ed:document="${escapeAttribute(x.document)}" ed:translation="${escapeAttribute(x.translation)}" ed:original-hash="${x.originalHash}">`,
    '    <header>',
    `      <note from="editions">${escapeText(`${x.document}: ${x.translation}, translated from ${x.original}. Each unit is a block or heading by its stable ID; <bpt>, <ept> and <ph> hold Markdown: keep them. Import with: editions translations import FILE`)}</note>`,
    '    </header>',
    '    <body>',
  ];
  for (const u of x.units) {
    // approved="yes": accepted against the original's current text; CAT tools and translate-toolkit take the others as to review (fuzzy).
    // translate="no": a code block's text, which a CAT tool then locks (its target may still be edited in the file).
    out.push(`      <trans-unit id="${escapeAttribute(u.id)}" resname="${escapeAttribute(u.id)}"${u.state === 'current' ? ' approved="yes"' : ''}${u.literal ? ' translate="no"' : ''} xml:space="preserve" ed:hash="${u.hash}">`);
    out.push(`        <source>${inline(u.source)}</source>`);
    out.push(`        <target state="${STATES[u.state]}">${u.target ? inline(u.target) : ''}</target>`);
    if (u.previous !== undefined) out.push(`        <note from="editions:previous-source" annotates="source">${escapeText(u.previous)}</note>`);
    for (const t of u.terms) out.push(`        <note from="editions:term" annotates="general">${escapeText(`${t.source} = ${t.target}`)}</note>`);
    out.push('      </trans-unit>');
  }
  out.push('    </body>', '  </file>', '</xliff>', '');
  return out.join('\n');
}

export function readXliff12(root: XmlElement): ReadExchange {
  const files = childElements(root, 'file');
  if (files.length !== 1) throw new XmlError(`the XLIFF file has ${files.length} <file> elements; editions writes one`, root.start, 'import the file as exported, one translation per file');
  const file = files[0]!;
  const a = file.attributes;
  const units: ReadUnit[] = [];
  for (const body of childElements(file, 'body')) collectUnits(body, units);
  return {
    version: '1.2',
    place: file.start,
    ...definedOnly({
      format: a.get('ed:format'),
      document: a.get('ed:document'),
      original: a.get('original'),
      translation: a.get('ed:translation'),
      sourceLanguage: a.get('source-language'),
      targetLanguage: a.get('target-language'),
      originalHash: a.get('ed:original-hash'),
    }),
    units,
  };
}


/** Trans-units, in groups too (a CAT tool may group them). */
function collectUnits(parent: XmlElement, units: ReadUnit[]): void {
  for (const e of childElements(parent)) {
    if (e.name === 'group') collectUnits(e, units);
    if (e.name !== 'trans-unit') continue;
    const id = e.attributes.get('id');
    if (id === undefined) throw new XmlError('a <trans-unit> has no id', e.start, 'each unit is named by the stable ID of its block: export the file again');
    const source = childElements(e, 'source')[0];
    const target = childElements(e, 'target')[0];
    const sourceIds = new Set<number>();
    if (source) for (const p of readInline(source)) if (typeof p !== 'string') sourceIds.add(p.id);
    const parts = target ? readInline(target) : [];
    const hash = e.attributes.get('ed:hash');
    const state = target?.attributes.get('state');
    units.push({ id, place: e.start, sourceIds, ...(hash !== undefined && { hash }), ...(state !== undefined && { state }), ...(parts.length > 0 && { target: parts }) });
  }
}

/** A <source>'s or <target>'s text and codes; a code that is unbalanced or has no id is an error at its place. */
function readInline(element: XmlElement): ReadPart[] {
  const parts: ReadPart[] = [];
  const open: { id: number; type: string }[] = [];
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (!('name' in c)) {
        if (typeof parts.at(-1) === 'string') parts[parts.length - 1] += c.text;
        else parts.push(c.text);
        continue;
      }
      // A CAT tool may mark up segments or terms with <mrk>: its text is the unit's.
      if (c.name === 'mrk') {
        walk(c);
        continue;
      }
      if (c.name !== 'bpt' && c.name !== 'ept' && c.name !== 'ph') {
        throw new XmlError(`<${c.name}> is not an inline code editions writes`, c.start, 'keep the <bpt>, <ept> and <ph> codes of the source as they are, and write only text between them');
      }
      const written = c.attributes.get('id');
      if (written === undefined || !/^[0-9]+$/.test(written)) throw new XmlError(`a <${c.name}> code has ${written === undefined ? 'no id' : `the id "${written}"`}`, c.start, 'copy the code from the source unchanged: its id pairs it with the source');
      const id = Number(written);
      const md = c.children.map((n) => ('name' in n ? '' : n.text)).join('');
      if (c.children.some((n) => 'name' in n)) throw new XmlError(`the <${c.name}> code holds markup`, c.start, 'a code holds the Markdown it restores, as text: copy it from the source');
      if (c.name === 'bpt') {
        const type = typeOf(c.attributes.get('ctype'));
        open.push({ id, type });
        parts.push({ kind: 'open', id, type, md, place: c.start });
      } else if (c.name === 'ept') {
        const top = open.pop();
        if (top?.id !== id) throw new XmlError(top ? `<ept id="${id}"> closes <bpt id="${top.id}">: the codes are unbalanced` : `<ept id="${id}"> closes no <bpt>: the codes are unbalanced`, c.start, 'keep each pair of codes around the text it marks, nested as in the source');
        parts.push({ kind: 'close', id, type: top.type, md, place: c.start });
      } else {
        parts.push({ kind: 'ph', id, type: typeOf(c.attributes.get('ctype')), md, place: c.start });
      }
    }
  };
  walk(element);
  if (open.length > 0) throw new XmlError(`<bpt id="${open.at(-1)!.id}"> is never closed by its <ept>: the codes are unbalanced`, element.start, 'keep each pair of codes around the text it marks, nested as in the source');
  return parts;
}

function typeOf(ctype: string | undefined): string {
  const known = Object.entries(CTYPES).find(([, c]) => c === ctype)?.[0];
  return known ?? ctype?.replace(/^x-/, '') ?? 'unknown';
}
