/**
 * A packet that draws on two documents using the same note labels, reference labels and image
 * file names for different things (tests/fixtures/corpus/packet-ports and packet-clinics): every
 * note mark, reference link and image of a chosen section resolves, in the packet, to what it
 * resolves to in its own document; and the documents' own models are left as they were.
 */
import path from 'node:path';
import type { Nodes } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import { check } from '../src/build/build.js';
import { buildInfo } from '../src/build/dates.js';
import type { DocumentModel } from '../src/model/types.js';
import { packetModels } from '../src/packets/model.js';
import { Templates } from '../src/templating/engine.js';
import { ROOT } from './helpers.js';

const CORPUS = path.join(ROOT, 'tests', 'fixtures', 'corpus');

let models: DocumentModel[];
let packet: [DocumentModel, DocumentModel];

beforeAll(async () => {
  const checked = await check([CORPUS]);
  models = checked.models;
  const source = checked.packets.find((p) => p.id === 'ports-and-clinics')!;
  packet = packetModels(source, models, new Templates([]), buildInfo(source.originals[0]!, {}));
});

/** What each note mark, reference link and image of `node` resolves to in `text`, in order. */
function resolved(node: Nodes, text: DocumentModel): string[] {
  const found: string[] = [];
  const walk = (n: Nodes): void => {
    if (n.type === 'footnoteReference') found.push(`note: ${toString(text.footnotes.find((f) => f.identifier === n.identifier) ?? { type: 'text', value: '(none)' })}`);
    if (n.type === 'linkReference') found.push(`link: ${text.definitions.get(n.identifier)?.url ?? '(none)'}`);
    if (n.type === 'imageReference' || n.type === 'image') {
      const url = n.type === 'image' ? n.url : text.definitions.get(n.identifier)?.url;
      found.push(`image: ${(url !== undefined && text.images.get(url)?.file) || '(none)'}`);
    }
    if ('children' in n) n.children.forEach(walk);
  };
  walk(node);
  return found;
}

describe('a packet drawing on two documents with the same names', () => {
  it('resolves every note, reference link and image of a chosen block to its own document’s', () => {
    for (const model of packet) {
      const documents = model.sources!;
      expect(documents.map((d) => d.id)).toEqual(['packet-ports', 'packet-clinics']);
      // The fixture's point: in each language, both documents use the same labels and image file name.
      const names = (d: DocumentModel) => [...d.footnotes.map((f) => f.identifier), ...d.definitions.keys(), ...d.images.keys()].sort();
      expect(names(documents[1]!)).toEqual(names(documents[0]!));
      const kinds = new Set<string>();
      for (const block of model.blocks) {
        const own = documents.flatMap((d) => d.blocks.filter((b) => b.id === block.id).map((b) => ({ d, b })));
        if (own.length === 0) continue;
        expect(own, block.id).toHaveLength(1);
        const expected = resolved(own[0]!.b.node, own[0]!.d);
        expect(expected.join('\n'), `${block.id} in its own document`).not.toContain('(none)');
        expect(resolved(block.node, model), `${model.lang}: ${block.id}`).toEqual(expected);
        for (const e of expected) kinds.add(`${own[0]!.d.id} ${e.split(':')[0]}`);
      }
      // Each document's notes, links and images were all compared.
      expect([...kinds].sort()).toEqual(documents.flatMap((d) => ['image', 'link', 'note'].map((k) => `${d.id} ${k}`)).sort());
    }
  });

  it('keeps the note marks of a chosen heading, each with its own document’s note', () => {
    for (const model of packet) {
      const training = model.allSections.find((s) => s.id === 'training')!;
      const own = model.sources!.find((d) => d.id === 'packet-clinics')!.allSections.find((s) => s.id === 'training')!;
      expect(resolved(own.heading!, model.sources![1]!)).toHaveLength(1);
      expect(resolved(training.heading!, model)).toEqual(resolved(own.heading!, model.sources![1]!));
    }
  });

  it('leaves the documents’ own models with their own names', async () => {
    const fresh = (await check([CORPUS])).models.filter((m) => m.id.startsWith('packet-'));
    for (const before of fresh) {
      const after = models.find((m) => m.id === before.id && m.lang === before.lang)!;
      expect(after.blocks.map((b) => resolved(b.node, after))).toEqual(before.blocks.map((b) => resolved(b.node, before)));
      expect(after.footnotes.map((f) => f.identifier)).toEqual(before.footnotes.map((f) => f.identifier));
    }
  });
});

describe('a link to a part of its document that the packet leaves out', () => {
  it('keeps its text and loses its link, in the packet only', async () => {
    // packet-images chooses section I of note-doc, whose first paragraph links to section II.
    const folder = path.join(CORPUS, 'packet-images');
    const { models, packets } = await check([folder]);
    const source = packets.find((p) => p.id === 'charts')!;
    const pair = packetModels(source, models, new Templates([]), buildInfo(source.originals[0]!, {}));
    const internal = (node: Nodes): string[] => [...(node.type === 'link' && node.url.startsWith('#') ? [node.url.slice(1)] : []), ...('children' in node ? node.children.flatMap(internal) : [])];
    for (const model of pair) {
      const original = models.find((m) => m.id === 'note-doc' && m.lang === model.lang)!;
      const paragraph = original.blocks.find((b) => b.id === 'i-p1')!;
      expect(internal(paragraph.node)).toEqual(['ii']);
      const ids = new Set([...model.allSections.map((s) => s.id), ...model.blocks.map((b) => b.id)]);
      expect(ids.has('ii')).toBe(false);
      const copy = model.blocks.find((b) => b.id === 'i-p1')!;
      expect(internal(copy.node)).toEqual([]);
      expect(toString(copy.node)).toBe(toString(paragraph.node));
    }
  });
});

describe('the headings of chosen sections', () => {
  it('cite a numbered section by its number, and an unnumbered one by its own title in each language', () => {
    const [en, es] = packet;
    const headings = (text: DocumentModel) => text.allSections.map((s) => s.text);
    expect(headings(en)).toEqual(expect.arrayContaining(['II Shipping Lines', 'Rural Clinics']));
    // Not "Rural Clinics Clínicas rurales": the original's title is no number to cite.
    expect(headings(es)).toEqual(expect.arrayContaining(['II Líneas navieras', 'Clínicas rurales']));
  });
});
