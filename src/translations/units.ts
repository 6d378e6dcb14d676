/**
 * What an exchange file holds for one translation, whatever its XLIFF version: a unit per
 * segment of the original (section headings and blocks, by stable ID, in reading order) with
 * the original's text and the translation's, both as protected codes and text (inline.ts), the
 * segment's state, the hash of the original's text that an import checks, the text the record
 * says it was translated from when that has changed, and the termbase's terms it uses.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Code as CodeBlock, Nodes, Root } from 'mdast';
import { Report, type Diagnostic, type Point } from '../messages.js';
import { textHash, translationStatus, type SegmentState } from '../model/staleness.js';
import type { DocumentModel } from '../model/types.js';
import { termMatcher } from '../termbase/match.js';
import type { Termbase } from '../termbase/read.js';
import { readTextFile } from '../source/files.js';
import { parseSource } from '../source/parse.js';
import { encodeLiteral } from './literal.js';
import { encodeBlock, isCodable, plainText, type CodableBlock, type Code, type Coded, type Part } from './inline.js';

/** The version of this mapping of Markdown to XLIFF: an import refuses a file of another. */
export const FORMAT_VERSION = '1';
/** Our namespace, for the attributes XLIFF has no place for (a file's document, a unit's hash). */
export const EDITIONS_NS = 'urn:policy-editions:xliff:1';

export interface Unit {
  id: string;
  state: SegmentState;
  /** textHash of the original's text: an import applies the target only while it still matches. */
  hash: string;
  source: Part[];
  /** A code block's: its text is literal, not to translate by default (translate="no"). */
  literal?: true;
  /** The translation's text, its codes numbered as the source's where they correspond. */
  target?: Part[];
  /** For a stale unit: the original's text the translation was made from (the record's). */
  previous?: string;
  terms: { source: string; target: string }[];
}

export interface ExchangeFile {
  /** The document's folder name (china-lac-policy). */
  document: string;
  /** The original's and the translation's file names (paper.en.md, paper.es.md). */
  original: string;
  translation: string;
  sourceLanguage: string;
  targetLanguage: string;
  /** A hash of the original's file, naming the version exported from. */
  originalHash: string;
  units: Unit[];
}

/** A source file parsed afresh: the model's tree has been changed (IDs taken out of headings, links unlinked). */
export interface SourceText {
  file: string;
  text: string;
  /** Paragraphs, headings, tables and code blocks by the offset they start at. */
  blocks: Map<number, CodableBlock | CodeBlock>;
  tree: Root;
}

/** A reader of source texts that parses each file once (every translation of a document shares its original). */
export function sourceTexts(): (file: string) => SourceText {
  const read = new Map<string, SourceText>();
  return (file) => {
    let text = read.get(file);
    if (!text) read.set(file, (text = readSourceText(file)));
    return text;
  };
}

function readSourceText(file: string): SourceText {
  const text = readTextFile(file, 'source file');
  const tree = parseSource(text, file, new Report()).tree;
  const blocks = new Map<number, CodableBlock | CodeBlock>();
  const visit = (node: Nodes) => {
    if (isCodable(node) || node.type === 'code') blocks.set(node.position!.start.offset!, node);
    else if ('children' in node) for (const c of node.children) visit(c);
  };
  visit(tree);
  return { file, text, blocks, tree };
}

/** A model's node coded from the fresh parse of its file (a code block as its literal text); undefined for a block it does not code (math). */
export function codeNode(node: Nodes, source: SourceText, problems: Diagnostic[]): Coded | undefined {
  const fresh = source.blocks.get(node.position?.start.offset ?? -1);
  if (!fresh || fresh.type !== node.type) return undefined;
  if (fresh.type === 'code') return encodeLiteral(fresh);
  const coded = encodeBlock(fresh, source.text);
  for (const u of coded.unknown) {
    problems.push({
      severity: 'warning',
      ruleId: 'xliff',
      message: `the inline Markdown "${u.type}" is not known to the XLIFF coder: it is exported whole, as one protected code`,
      file: source.file,
      ...(u.place && { place: u.place }),
      hint: 'the translator cannot change its text; report the node type so that it gets a code of its own',
    });
  }
  return coded;
}

export function exchangeFile(translation: DocumentModel, termbase: Termbase | undefined, texts: (file: string) => SourceText, problems: Diagnostic[]): ExchangeFile {
  const canonical = translation.canonical!;
  const original = texts(canonical.file);
  const translated = texts(translation.file);
  const status = translationStatus(translation);
  const terms = [...(termbase?.values() ?? [])].flatMap((t) => {
    const source = t.text[canonical.lang];
    const target = t.text[translation.lang];
    // Found as the glossaries and the term check find it (termbase/match.ts).
    return source && target ? [{ source, target, holds: termMatcher(source) }] : [];
  });
  reportUnsegmented(canonical, problems);
  const units: Unit[] = [];
  for (const s of status.segments) {
    const source = codeNode(s.original, original, problems);
    if (!source) {
      problems.push({
        severity: 'warning',
        ruleId: 'xliff',
        message: `${s.id} is a ${s.original.type} block, which the XLIFF export does not carry yet: left out`,
        file: canonical.file,
        ...(s.original.position && { place: s.original.position.start }),
        hint: 'translate it in the Markdown itself',
      });
      continue;
    }
    const target = s.translated && codeNode(s.translated, translated, problems);
    const text = plainText(source.parts);
    const literal = s.original.type === 'code';
    units.push({
      id: s.id,
      state: s.state,
      hash: textHash(s.original),
      source: source.parts,
      ...(literal && { literal: true as const }),
      ...(target && { target: matchIds(source.parts, target.parts) }),
      ...(s.state === 'stale' && s.recordedText !== undefined && { previous: s.recordedText }),
      // A term in code is a name of the code's (an identifier, a key), not the translator's to render.
      terms: literal ? [] : terms.filter((t) => t.holds(text)).map(({ source, target }) => ({ source, target })),
    });
  }
  return {
    document: translation.id,
    original: path.basename(canonical.file),
    translation: path.basename(translation.file),
    sourceLanguage: canonical.lang,
    targetLanguage: translation.lang,
    originalHash: createHash('sha256').update(original.text).digest('hex').slice(0, 16),
    units,
  };
}

/**
 * A heading inside a list item or a quote starts no section, so it has no stable ID and no unit:
 * its text is said, at its place, to be translated in the Markdown.
 */
function reportUnsegmented(original: DocumentModel, problems: Diagnostic[]): void {
  const visit = (node: Nodes, nested: boolean) => {
    if (node.type === 'heading' && nested) {
      problems.push({
        severity: 'warning',
        ruleId: 'xliff',
        message: 'this heading stands in a list or quote, so it has no stable ID: the XLIFF file does not carry it',
        file: original.file,
        ...(node.position && { place: node.position.start }),
        hint: 'translate it in the Markdown itself, or make it a heading of its own outside the list or quote',
      });
    }
    if (node.type === 'list' || node.type === 'listItem' || node.type === 'blockquote') for (const c of node.children) visit(c, true);
  };
  for (const section of original.allSections) for (const node of section.content) visit(node, false);
}

/**
 * The target's codes renumbered after the source's: the nth code of a kind and node type in the
 * target takes the id of the nth such code in the source (XLIFF pairs a target's code with the
 * source's by id); one the source lacks gets an id after the source's last.
 */
export function matchIds(source: readonly Part[], target: readonly Part[]): Part[] {
  const free = new Map<string, number[]>();
  let next = 1;
  for (const p of source) {
    if (typeof p === 'string' || p.kind === 'close') continue;
    const key = `${p.kind} ${p.type}`;
    free.set(key, [...(free.get(key) ?? []), p.id]);
    next = Math.max(next, p.id + 1);
  }
  const renamed = new Map<number, number>();
  return target.map((p): Part => {
    if (typeof p === 'string') return p;
    if (p.kind === 'close') return { ...p, id: renamed.get(p.id)! } satisfies Code;
    const id = free.get(`${p.kind} ${p.type}`)?.shift() ?? next++;
    renamed.set(p.id, id);
    return { ...p, id };
  });
}

/** A unit as an import reads it back: the target with each code's place in the XLIFF file. */
export interface ReadUnit {
  id: string;
  place: Point;
  hash?: string;
  /** The target's state as written (1.2 state, 2.1 segment state). */
  state?: string;
  /** Undefined when the unit has no target, or an empty one: nothing translated. */
  target?: ReadPart[];
  /** The ids of the codes the unit's source has in the file. */
  sourceIds: Set<number>;
}

export type ReadPart = string | (Code & { place: Point });

export interface ReadExchange {
  version: '1.2' | '2.1';
  place: Point;
  format?: string;
  document?: string;
  original?: string;
  translation?: string;
  sourceLanguage?: string;
  targetLanguage?: string;
  originalHash?: string;
  units: ReadUnit[];
}
