/**
 * XLIFF 2.1 (OASIS, 2018): one <unit> per segment, with one <segment>. Inline Markdown is
 * carried as XLIFF 2 does it: <pc> around the text a pair of codes encloses, <ph/> for a code
 * that stands alone, each pointing (dataRefStart/dataRefEnd, dataRef) at a <data> of the unit's
 * <originalData> that holds the Markdown it restores; source and target share one <data> where
 * their Markdown is the same. A pair a CAT tool has re-saved split, <sc/>...<ec/>, is read as its <pc>. States: missing -> initial (no target), stale -> translated
 * (subState editions:stale: translated, but from another text of the original, to review),
 * current -> reviewed (accepted with `editions translations accept`).
 */
import type { Point } from '../messages.js';
import type { SegmentState } from '../model/staleness.js';
import { escapeAttribute, escapeText } from '../shared/xml.js';
import type { Part } from './inline.js';
import { childElements, definedOnly, XmlError, type XmlElement } from './xml-read.js';
import { EDITIONS_NS, FORMAT_VERSION, type ExchangeFile, type ReadExchange, type ReadPart, type ReadUnit } from './units.js';

const STATES: Record<SegmentState, string> = { missing: 'initial', stale: 'translated', current: 'reviewed' };

/** type and subType of a code by its mdast node type: XLIFF 2's fmt/xlf:b and the like where one fits. */
const TYPES: Record<string, string> = {
  emphasis: 'type="fmt" subType="xlf:i"',
  strong: 'type="fmt" subType="xlf:b"',
  break: 'type="fmt" subType="xlf:lb"',
  link: 'type="link"',
  linkReference: 'type="link"',
  image: 'type="image"',
  imageReference: 'type="image"',
};
const typeAttributes = (type: string) => TYPES[type] ?? `type="other" subType="editions:${type}"`;

export function writeXliff21(x: ExchangeFile): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:ed="${EDITIONS_NS}" version="2.1" srcLang="${escapeAttribute(x.sourceLanguage)}" trgLang="${escapeAttribute(x.targetLanguage)}">`,
    `  <file id="${escapeAttribute(x.document)}" original="${escapeAttribute(x.original)}" ed:format="${FORMAT_VERSION}" ed:translation="${escapeAttribute(x.translation)}" ed:original-hash="${x.originalHash}">`,
    '    <notes>',
    `      <note category="editions">${escapeText(`${x.document}: ${x.translation}, translated from ${x.original}. Each unit is a block or heading by its stable ID; <pc> and <ph> stand for Markdown: keep them. Import with: editions translations import FILE`)}</note>`,
    '    </notes>',
  ];
  for (const u of x.units) {
    // One <data> per distinct piece of Markdown in the unit, source and target alike.
    const data = new Map<string, string>();
    const ref = (md: string) => {
      let id = data.get(md);
      if (!id) data.set(md, (id = `d${data.size + 1}`));
      return id;
    };
    const inline = (parts: readonly Part[]): string => {
      let s = '';
      for (const p of parts) {
        if (typeof p === 'string') s += escapeText(p);
        else if (p.kind === 'open') s += `<pc id="${p.id}" dataRefStart="${ref(p.md)}" dataRefEnd="${ref(closing(parts, p.id))}" ${typeAttributes(p.type)}>`;
        else if (p.kind === 'close') s += '</pc>';
        else s += `<ph id="${p.id}" dataRef="${ref(p.md)}" ${typeAttributes(p.type)}/>`;
      }
      return s;
    };
    const source = inline(u.source);
    const target = u.target && inline(u.target);
    // translate="no" (allowed on <unit> in 2.1 core): a code block's text; xml:space, inherited by source and target, keeps its lines.
    out.push(`    <unit id="${escapeAttribute(u.id)}" name="${escapeAttribute(u.id)}"${u.literal ? ' translate="no"' : ''} xml:space="preserve" ed:hash="${u.hash}">`);
    if (u.previous !== undefined || u.terms.length > 0) {
      out.push('      <notes>');
      if (u.previous !== undefined) out.push(`        <note category="editions:previous-source" appliesTo="source">${escapeText(u.previous)}</note>`);
      for (const t of u.terms) out.push(`        <note category="editions:term">${escapeText(`${t.source} = ${t.target}`)}</note>`);
      out.push('      </notes>');
    }
    if (data.size > 0) {
      out.push('      <originalData>');
      for (const [md, id] of data) out.push(`        <data id="${id}">${escapeText(md)}</data>`);
      out.push('      </originalData>');
    }
    out.push(`      <segment state="${STATES[u.state]}"${u.state === 'stale' ? ' subState="editions:stale"' : ''}>`);
    out.push(`        <source>${source}</source>`);
    if (target !== undefined) out.push(`        <target>${target}</target>`);
    out.push('      </segment>', '    </unit>');
  }
  out.push('  </file>', '</xliff>', '');
  return out.join('\n');
}

/** The Markdown of the code that closes the pair `id` opens. */
function closing(parts: readonly Part[], id: number): string {
  const close = parts.find((p) => typeof p !== 'string' && p.kind === 'close' && p.id === id);
  return typeof close === 'object' ? close.md : '';
}

export function readXliff21(root: XmlElement): ReadExchange {
  const files = childElements(root, 'file');
  if (files.length !== 1) throw new XmlError(`the XLIFF file has ${files.length} <file> elements; editions writes one`, root.start, 'import the file as exported, one translation per file');
  const file = files[0]!;
  const units: ReadUnit[] = [];
  collectUnits(file, units);
  const fields = {
    format: file.attributes.get('ed:format'),
    document: file.attributes.get('id'),
    original: file.attributes.get('original'),
    translation: file.attributes.get('ed:translation'),
    sourceLanguage: root.attributes.get('srcLang'),
    targetLanguage: root.attributes.get('trgLang'),
    originalHash: file.attributes.get('ed:original-hash'),
  };
  return { version: '2.1', place: file.start, ...definedOnly(fields), units };
}

function collectUnits(parent: XmlElement, units: ReadUnit[]): void {
  for (const e of childElements(parent)) {
    if (e.name === 'group') collectUnits(e, units);
    if (e.name !== 'unit') continue;
    const id = e.attributes.get('id');
    if (id === undefined) throw new XmlError('a <unit> has no id', e.start, 'each unit is named by the stable ID of its block: export the file again');
    const data = new Map<string, string>();
    for (const od of childElements(e, 'originalData')) {
      for (const d of childElements(od, 'data')) data.set(d.attributes.get('id') ?? '', d.children.map((n) => ('name' in n ? '' : n.text)).join(''));
    }
    const segments = childElements(e, 'segment');
    if (segments.length !== 1) throw new XmlError(`the unit ${id} has ${segments.length} segments; editions writes one`, e.start, 'join the segments again: a unit is one block, and its text is imported whole');
    const segment = segments[0]!;
    const source = childElements(segment, 'source')[0];
    const target = childElements(segment, 'target')[0];
    const sourceIds = new Set<number>();
    if (source) for (const p of readInline(source, data)) if (typeof p !== 'string') sourceIds.add(p.id);
    const parts = target ? readInline(target, data) : [];
    const hash = e.attributes.get('ed:hash');
    const state = segment.attributes.get('state');
    units.push({ id, place: e.start, sourceIds, ...(hash !== undefined && { hash }), ...(state !== undefined && { state }), ...(parts.length > 0 && { target: parts }) });
  }
}

function readInline(element: XmlElement, data: ReadonlyMap<string, string>): ReadPart[] {
  const parts: ReadPart[] = [];
  const markdown = (e: XmlElement, attribute: string): string => {
    const ref = e.attributes.get(attribute);
    const md = ref === undefined ? undefined : data.get(ref);
    if (md === undefined) {
      throw new XmlError(
        ref === undefined ? `a <${e.name}> code has no ${attribute}` : `the <${e.name}> code's ${attribute}="${ref}" names no <data> of the unit`,
        e.start,
        "copy the code from the source unchanged: it points at the unit's <originalData>, which holds the Markdown it restores",
      );
    }
    return md;
  };
  const idOf = (e: XmlElement): number => {
    const written = e.attributes.get('id');
    if (written === undefined || !/^[0-9]+$/.test(written)) throw new XmlError(`a <${e.name}> code has ${written === undefined ? 'no id' : `the id "${written}"`}`, e.start, 'copy the code from the source unchanged: its id pairs it with the source');
    return Number(written);
  };
  const typeOf = (e: XmlElement) => e.attributes.get('subType')?.replace(/^editions:/, '') ?? e.attributes.get('type') ?? 'unknown';
  // The pairs open here, innermost last: a <pc>'s until its end tag, an <sc>'s until its <ec>.
  // Markdown nests, so a pair must close where it is innermost.
  const open: { id: number; type: string; split: boolean; place: Point }[] = [];
  const nested = 'keep each pair of codes around the text it marks, nested as in the source: an <ec> closes the innermost <sc> open, and a <pc> holds whole pairs only';
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (!('name' in c)) {
        if (typeof parts.at(-1) === 'string') parts[parts.length - 1] += c.text;
        else parts.push(c.text);
      } else if (c.name === 'mrk') {
        walk(c);
      } else if (c.name === 'pc') {
        const id = idOf(c);
        const type = typeOf(c);
        parts.push({ kind: 'open', id, type, md: markdown(c, 'dataRefStart'), place: c.start });
        const pair = { id, type, split: false, place: c.start };
        open.push(pair);
        walk(c);
        const top = open.pop()!;
        if (top !== pair) throw new XmlError(`<sc id="${top.id}"> is not closed by its <ec> inside the <pc id="${id}"> it is in: the codes cross`, top.place, nested);
        parts.push({ kind: 'close', id, type, md: markdown(c, 'dataRefEnd'), place: c.start });
      } else if (c.name === 'sc' || c.name === 'ec') {
        splitCode(c);
      } else if (c.name === 'ph') {
        parts.push({ kind: 'ph', id: idOf(c), type: typeOf(c), md: markdown(c, 'dataRef'), place: c.start });
      } else {
        throw new XmlError(`<${c.name}> is not an inline code editions writes`, c.start, 'keep the <pc> and <ph> codes of the source as they are, each pair around the text it marks, and write only text between them');
      }
    }
  };
  /**
   * A pair written split, <sc id="N"/>...<ec startRef="N"/> (as CAT tools re-save a <pc>): read as
   * the open and close codes its <pc> would give, its Markdown in dataRef.
   */
  const splitCode = (c: XmlElement) => {
    if (c.attributes.get('isolated') === 'yes') {
      throw new XmlError(`<${c.name}> is isolated: its ${c.name === 'sc' ? '<ec>' : '<sc>'} is in another unit`, c.start, 'a unit is one whole block: put both codes of the pair in this unit, around the text they mark, as the source has them');
    }
    if (c.name === 'sc') {
      const id = idOf(c);
      const type = typeOf(c);
      parts.push({ kind: 'open', id, type, md: markdown(c, 'dataRef'), place: c.start });
      open.push({ id, type, split: true, place: c.start });
      return;
    }
    const ref = c.attributes.get('startRef');
    if (ref === undefined) throw new XmlError('an <ec> has no startRef', c.start, 'an <ec> names the <sc> it closes by startRef="N": copy the pair from the source');
    const at = open.findLastIndex((p) => p.split && String(p.id) === ref);
    if (at < 0) throw new XmlError(`<ec startRef="${ref}"> closes no <sc> open before it: the codes are unbalanced`, c.start, nested);
    if (at !== open.length - 1) throw new XmlError(`<ec startRef="${ref}"> closes <sc id="${ref}"> while <${open.at(-1)!.split ? 'sc' : 'pc'} id="${open.at(-1)!.id}"> is open inside it: the codes cross`, c.start, nested);
    const { id, type } = open.pop()!;
    parts.push({ kind: 'close', id, type, md: markdown(c, 'dataRef'), place: c.start });
  };
  walk(element);
  const unclosed = open.at(-1);
  if (unclosed) throw new XmlError(`<sc id="${unclosed.id}"> is never closed by its <ec>: the codes are unbalanced`, unclosed.place, nested);
  return parts;
}
