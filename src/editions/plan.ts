/**
 * Which outputs exist. Today: the complete edition of each document in each language it is
 * written in (`print` in the manifest, as DESIGN.md names it), in every requested format.
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
  return planned;
}
