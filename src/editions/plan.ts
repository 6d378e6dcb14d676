/**
 * Which outputs exist: the complete edition of each document in each language it is written in
 * (`print` in the manifest, as DESIGN.md names it), and for each translation the bilingual
 * edition, original first unless the config says otherwise; then each briefing packet; all in
 * every requested format. A translation that leaves text untranslated has no edition of its own
 * (it would not be the complete text in its language); its bilingual edition shows the original
 * beside each gap.
 */
import { FORMATS, type FormatName } from '../formats/registry.js';
import type { BilingualSetting } from '../config/config.js';
import type { Report } from '../messages.js';
import { translationStatus } from '../model/staleness.js';
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

/**
 * Refuses a bilingual setting that would be ignored: one naming a language no document is in
 * (or one written in another case: `zh-hans` for `zh-Hans`), or a pair of languages that no
 * original and translation make. (A setting naming one language twice, or an edition twice, is
 * refused where the config is read.)
 */
export function checkBilingualSettings(settings: readonly BilingualSetting[], models: readonly DocumentModel[], report: Report): void {
  const languages = [...new Set(models.map((m) => m.lang))].sort();
  const editions = [...new Set(models.filter((m) => m.canonical).map((m) => `${m.canonical!.lang}+${m.lang}`))].sort();
  for (const setting of settings) {
    const [first, second] = setting.languages;
    if (first === second) continue;
    let known = true;
    setting.languages.forEach((tag, i) => {
      if (languages.includes(tag)) return;
      known = false;
      const near = languages.find((l) => l.toLowerCase() === tag.toLowerCase());
      report.error('config-content', `the bilingual setting names "${tag}", which is not the language of any document`, {
        ...(setting.at && { file: setting.at.file, place: setting.at.each[i] }),
        hint: near ? `did you mean ${near}? (a tag is written as in the file name: paper.${near}.md)` : `the documents are in ${languages.join(', ')}`,
      });
    });
    if (!known || editions.some((e) => e === `${first}+${second}` || e === `${second}+${first}`)) continue;
    report.error('config-content', `no document has a bilingual edition in ${first} and ${second}`, {
      ...(setting.at && { file: setting.at.file, place: setting.at.languages }),
      hint: editions.length > 0 ? `the bilingual editions are ${editions.join(', ')} (an original and one of its translations)` : 'no document has a translation yet',
    });
  }
}

/**
 * The outputs to build. A translation with untranslated text gets no single-language edition
 * (a warning in `report`); its bilingual edition, in either order of languages, sets the
 * original beside each gap (the renderers walk the original's structure: model/parallel.ts).
 */
export function planOutputs(
  models: readonly DocumentModel[],
  formats: readonly FormatName[],
  settings: readonly BilingualSetting[] = [],
  packets: readonly [DocumentModel, DocumentModel][] = [],
  report?: Report,
): PlannedOutput[] {
  const planned: PlannedOutput[] = [];
  /** How much of each translation is missing, when any is. */
  const gaps = new Map<DocumentModel, string>();
  for (const model of models.filter((m) => m.canonical)) {
    const { counts, segments } = translationStatus(model);
    if (counts.missing > 0) gaps.set(model, `${counts.missing} of ${segments.length} segments are not translated`);
  }
  for (const model of models) {
    if (gaps.has(model)) {
      report?.warning('translation-incomplete', `the ${model.lang} edition is not built: ${gaps.get(model)}`, {
        file: model.file,
        hint: `the ${model.canonical!.lang}+${model.lang} edition sets the original beside each gap, flagged; translate the rest to build the ${model.lang} edition (see "editions translations status")`,
      });
      continue;
    }
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
  // Two texts side by side, in every format: a bilingual edition, or a briefing packet.
  const pairs = (first: DocumentModel, second: DocumentModel, edition: EditionName, stem: string, layout: BilingualSetting['layout']) => {
    for (const format of formats) {
      const path = `${stem}.${first.lang}+${second.lang}.${FORMATS[format].ext}`;
      planned.push({ model: first, partner: second, edition, format, path, languages: [first.lang, second.lang], layout });
    }
  };
  for (const translation of models.filter((m) => m.canonical)) {
    const original = translation.canonical!;
    // The project config may put the translation first, or alternate the languages.
    const setting = settings.find((b) => new Set(b.languages).size === 2 && b.languages.includes(original.lang) && b.languages.includes(translation.lang));
    const translationFirst = setting?.languages[0] === translation.lang;
    const [first, second] = translationFirst ? [translation, original] : [original, translation];
    pairs(first, second, 'bilingual', `${original.id}/${original.id}`, setting?.layout ?? 'side-by-side');
  }
  // A briefing packet in the order its file gives.
  for (const [first, second] of packets) pairs(first, second, 'briefing', `packets/${first.id}`, 'side-by-side');
  return planned;
}
