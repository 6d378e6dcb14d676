/**
 * Which outputs exist: the complete edition of each document in each language it is written in
 * (`print` in the manifest, as DESIGN.md names it), and for each translation the bilingual
 * edition, original first, in every requested format that renders bilingual editions; then each
 * briefing packet in the same formats.
 */
import { FORMATS, type FormatName } from '../formats/registry.js';
import type { BilingualSetting } from '../config/config.js';
import type { DocumentModel } from '../model/types.js';

export type EditionName = 'print' | 'bilingual' | 'briefing';

export interface PlannedOutput {
  model: DocumentModel;
  edition: EditionName;
  format: FormatName;
  /** Relative to the output folder, with forward slashes. */
  path: string;
  /** BCP 47 tags in reading order. */
  languages: string[];
  /** The second language of a bilingual edition. */
  partner?: DocumentModel;
  /** A bilingual edition's layout. */
  layout?: BilingualSetting['layout'];
}

export function planOutputs(
  models: readonly DocumentModel[],
  formats: readonly FormatName[],
  settings: readonly BilingualSetting[] = [],
  packets: readonly [DocumentModel, DocumentModel][] = [],
): PlannedOutput[] {
  const planned: PlannedOutput[] = [];
  for (const model of models) {
    for (const format of formats) {
      planned.push({
        model,
        edition: 'print',
        format,
        path: `${model.id}/${model.id}.${model.lang}.${FORMATS[format].ext}`,
        languages: [model.lang],
      });
    }
  }
  for (const translation of models.filter((m) => m.canonical)) {
    const original = translation.canonical!;
    // The project config may put the translation first, or alternate the languages.
    const setting = settings.find((b) => new Set(b.languages).size === 2 && b.languages.includes(original.lang) && b.languages.includes(translation.lang));
    const [first, second] = setting?.languages[0] === translation.lang ? [translation, original] : [original, translation];
    for (const format of formats.filter((f) => FORMATS[f].bilingual)) {
      planned.push({
        model: first,
        partner: second,
        edition: 'bilingual',
        format,
        path: `${original.id}/${original.id}.${first.lang}+${second.lang}.${FORMATS[format].ext}`,
        languages: [first.lang, second.lang],
        layout: setting?.layout ?? 'side-by-side',
      });
    }
  }
  // A briefing packet is a bilingual edition of its own, in the order its file gives.
  for (const [first, second] of packets) {
    for (const format of formats.filter((f) => FORMATS[f].bilingual)) {
      planned.push({
        model: first,
        partner: second,
        edition: 'briefing',
        format,
        path: `packets/${first.id}.${first.lang}+${second.lang}.${FORMATS[format].ext}`,
        languages: [first.lang, second.lang],
        layout: 'side-by-side',
      });
    }
  }
  return planned;
}
