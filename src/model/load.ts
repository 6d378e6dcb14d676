/** Finds, parses and models every document under the SOURCE folders, translations included. */
import { shownPath, type Report } from '../messages.js';
import { discoverDocuments, languageOfFile, type DocumentFolder } from '../source/discover.js';
import { readSource, type ParsedSource } from '../source/parse.js';
import { checkAlignment } from './align.js';
import { buildModel } from './build.js';
import { dropPlaceholders } from './placeholders.js';
import { reportRenumberedLinks } from './renumbering.js';
import { checkRepairs } from './repairs.js';
import { reportStaleness } from './staleness.js';
import { reportTermConsistency } from '../termbase/consistency.js';
import type { DocumentModel } from './types.js';

export interface LoadOptions {
  /** Stale and missing translations are errors, not warnings. */
  strict?: boolean;
  /** URI schemes links may use beyond the built-in ones (the config's links.schemes). */
  linkSchemes?: readonly string[];
}

/**
 * Every source file becomes a model; problems go to `report` (a missing SOURCE throws). A
 * folder holds one original (a file without `translation` in its front matter) and any number
 * of translations of it. Models are returned even when the report has errors, so callers
 * decide whether to stop.
 */
export async function loadDocuments(sources: readonly string[], report: Report, options: LoadOptions = {}): Promise<DocumentModel[]> {
  const models: DocumentModel[] = [];
  for (const folder of distinctNames(await discoverDocuments(sources), report)) {
    const parsed: ParsedSource[] = [];
    for (const file of folder.files) {
      const p = await readSource(file, report);
      checkFileLanguage(p, report);
      parsed.push(p);
    }
    const originals = parsed.filter((p) => p.meta && !p.meta.translation);
    // A file whose front matter failed may be the original: its own errors say enough.
    const unreadable = parsed.some((p) => !p.meta);
    if (originals.length > 1 || (originals.length === 0 && !unreadable)) {
      report.error('source-layout', `the document folder has ${originals.length} originals; it needs exactly one`, {
        file: folder.dir,
        hint: 'mark each translation with "translation: { of: en, translator: ..., status: unofficial }" in its front matter',
      });
    }
    const original = originals[0] ? buildModel(originals[0], folder.id, report, undefined, options.linkSchemes) : undefined;
    if (original) models.push(original);
    for (const p of parsed) {
      if (!p.meta?.translation) continue;
      if (!original) continue;
      if (p.meta.translation.of !== original.lang) {
        report.error('source-layout', `the translation says it is made from "${p.meta.translation.of}", but the original is in "${original.lang}"`, {
          file: p.file,
          place: p.locateMeta(['translation', 'of']),
          hint: `set translation.of: ${original.lang}`,
        });
        continue;
      }
      const translation = buildModel(p, folder.id, report, original, options.linkSchemes);
      if (!translation) continue;
      translation.canonical = original;
      dropPlaceholders(translation);
      checkAlignment(original, translation, report);
      reportStaleness(translation, options.strict ?? false, report);
      reportTermConsistency(translation, report);
      models.push(translation);
    }
    if (original) {
      const translations = models.filter((m) => m.canonical === original);
      reportRenumberedLinks(original, translations, report);
      checkRepairs(original, originals[0]!.locateMeta, translations, report);
    }
  }
  return models;
}

/** Names the output folder has files or folders of its own under (build/catalogue.ts, manifest.ts, editions/plan.ts). */
const RESERVED = new Map([
  ['packets', 'the output folder keeps the briefing packets in packets/'],
  ['index.html', "the output folder's catalogue page is index.html"],
  ['manifest.json', "the output folder's manifest is manifest.json"],
]);

/**
 * The document folders whose names can name outputs: a folder named like another one in another
 * SOURCE, or like a file or folder of the output folder's own, is reported and left out (its
 * outputs would overwrite the other's). Names are compared as written, and the reserved ones in
 * any case too: file systems that ignore case take Index.HTML for index.html.
 */
function distinctNames(folders: readonly DocumentFolder[], report: Report): DocumentFolder[] {
  const named = new Map<string, DocumentFolder>();
  for (const folder of folders) {
    const reserved = RESERVED.get(folder.id.toLowerCase());
    if (reserved) {
      report.error('name-collision', `a document cannot be named "${folder.id}": ${reserved}${RESERVED.has(folder.id) ? '' : ', and file systems that ignore case take one name for the other'}`, {
        file: folder.dir,
        hint: "rename the folder: a document's folder name names its outputs",
      });
      continue;
    }
    const first = named.get(folder.id);
    if (first) {
      report.error('name-collision', `two documents are named "${folder.id}": ${shownPath(first.dir)} and this folder`, {
        file: folder.dir,
        hint: `rename one of the folders: a document's folder name names its outputs (${folder.id}/${folder.id}.en.html), and the two would overwrite each other`,
      });
      continue;
    }
    named.set(folder.id, folder);
  }
  return [...named.values()];
}

function checkFileLanguage(p: ParsedSource, report: Report): void {
  const named = canonicalTag(languageOfFile(p.file));
  if (p.meta && p.meta.language !== named) {
    report.error('front-matter-schema', `language "${p.meta.language}" does not match the file name, which says "${named}"`, {
      file: p.file,
      place: p.locateMeta(['language']),
      hint: `rename the file paper.${p.meta.language}.md, or set language: ${named}`,
    });
  }
}

function canonicalTag(tag: string): string {
  try {
    return Intl.getCanonicalLocales(tag)[0]!;
  } catch {
    return tag;
  }
}

