/**
 * A block's text as a translator gets it: runs of plain text between protected inline codes,
 * each code holding the Markdown it stands for exactly as the source file writes it (the
 * `**` of a strong, the `](https://...)` that closes a link, a whole `[^1]`). The codes are
 * taken from the source by position, never re-serialised, so that restoring them gives back the
 * same bytes; only the plain text between them is written anew, escaped, when it changed.
 */
import type { Heading, LinkReference, Nodes, Paragraph, PhrasingContent, RootContent, Table } from 'mdast';
import type { Point } from '../messages.js';
import { parseMarkdown } from '../source/parse.js';

export type CodeKind = 'open' | 'close' | 'ph';

export interface Code {
  kind: CodeKind;
  /** Pairs an open code with its close; numbers a placeholder. Unique per unit from 1. */
  id: number;
  /** The mdast node type it comes from (emphasis, link, footnoteReference, ...). */
  type: string;
  /** The Markdown it restores, byte for byte. */
  md: string;
  /**
   * For the close of a shortcut or collapsed reference (`[FOCAC]`, `[FOCAC][]`): the label as
   * written, which its text is. A translated text no longer names it, so the close is then
   * written `][FOCAC]` (decodeParts).
   */
  label?: string;
}

export type Part = string | Code;

export interface Coded {
  parts: Part[];
  /** Offsets in the source file of the text the parts stand for (the block's content). */
  start: number;
  end: number;
}

/** An inline node that cannot be coded as itself, protected whole; the caller says so. */
export interface UnknownInline {
  type: string;
  place?: Point;
}

/** Pandoc's heading attribute, `{#iv-2}` at the end of a translated heading (align.ts): not the translator's to change. */
const ID_ATTRIBUTE = /\s*\{#([^\s{}]+)\}\s*$/;

type Handler = (node: PhrasingContent, source: string, coder: Coder) => void;

const paired: Handler = (node, source, coder) => {
  const children = (node as Extract<PhrasingContent, { children: unknown }>).children;
  const first = children[0]?.position?.start.offset;
  const last = children.at(-1)?.position?.end.offset;
  // An empty link or emphasis has no text to translate: it is one code.
  if (first === undefined || last === undefined) return placeholder(node, source, coder);
  const id = coder.next++;
  coder.parts.push({ kind: 'open', id, type: node.type, md: source.slice(node.position!.start.offset!, first) });
  for (const child of children) coder.inline(child);
  coder.parts.push({ kind: 'close', id, type: node.type, md: source.slice(last, node.position!.end.offset!) });
};

const placeholder: Handler = (node, source, coder) => {
  coder.parts.push({ kind: 'ph', id: coder.next++, type: node.type, md: source.slice(node.position!.start.offset!, node.position!.end.offset!) });
};

/** By mdast node type: what a translator may change (text, and the text inside a pair of codes) and what is a code. */
const HANDLERS: Record<string, Handler> = {
  text: (node, _source, coder) => {
    coder.text((node as { value: string }).value);
  },
  emphasis: paired,
  strong: paired,
  delete: paired,
  // An autolink (`<https://...>`, or a bare address) is its address: not the translator's to change.
  link: (node, source, coder) => (source[node.position!.start.offset!] === '[' ? paired(node, source, coder) : placeholder(node, source, coder)),
  linkReference: (node, source, coder) => {
    paired(node, source, coder);
    const ref = node as LinkReference;
    if (ref.referenceType === 'full') return;
    const close = coder.parts.at(-1) as Code;
    const first = ref.children[0]?.position?.start.offset;
    const last = ref.children.at(-1)?.position?.end.offset;
    if (close.kind === 'close' && first !== undefined && last !== undefined) close.label = source.slice(first, last);
  },
  inlineCode: placeholder,
  inlineMath: placeholder,
  break: placeholder,
  footnoteReference: placeholder,
  image: placeholder,
  imageReference: placeholder,
  html: placeholder,
};

class Coder {
  parts: Part[] = [];
  next = 1;
  unknown: UnknownInline[] = [];

  constructor(private readonly source: string) {}

  text(value: string): void {
    const last = this.parts.at(-1);
    if (typeof last === 'string') this.parts[this.parts.length - 1] = last + value;
    else this.parts.push(value);
  }

  inline(node: PhrasingContent): void {
    const handler = HANDLERS[node.type];
    if (handler) return handler(node, this.source, this);
    // A node type this coder does not know (a plugin's, a newer remark's) is protected whole,
    // as written, and reported: never dropped, never offered as text to translate.
    this.unknown.push({ type: node.type, ...(node.position && { place: node.position.start }) });
    placeholder(node, this.source, this);
  }
}

/** The blocks whose text is coded: those holding phrasing content, and tables (their cells'). */
export type CodableBlock = Paragraph | Heading | Table;
export type BlockKind = CodableBlock['type'];

/** How a block's text is written: a heading as `# ...` or underlined (its text may then run over lines). */
export type TextKind = 'paragraph' | 'atx' | 'setext' | 'table';

export function textKind(node: CodableBlock, source: string): TextKind {
  if (node.type !== 'heading') return node.type;
  return source.slice(node.position!.start.offset!).trimStart().startsWith('#') ? 'atx' : 'setext';
}

/** The target's codes with the labels their source codes have (an XLIFF file does not carry them). */
export function withLabels(target: readonly Part[], source: readonly Part[]): Part[] {
  const labels = new Map(source.flatMap((p) => (typeof p !== 'string' && p.label !== undefined ? [[p.id, p.label] as const] : [])));
  return target.map((p) => (typeof p !== 'string' && labels.has(p.id) ? { ...p, label: labels.get(p.id)! } : p));
}

export function isCodable(node: Nodes): node is CodableBlock {
  return node.type === 'paragraph' || node.type === 'heading' || node.type === 'table';
}

/**
 * A table's cells, each cell's text coded as a paragraph's, the Markdown between two cells'
 * texts (its pipes, the delimiter row, a line's end) one placeholder: a translator translates
 * the cells and cannot break the table. An empty cell is part of the code around it.
 */
function encodeTable(node: Table, source: string): Coded & { unknown: UnknownInline[] } {
  const coder = new Coder(source);
  const start = node.position!.start.offset!;
  const end = node.position!.end.offset!;
  let at = start;
  const between = (to: number) => {
    if (to > at) coder.parts.push({ kind: 'ph', id: coder.next++, type: 'tableCell', md: source.slice(at, to) });
    at = to;
  };
  for (const row of node.children) {
    for (const cell of row.children) {
      const first = cell.children[0]?.position?.start.offset;
      const last = cell.children.at(-1)?.position?.end.offset;
      if (first === undefined || last === undefined) continue;
      between(first);
      for (const child of cell.children) coder.inline(child);
      at = last;
    }
  }
  between(end);
  return { parts: coder.parts.filter((p) => p !== ''), start, end, unknown: coder.unknown };
}

/** The parts of a paragraph's, heading's or table's text, read from `source`, the file it was parsed from. */
export function encodeBlock(node: CodableBlock, source: string): Coded & { unknown: UnknownInline[] } {
  if (node.type === 'table') return encodeTable(node, source);
  const coder = new Coder(source);
  const first = node.children[0]?.position?.start.offset;
  let end = node.children.at(-1)?.position?.end.offset;
  if (first === undefined || end === undefined) {
    const at = node.position!.end.offset!;
    return { parts: [], start: at, end: at, unknown: [] };
  }
  // The {#id} of a translated heading (already taken out of its text) stays where it is.
  const attribute = node.type === 'heading' ? ID_ATTRIBUTE.exec(source.slice(first, end)) : null;
  for (const child of node.children) coder.inline(child);
  if (attribute) {
    end = first + attribute.index;
    const last = coder.parts.at(-1);
    if (typeof last === 'string' && last.endsWith(attribute[0])) coder.parts[coder.parts.length - 1] = last.slice(0, -attribute[0].length);
  }
  return { parts: coder.parts.filter((p) => p !== ''), start: first, end, unknown: coder.unknown };
}

/** The plain text of the parts (codes left out): what term notes are found in. */
export function plainText(parts: readonly Part[]): string {
  return parts.filter((p): p is string => typeof p === 'string').join('');
}

export function sameParts(a: readonly Part[], b: readonly Part[]): boolean {
  return a.length === b.length && a.every((p, i) => (typeof p === 'string' ? p === b[i] : typeof b[i] === 'object' && p.kind === (b[i] as Code).kind && p.md === (b[i] as Code).md));
}

/**
 * Text made literal: inline markup escaped, and what would open a block at a line's start
 * (`-`, `#`, `1.`) where a line starts, which is after each line break and, when `lineStart`,
 * at the text's own start (the first text of a paragraph, not of a heading or after a code).
 */
function escapeText(text: string, lineStart: boolean, everywhere: boolean): string {
  const escaped = text
    .replace(/[\\`*_[\]~]|<(?=[A-Za-z/!?])|&(?=#?[0-9A-Za-z]+;)/g, (c) => `\\${c}`)
    // A blank line would end the paragraph, and a line's space at its ends would be taken off (or
    // make a hard break): they are written as character references.
    .replace(/\n(?=[ \t]*\n)/g, '&#10;')
    .replace(lineStart ? /(?<=^|\n)[ \t]|[ \t](?=\n)/g : /(?<=\n)[ \t]|[ \t](?=\n)/g, (c) => `&#${c.charCodeAt(0)};`)
    .replace(lineStart ? /(^|\n)([ \t]*)([#>+=|-]|\d+(?=[.)]))/g : /(\n)([ \t]*)([#>+=|-]|\d+(?=[.)]))/g, (_m, start: string, indent: string, c: string) => (/^\d/.test(c) ? `${start}${indent}${c}\\` : `${start}${indent}\\${c}`));
  // What GFM reads as an address in running text (an e-mail, www., ://), where the text was none.
  return everywhere ? escaped.replace(/[@]|:(?=\/\/)|(?<=www)\./gi, (c) => `\\${c}`) : escaped;
}

/**
 * The Markdown of `parts` for a block's content: codes as they are, text escaped. A line break
 * in the text is continued with `indent` (a list item's lines are indented under its marker).
 * Returns undefined when it would not read back as the same parts: the reading of escapes is
 * checked by parsing it again, not trusted. `definitions` are the document's link and footnote
 * definitions (referenceStubs): a reference reads as one only where its definition exists.
 */
export function decodeParts(parts: readonly Part[], block: TextKind, indent: string, definitions: string): string | undefined {
  // The text escaped no more than it needs, then (when that reads otherwise) at every text's start.
  for (const everywhere of [false, true]) {
    const md = decodeEscaped(parts, block, indent, definitions, everywhere);
    if (md !== undefined) return md;
  }
  return undefined;
}

function decodeEscaped(parts: readonly Part[], block: TextKind, indent: string, definitions: string, everywhere: boolean): string | undefined {
  const escape = (t: string, i: number) => {
    let text = escapeText(t, everywhere || (i === 0 && (block === 'paragraph' || block === 'setext')), everywhere);
    // A run of "#" ending a heading would be read as its closing sequence.
    if (block === 'atx' && i === parts.length - 1) text = text.replace(/(^|[ \t])#(#*[ \t]*)$/, '$1\\#$2');
    // In a table a pipe in the text would end its cell.
    return block === 'table' ? text.replace(/\|/g, '\\|') : text;
  };
  // The codes as written: a reference whose text no longer is its label names it.
  const written: Part[] = [];
  const opened = new Map<number, number>();
  let flat = '';
  parts.forEach((p, i) => {
    if (typeof p === 'string') {
      const next = parts[i + 1];
      // A "!" before a link's code would make it an image.
      flat += typeof next === 'object' && next.md.startsWith('[') ? escape(p, i).replace(/!$/, '\\!') : escape(p, i);
      written.push(p);
      return;
    }
    let md = p.md;
    if (p.kind === 'open') opened.set(p.id, flat.length);
    if (p.kind === 'close' && p.label !== undefined && flat.slice(opened.get(p.id) ?? 0).replace(/^\[/, '') !== p.label) md = `][${p.label}]`;
    flat += md;
    written.push(md === p.md ? p : { ...p, md });
  });
  const heading = block === 'atx' || block === 'setext';
  // An ATX heading is one line; a paragraph's lines, parsed alone, start at the margin.
  if (block === 'atx' && /[\r\n]/.test(flat)) return undefined;
  const probe = block === 'atx' ? `# ${flat}` : flat;
  const tree = parseMarkdown(`${probe}${block === 'setext' ? '\n===' : ''}\n\n${definitions}`);
  const read = tree.children.filter((c) => c.type !== 'definition' && c.type !== 'footnoteDefinition');
  const only = read.length === 1 ? (read[0] as RootContent) : undefined;
  if (!only || only.type !== (heading ? 'heading' : block)) return undefined;
  const again = encodeBlock(only as CodableBlock, probe);
  if (again.unknown.length > 0 || !sameParts(again.parts, written) || again.start !== probe.length - flat.length || again.end !== probe.length) return undefined;
  return flat.replace(/\n/g, `\n${indent}`);
}

/** What continues a block's lines in the file: the markers before its first line as spaces, a quote's ">" kept. */
export function continuation(text: string, start: number): string {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  return text.slice(lineStart, start).replace(/[^>\s]/g, ' ');
}

/** A definition of every link reference label and footnote of a document, for decodeParts' reading. */
export function referenceStubs(labels: { links: Iterable<string>; footnotes: Iterable<string> }): string {
  const lines = [...[...labels.links].map((l) => `[${l}]: #`), ...[...labels.footnotes].map((l) => `[^${l}]: x`)];
  return lines.join('\n');
}
