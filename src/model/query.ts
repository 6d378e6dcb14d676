/** Ways of reading the model that several stages share. */
import type { Block, DocumentModel, Section } from './types.js';

/** The blocks of each section, by section ID, in reading order. */
export function blocksBySection(model: DocumentModel): Map<string, Block[]> {
  const map = new Map<string, Block[]>();
  for (const b of model.blocks) {
    const list = map.get(b.sectionId);
    if (list) list.push(b);
    else map.set(b.sectionId, [b]);
  }
  return map;
}

/** A section and every section inside it, in reading order. */
export function sectionTree(s: Section): Section[] {
  return [s, ...s.children.flatMap(sectionTree)];
}

/** How a bilingual edition pairs two texts by stable ID. */
export interface Pairing {
  /** The second text's section with the ID of one of the first's. */
  section(id: string): Section | undefined;
  /** The first text's blocks of section `id`, each with the second text's block of the same ID. */
  blocks(id: string): { block: Block; other: Block | undefined }[];
}

export function pairTexts(first: DocumentModel, second: DocumentModel): Pairing {
  const sections = new Map(second.allSections.map((s) => [s.id, s]));
  const ownBlocks = blocksBySection(first);
  const otherBlocks = new Map(second.blocks.map((b) => [b.id, b]));
  return {
    section: (id) => sections.get(id),
    blocks: (id) => (ownBlocks.get(id) ?? []).map((block) => ({ block, other: otherBlocks.get(block.id) })),
  };
}
