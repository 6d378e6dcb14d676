/**
 * An output's cache key: the hash of everything its bytes are made from.
 * - The tool: its own code (the files of the folder it runs from), its package.json and lockfile,
 *   and the versions of the packages it depends on (fonts are npm packages).
 * - The templates, theme and UI strings: every file of every template folder.
 * - The texts as the renderers get them: the model of each text (and of its original, for a
 *   translation: whole in a bilingual edition, its front matter for the translation's own), as
 *   built and typeset, walked whole: every node, its data and its place (line
 *   and column; not the offset, so that a paragraph edited above a packet's sections moves none of
 *   theirs), the front matter, the images' bytes; and a translation's record, which its flags
 *   come from. A briefing packet has its own texts; of the documents it draws from, it has the
 *   flags of the blocks it takes, not the documents whole: a paragraph edited outside its
 *   sections leaves it as it is.
 * - The output: its format, path, edition and layout, the build's date and generator.
 * (The tool's and the templates' fingerprints are fingerprint.ts's.) Files are named by their paths from the working folder, so that a checkout elsewhere has the
 * same keys (and the diagnostics kept with an entry, cache.ts, are said of the files there).
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PlannedOutput } from '../editions/plan.js';
import type { EditionSpec } from '../editions/spec.js';
import { recordFile, translationFlags } from '../model/staleness.js';
import type { DocumentModel } from '../model/types.js';
import type { BuildInfo } from '../templating/context.js';

/** Keys the outputs of one build: models are hashed once however many outputs they are in. */
export class CacheKeys {
  private readonly models = new Map<DocumentModel, string>();
  private readonly flags = translationFlags();

  constructor(private readonly fixed: string) {}

  key(planned: PlannedOutput, build: BuildInfo, edition: EditionSpec): string {
    const h = createHash('sha256');
    h.update(this.fixed);
    h.update(JSON.stringify({ format: planned.format, path: planned.path, edition: planned.edition, languages: planned.languages, layout: planned.layout ?? null, build, spec: edition }));
    for (const m of [planned.model, planned.partner]) {
      h.update(`\0${m ? this.model(m) : '-'}`);
      // A translation's edition alone reads of its original the front matter only (the source
      // it names); beside it, in a bilingual edition, the original is the other text, whole.
      if (m?.canonical && !m.packet) h.update(`\0${planned.partner ? this.model(m.canonical) : this.front(m.canonical)}`);
    }
    return h.digest('hex');
  }

  private front(model: DocumentModel): string {
    const h = createHash('sha256');
    walk(h, model.meta, new Map());
    return h.digest('hex');
  }

  private model(model: DocumentModel): string {
    let digest = this.models.get(model);
    if (digest !== undefined) return digest;
    const h = createHash('sha256');
    // A packet's sources are the documents whole: it has the flags of its own blocks instead.
    walk(h, model, new Map(), (key) => key === 'sources' || key === 'canonical');
    // A packet's second text is made from its first (its canonical), the other text of its edition.
    if (model.canonical && model.packet) h.update(`canonical\0${this.model(model.canonical)}\0`);
    if (model.canonical && !model.packet) {
      const record = recordFile(model.file);
      h.update('record\0').update(existsSync(record) ? readFileSync(record) : '');
    }
    if (model.packet) for (const b of model.blocks) h.update(`flag\0${b.id}\0${this.flags(model, b.id) ?? ''}\0`);
    digest = h.digest('hex');
    this.models.set(model, digest);
    return digest;
  }
}

/**
 * Feeds `value` to the hash as it is: objects by their keys, Maps and Sets by their entries, bytes
 * as their digest; an object met again as a reference to its first place (the model shares nodes
 * between its sections and its blocks). A position's offset is left out (see above); `skip`
 * names keys of the top object only.
 */
function walk(h: Hash, value: unknown, seen: Map<object, number>, skip: (key: string) => boolean = () => false): void {
  if (value === null || typeof value !== 'object') {
    h.update(`${typeof value}:${String(value)}\0`);
    return;
  }
  const at = seen.get(value);
  if (at !== undefined) {
    h.update(`ref:${at}\0`);
    return;
  }
  seen.set(value, seen.size);
  if (value instanceof Uint8Array) {
    h.update(`bytes:${createHash('sha256').update(value).digest('hex')}\0`);
  } else if (value instanceof Map) {
    h.update('map{');
    for (const [k, v] of value) {
      walk(h, k, seen);
      walk(h, v, seen);
    }
    h.update('}');
  } else if (value instanceof Set || Array.isArray(value)) {
    h.update('[');
    for (const v of value) walk(h, v, seen);
    h.update(']');
  } else if (value instanceof Date) {
    h.update(`date:${value.toISOString()}\0`);
  } else {
    h.update('{');
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined || skip(k) || (k === 'offset' && typeof v === 'number')) continue;
      h.update(`${k}=`);
      // A file by its path from the project (the working folder): a checkout elsewhere, as CI
      // makes one, has the same keys.
      if (k === 'file' && typeof v === 'string') h.update(`file:${path.relative(process.cwd(), v)}\0`);
      else walk(h, v, seen);
    }
    h.update('}');
  }
}

