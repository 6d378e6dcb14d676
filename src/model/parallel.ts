/**
 * A bilingual edition's two texts paired once, for every renderer: section by section and block
 * by block by stable ID, in the original's structure, each block with what each side has and
 * the flag it carries. The structure is the original's whichever language comes first, so a
 * block the translation lacks still has its row (the original beside a "not yet translated"
 * flag), and the edition's order of languages changes only which side is which.
 */
import { blocksBySection } from './query.js';
import { translationFlags, type TranslationFlag } from './staleness.js';
import type { Block, DocumentModel, Section } from './types.js';

/** One row: a block of the original, with each side's text of it (absent where untranslated). */
export interface ParallelRow {
  id: string;
  /** The original's block: its kind and list item hold for both sides. */
  original: Block;
  first?: Block;
  second?: Block;
}

/** One section: each side's section (absent where untranslated), its rows, its subsections. */
export interface ParallelSection {
  id: string;
  /** The original's section: its depth and whether it has a heading (the preamble has none). */
  original: Section;
  first?: Section;
  second?: Section;
  rows: ParallelRow[];
  children: ParallelSection[];
}

export interface ParallelText {
  /** The edition's texts in reading order. */
  texts: readonly [DocumentModel, DocumentModel];
  sections: ParallelSection[];
  /** The flag printed under a heading or block of `text` (stale, or missing), by stable ID. */
  flag(text: DocumentModel, id: string): TranslationFlag | undefined;
}

/**
 * Pairs `first` and `second`. The original is the one the other was translated from (a
 * translation's, or a briefing packet's text in the language of the documents' originals).
 */
export function parallelText(first: DocumentModel, second: DocumentModel): ParallelText {
  const original = first.canonical === second ? second : first;
  const blocksOf = (text: DocumentModel) => new Map(text.blocks.map((b) => [b.id, b]));
  const sectionsOf = (text: DocumentModel) => new Map(text.allSections.map((s) => [s.id, s]));
  const [firstBlocks, secondBlocks] = [blocksOf(first), blocksOf(second)];
  const [firstSections, secondSections] = [sectionsOf(first), sectionsOf(second)];
  const originalBlocks = blocksBySection(original);
  const pair = (s: Section): ParallelSection => ({
    id: s.id,
    original: s,
    ...optional('first', firstSections.get(s.id)),
    ...optional('second', secondSections.get(s.id)),
    rows: (originalBlocks.get(s.id) ?? []).map((b) => ({ id: b.id, original: b, ...optional('first', firstBlocks.get(b.id)), ...optional('second', secondBlocks.get(b.id)) })),
    children: s.children.map(pair),
  });
  return { texts: [first, second], sections: original.sections.map(pair), flag: translationFlags() };
}

/** `{ [key]: value }`, or nothing when there is no value (the model's optional fields stay absent). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** Every section of `sections` and their subsections, in reading order. */
export function eachParallelSection(sections: readonly ParallelSection[]): ParallelSection[] {
  return sections.flatMap((s) => [s, ...eachParallelSection(s.children)]);
}
