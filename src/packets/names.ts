/**
 * A packet that draws on several documents sets their text in one model, but each document
 * names its notes (`[^1]`), its link and image definitions (`[report]`) and its image files
 * (`figure.png`) for itself: two documents may use the same name for different things. Each
 * document's names that an earlier one already uses are renamed (with the document's id), on
 * copies of its nodes: the documents' own editions, set from the same nodes in the same build,
 * keep their names. The packet's own images keep their names, and the first document all of its.
 */
import type { Definition, FootnoteDefinition, Nodes } from 'mdast';
import type { ImageAsset } from '../model/images.js';
import type { DocumentModel, Section } from '../model/types.js';

export interface SharedNames {
  /** A copy of section `s` of `text` (its subsections too) with the names as the packet knows them. */
  section(text: DocumentModel, s: Section): Section;
  footnotes: FootnoteDefinition[];
  definitions: Map<string, Definition>;
  images: Map<string, ImageAsset>;
}

interface Renames {
  notes: Map<string, string>;
  definitions: Map<string, string>;
  images: Map<string, string>;
}

/** `packetImages`: the images of the packet's own text, whose names the documents' give way to. */
export function shareNames(texts: readonly DocumentModel[], packetImages: ReadonlyMap<string, ImageAsset> = new Map()): SharedNames {
  const taken = { notes: new Set<string>(), definitions: new Set<string>() };
  const images = new Map(packetImages);
  const renames = new Map<DocumentModel, Renames>();
  for (const text of texts) {
    const own = {
      notes: renamed(text.footnotes.map((f) => f.identifier), (name) => taken.notes.has(name), (name) => taken.notes.has(name), text.id),
      definitions: renamed([...text.definitions.keys()], (name) => taken.definitions.has(name), (name) => taken.definitions.has(name), text.id),
      // The same file named twice is one image; the same name for two files is two.
      images: renamed([...text.images.keys()], (url) => images.has(url) && images.get(url)!.file !== text.images.get(url)!.file, (url) => images.has(url), text.id),
    };
    renames.set(text, own);
    for (const f of text.footnotes) taken.notes.add(own.notes.get(f.identifier) ?? f.identifier);
    for (const id of text.definitions.keys()) taken.definitions.add(own.definitions.get(id) ?? id);
    for (const [url, asset] of text.images) images.set(own.images.get(url) ?? url, asset);
  }

  const copy = <T extends Nodes>(text: DocumentModel, node: T): T => {
    const clone = structuredClone(node);
    rename(clone, renames.get(text)!);
    return clone;
  };
  const section = (text: DocumentModel, s: Section): Section => ({
    ...s,
    ...(s.heading && { heading: copy(text, s.heading) }),
    content: s.content.map((node) => copy(text, node)),
    children: s.children.map((c) => section(text, c)),
  });
  return {
    section,
    footnotes: texts.flatMap((t) => t.footnotes.map((f) => copy(t, f))),
    definitions: new Map(texts.flatMap((t) => [...t.definitions.values()].map((d) => copy(t, d))).map((d) => [d.identifier, d])),
    images,
  };
}

/**
 * New names for those of a document's `names` that `clash` with an earlier document's, each
 * one no document `used` yet and not one of this document's own.
 */
function renamed(names: readonly string[], clash: (name: string) => boolean, used: (name: string) => boolean, documentId: string): Map<string, string> {
  const renames = new Map<string, string>();
  const own = new Set(names);
  for (const name of names.filter(clash)) {
    let next = `${name}-${documentId}`;
    for (let n = 2; used(next) || own.has(next); n++) next = `${name}-${documentId}-${n}`;
    renames.set(name, next);
    own.add(next);
  }
  return renames;
}

function rename(node: Nodes, names: Renames): void {
  if (node.type === 'footnoteReference' || node.type === 'footnoteDefinition') {
    const to = names.notes.get(node.identifier);
    if (to) Object.assign(node, { identifier: to, label: to });
  }
  if (node.type === 'linkReference' || node.type === 'imageReference' || node.type === 'definition') {
    const to = names.definitions.get(node.identifier);
    if (to) Object.assign(node, { identifier: to, label: to });
  }
  if (node.type === 'image' || node.type === 'definition') node.url = names.images.get(node.url) ?? node.url;
  if ('children' in node) for (const child of node.children) rename(child, names);
}
