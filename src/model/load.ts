/** Finds, parses and models every document under the SOURCE folders. */
import type { Report } from '../messages.js';
import { discoverDocuments, languageOfFile } from '../source/discover.js';
import { readSource } from '../source/parse.js';
import { buildModel } from './build.js';
import type { DocumentModel } from './types.js';

/**
 * Every source file becomes a model; problems go to `report` (a missing SOURCE throws).
 * Models are returned even when the report has errors, so callers decide whether to stop.
 */
export async function loadDocuments(sources: readonly string[], report: Report): Promise<DocumentModel[]> {
  const models: DocumentModel[] = [];
  for (const folder of await discoverDocuments(sources)) {
    for (const file of folder.files) {
      const parsed = await readSource(file, report);
      const named = canonicalTag(languageOfFile(file));
      if (parsed.meta && parsed.meta.language !== named) {
        report.error('front-matter-schema', `language "${parsed.meta.language}" does not match the file name, which says "${named}"`, {
          file,
          place: parsed.locateMeta(['language']),
          hint: `rename the file paper.${parsed.meta.language}.md, or set language: ${named}`,
        });
      }
      const model = buildModel(parsed, folder.id, report);
      if (model) models.push(model);
    }
  }
  return models;
}

function canonicalTag(tag: string): string {
  try {
    return Intl.getCanonicalLocales(tag)[0]!;
  } catch {
    return tag;
  }
}
