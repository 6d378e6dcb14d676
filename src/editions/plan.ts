/**
 * Which outputs exist: the complete edition of each document in each language it is written in
 * (`print` in the manifest, as DESIGN.md names it), and for each translation the bilingual
 * edition, original first, in every requested format that renders bilingual editions.
 */
import { FORMATS, type FormatName } from '../formats/registry.js';
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
}

export function planOutputs(models: readonly DocumentModel[], formats: readonly FormatName[]): PlannedOutput[] {
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
    for (const format of formats.filter((f) => FORMATS[f].bilingual)) {
      planned.push({
        model: original,
        partner: translation,
        edition: 'bilingual',
        format,
        path: `${original.id}/${original.id}.${original.lang}+${translation.lang}.${FORMATS[format].ext}`,
        languages: [original.lang, translation.lang],
      });
    }
  }
  return planned;
}
