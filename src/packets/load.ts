/**
 * Reads the briefing packets under each SOURCE folder (`packets/*.yaml`) and checks everything
 * they name against the documents: the documents themselves, the section IDs, the languages
 * (the original's, and one it is translated into) and the glossary terms of the termbases.
 * Each problem is reported at its line and column in the packet file, with what exists.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { RootContent } from 'mdast';
import path from 'node:path';
import { closest, shownPath, type Point, type Report } from '../messages.js';
import { blocksBySection, sectionTree } from '../model/query.js';
import type { ImageAsset } from '../model/images.js';
import { removedIds } from '../model/renumbering.js';
import type { DocumentModel, Section } from '../model/types.js';
import { byCodePoint } from '../shared/order.js';
import { readReported } from '../source/files.js';
import { readYaml } from '../source/yaml-schema.js';
import { termbaseFile, termbaseOnce } from '../termbase/read.js';
import { packetSchema, type PacketFile } from './schema.js';
import { readPacketTexts } from './text.js';

export interface PacketSource {
  /** The file name without `.yaml`: the packet's id in output paths and the manifest. */
  id: string;
  file: string;
  data: PacketFile;
  /** Where a value stands in the file. */
  locate(path: readonly (string | number)[]): Point;
  /** The original of each document the packet draws on, in the order first named. */
  originals: DocumentModel[];
  /** The termbase entries of the glossary, in its order. */
  terms: { id: string; text: Record<string, string>; gloss: Record<string, string> }[];
  /** The packet's own Markdown (its key points and background), parsed and checked, by textKey. */
  texts: Map<string, RootContent[]>;
  /** The images of that text, by URL as written. */
  images: Map<string, ImageAsset>;
}

const TEXT_KEYS = ['title', 'subtitle', 'purpose', 'audience', 'classification', 'prepared-by', 'background'] as const;

export function loadPackets(sources: readonly string[], models: readonly DocumentModel[], report: Report): PacketSource[] {
  const packets: PacketSource[] = [];
  // A packet's file name names its outputs (packets/<name>.<languages>.*) and its entry in the
  // catalogue, beside the documents': two packets, or a packet and a document, may not share one.
  const named = new Map<string, string>();
  const documents = new Set(models.map((m) => m.id));
  for (const source of sources) {
    const dir = path.join(path.resolve(source), 'packets');
    if (!existsSync(dir)) continue;
    if (!statSync(dir).isDirectory()) {
      report.error('source-layout', 'the packets folder is a file', { file: dir, hint: 'briefing packets go in a folder named packets/, one YAML file each' });
      continue;
    }
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort(byCodePoint)) {
      const file = path.join(dir, name);
      const id = path.basename(name, '.yaml');
      const first = named.get(id);
      if (first !== undefined) {
        report.error('name-collision', `two briefing packets are named "${id}": ${shownPath(first)} and this file`, {
          file,
          hint: `rename one of the files: a packet's file name names its outputs (packets/${id}.<languages>.html), and the two would overwrite each other`,
        });
        continue;
      }
      named.set(id, file);
      if (documents.has(id)) {
        report.error('name-collision', `the briefing packet "${id}" has the name of a document`, {
          file,
          hint: 'rename the file: the catalogue lists documents and packets by name, and one name would stand for both',
        });
        continue;
      }
      const packet = readPacket(file, models, report);
      if (packet) packets.push(packet);
    }
  }
  return packets;
}

function readPacket(file: string, models: readonly DocumentModel[], report: Report): PacketSource | undefined {
  const text = readReported(file, 'packet', report);
  if (text === undefined) return undefined;
  const checked = readYaml({ text, file, firstLine: 1, report, rules: { syntax: 'packet-yaml', schema: 'packet-schema' }, what: 'packet' }, packetSchema);
  const data = checked.value;
  if (!data) return undefined;
  const errors = report.errorCount;
  const at = (p: (string | number)[], message: string, hint: string) => report.error('packet-content', message, { file, place: checked.locate(p), hint });
  const [first, second] = data.languages;
  if (first === second) {
    at(['languages', 1], `the packet's two languages are both ${first}`, "name the original's language and one it is translated into, in reading order, for example [en, zh-Hans]");
    return undefined;
  }

  // Every text is written in both languages, and only in them.
  const texts: [string | number, ...(string | number)[]][] = [
    ...TEXT_KEYS.filter((k) => data[k]).map((k): [string] => [k]),
    ...data['key-points'].map((_, i): [string, number] => ['key-points', i]),
  ];
  for (const p of texts) {
    const map = p.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)[k], data) as Record<string, string>;
    for (const lang of [first, second]) {
      if (!(lang in map)) at(p, `${p.join('.')} has no ${lang} text`, `write it in both of the packet's languages: ${first} and ${second}`);
    }
    for (const key of Object.keys(map)) {
      if (key !== first && key !== second) at([...p, key], `${p.join('.')} has text in "${key}", which is not one of the packet's languages`, `the packet is in ${first} and ${second}; change "languages" or remove this text`);
    }
  }

  const byId = new Map<string, DocumentModel[]>();
  for (const m of models) byId.set(m.id, [...(byId.get(m.id) ?? []), m]);
  const originals: DocumentModel[] = [];
  // A language no document is in needs no missing glossary forms reported on top.
  let languagesKnown = true;
  // The two languages pair by stable ID: every section chosen (with its subsections) must
  // bring IDs no other chosen section brings.
  const taken = new Map<string, string>();
  data.sections.forEach((entry, i) => {
    const texts = byId.get(entry.document);
    const original = texts?.find((m) => !m.canonical);
    if (!texts || !original) {
      const near = closest(entry.document, [...byId.keys()]);
      at(['sections', i, 'document'], `no document "${entry.document}"`, near.length > 0 ? `did you mean ${near.join(' or ')}?` : `documents: ${[...byId.keys()].join(', ')}`);
      return;
    }
    if (!originals.includes(original)) originals.push(original);
    // One language is the original's, the other one it is translated into, in either order.
    const translated = texts.filter((m) => m.canonical).map((m) => m.lang);
    const other = first === original.lang ? 1 : second === original.lang ? 0 : undefined;
    if (other === undefined) {
      languagesKnown = false;
      at(['languages'], `neither ${first} nor ${second} is the language of ${entry.document}, which is written in ${original.lang}`, `name ${original.lang} as one of the two languages`);
    } else if (!translated.includes(data.languages[other]) && data.languages[other] !== original.lang) {
      languagesKnown = false;
      const lang = data.languages[other];
      at(['languages', other], `${entry.document} has no translation into "${lang}"`, translated.length > 0 ? `its translations: ${translated.join(', ')}` : `${entry.document} has no translations yet: add paper.${lang}.md beside its original`);
    }
    const ids = original.allSections.map((s) => s.id);
    entry.ids.forEach((named, j) => {
      const id = followRenumbering(texts, original, named, (message, hint) => report.warning('renumbered-id', message, { file, place: checked.locate(['sections', i, 'ids', j]), hint }));
      entry.ids[j] = id;
      const section = original.allSections.find((s) => s.id === id);
      if (section) {
        const inside = sectionTree(section);
        const clash = inside.find((s) => taken.has(s.id));
        if (clash) {
          at(['sections', i, 'ids', j], `the section "${id}" of ${entry.document} repeats "${clash.id}", already chosen with ${taken.get(clash.id)}`, 'a section brings its subsections with it: choose each part once (and take sections of different documents only when their IDs differ)');
        }
        for (const s of inside) taken.set(s.id, `${entry.document} ${id}`);
        const translation = texts.find((m) => m.canonical && data.languages.includes(m.lang));
        if (translation) checkTranslated(translation, original, section, data.languages[0] === translation.lang, (message, hint) => at(['sections', i, 'ids', j], message, hint));
        return;
      }
      const near = closest(id, ids);
      const outline = original.allSections.filter((s) => s.depth <= 2).map((s) => s.id);
      at(['sections', i, 'ids', j], `${entry.document} has no section "${id}"`, `${near.length > 0 ? `did you mean ${near.join(' or ')}? ` : ''}its sections: ${outline.join(', ')} (and their subsections, such as ${ids.at(-2)})`);
    });
  });

  const read = originals.map((o) => termbaseOnce(termbaseFile(path.dirname(o.file)), report));
  // Packets share their documents' termbases: each is read (and its problems reported) once
  // (termbaseOnce); one that cannot be read has its terms not then reported one by one.
  const termbase = new Map(read.flatMap((terms) => [...(terms ?? [])]));
  const glossary = read.includes(undefined) ? [] : data.glossary;
  const terms: PacketSource['terms'] = [];
  glossary.forEach((id, i) => {
    const entry = termbase.get(id);
    if (!entry) {
      const near = closest(id, [...termbase.keys()]);
      const where = originals.map((o) => path.relative(process.cwd(), path.join(path.dirname(o.file), 'termbase.yaml'))).join(', ');
      at(['glossary', i], `the glossary term "${id}" is not in the termbase`, `${near.length > 0 ? `did you mean ${near.join(' or ')}? ` : ''}terms in ${where || 'the termbase'}: ${[...termbase.keys()].join(', ') || 'none'}`);
      return;
    }
    const { text, gloss } = entry;
    for (const lang of languagesKnown ? [first, second] : []) {
      if (!(lang in text)) at(['glossary', i], `the termbase gives "${id}" no ${lang} form`, `add ${lang}: to the term "${id}" in termbase.yaml`);
    }
    terms.push({ id, text, gloss });
  });

  const { texts: parsed, images } = readPacketTexts(data, file, checked.locate, report, originals[0]?.linkSchemes ?? []);
  if (report.errorCount > errors) return undefined;
  return { id: path.basename(file, '.yaml'), file, data, locate: checked.locate, originals, terms, texts: parsed, images };
}

/**
 * The section a packet's ID names, as the original's renumbering since its translations were
 * accepted has left it (their records say which section stood under the ID then; renumbering.ts).
 * An ID the renumbering took away is followed to the section's new ID: it can mean nothing else.
 * An ID the renumbering gave to another section is kept, and `warn` says so: the packet may have
 * been written before the renumbering (it meant the section now under the new ID) or after it
 * (it means the section under the ID now), and following it would put another section in the
 * packet, silently, whenever the author meant the new one.
 */
function followRenumbering(texts: readonly DocumentModel[], original: DocumentModel, id: string, warn: (message: string, hint: string) => void): string {
  const now = texts.map((t) => t.moves?.get(id)).find((to) => to !== undefined && to !== id);
  const moved = now === undefined ? undefined : original.allSections.find((s) => s.id === now);
  if (!moved) {
    const there = now === undefined && removedIds(texts).has(id) ? original.allSections.find((s) => s.id === id) : undefined;
    if (there) warn(`the section "${id}" of ${original.id} is now "${there.text}": the section "${id}" named when its translations were accepted is no longer in ${path.basename(original.file)}`, `remove it from the packet if the packet meant that section; it takes "${there.text}", as written (the warning ends when the translations are accepted again)`);
    return id;
  }
  const there = original.allSections.find((s) => s.id === id);
  const source = path.basename(original.file);
  if (!there) {
    warn(`${original.id} has no section "${id}" any more: ${source} has renumbered it ${now} ("${moved.text}"), which the packet takes`, `write ${now}: the renumbering is followed only while the translations' records remember it`);
    return now!;
  }
  warn(
    `the section "${id}" of ${original.id} is now "${there.text}": ${source} has been renumbered since its translations were accepted, and the section "${id}" named then is now ${now} ("${moved.text}")`,
    `if the packet means "${moved.text}", write ${now}; it takes "${there.text}", as written (the warning ends when the translations are accepted again)`,
  );
  return id;
}

/**
 * A partial translation may lack a chosen section: the packet would have no heading to set. With
 * the translation first it may lack none of the section's text either: the renderers walk the
 * first text, so what it lacks would be left out, where with the original first it stands flagged.
 */
function checkTranslated(translation: DocumentModel, original: DocumentModel, section: Section, first: boolean, fail: (message: string, hint: string) => void): void {
  const has = new Set([...translation.allSections.map((s) => s.id), ...translation.blocks.map((b) => b.id)]);
  const file = path.basename(translation.file);
  if (!has.has(section.id)) {
    fail(`the ${translation.lang} translation of ${original.id} does not translate section "${section.id}" yet`, `a packet sets each chosen section in both languages: translate at least its heading in ${file}, or choose another section`);
    return;
  }
  if (!first) return;
  const blocks = blocksBySection(original);
  const lacking = sectionTree(section)
    .flatMap((s) => [s.id, ...(blocks.get(s.id) ?? []).map((b) => b.id)])
    .filter((id) => !has.has(id));
  if (lacking.length === 0) return;
  const named = lacking.length > 3 ? `${lacking.slice(0, 3).join(', ')} and ${lacking.length - 3} more` : lacking.join(', ');
  fail(
    `with ${translation.lang} first, the packet would leave out what ${file} does not translate yet of section "${section.id}": ${named}`,
    `put ${original.lang} first in "languages" (the untranslated text then stands beside the original, flagged), or translate it`,
  );
}
