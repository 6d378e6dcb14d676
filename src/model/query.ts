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
