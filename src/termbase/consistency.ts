/**
 * Glossary terms in translations: where an original block uses a termbase term and the termbase
 * gives its established translation in the translation's language, the translated block should
 * use that translation. One warning per term a block leaves out, at the translated block.
 */
import path from 'node:path';
import { toString } from 'mdast-util-to-string';
import type { Report } from '../messages.js';
import { translationStatus } from '../model/staleness.js';
import type { DocumentModel } from '../model/types.js';
import { termMatcher } from './match.js';
import { termbaseFile, termbaseOnce } from './read.js';

export function reportTermConsistency(translation: DocumentModel, report: Report): void {
  const original = translation.canonical!;
  const file = termbaseFile(path.dirname(original.file));
  const terms = termbaseOnce(file, report);
  if (!terms) return;
  const pairs = [...terms]
    .filter(([, t]) => t.text[original.lang] !== undefined && t.text[translation.lang] !== undefined)
    .map(([id, t]) => {
      const admitted = [t.text[translation.lang]!, ...(t.variants[translation.lang] ?? [])].map(termMatcher);
      return { id, term: t.text[original.lang]!, expected: t.text[translation.lang]!, inOriginal: termMatcher(t.text[original.lang]!), inTranslation: (text: string) => admitted.some((m) => m(text)) };
    });
  if (pairs.length === 0) return;
  for (const s of translationStatus(translation).segments) {
    if (!s.translated) continue;
    const source = toString(s.original);
    const target = toString(s.translated);
    for (const p of pairs) {
      if (!p.inOriginal(source) || p.inTranslation(target)) continue;
      report.warning('term-consistency', `${s.id} does not use "${p.expected}", the termbase's ${translation.lang} for "${p.term}", which the original uses`, {
        file: translation.file,
        ...(s.translated.position && { place: s.translated.position.start }),
        hint: `write "${p.expected}" here; or, when another form is right, add it to variants: ${translation.lang}: of the term "${p.id}" in ${path.relative(process.cwd(), file)}`,
      });
    }
  }
}
