/**
 * A translation as a TMX 1.4b translation memory: one <tu> per segment whose translation is known
 * to be made from a given text of the original, with a <tuv> for that text and one for the
 * translation. A CAT tool loads it to offer these pairs as matches when the text is translated
 * again, or into another edition.
 *
 * Segments are plain text, the inline Markdown reduced to its words: the same text the record's
 * hashes are made from (staleness.ts), so a pair is exactly what `accept` recorded; emphasis and
 * links would be <bpt>/<ept> pairs that no CAT tool can map back to Markdown, and the words are
 * what a memory matches on. The header has no creation date: the bytes depend on the sources only.
 */
import { escapeAttribute, escapeText } from '../shared/xml.js';
import { segmentText, translationStatus, type Segment } from '../model/staleness.js';
import type { DocumentModel } from '../model/types.js';
import { VERSION } from '../version.js';

export interface MemoryPair {
  id: string;
  source: string;
  target: string;
}

/**
 * The pairs of `translation`: a current segment with the original's text; a stale one with the
 * text of the original it was accepted from, which the record keeps (paired with the original's
 * new text it would teach the memory a translation of words it does not translate). A stale
 * segment never accepted, or accepted before records kept texts, and a missing one, give none.
 */
export function memoryPairs(translation: DocumentModel): MemoryPair[] {
  const source = (s: Segment) => (s.state === 'current' ? segmentText(s.original) : s.state === 'stale' && !s.unrecorded ? s.recordedText : undefined);
  return translationStatus(translation).segments.flatMap((s) => {
    const text = source(s);
    return text !== undefined && s.translated ? [{ id: s.id, source: text, target: segmentText(s.translated) }] : [];
  });
}

export function tmxDocument(translation: DocumentModel, pairs: readonly MemoryPair[]): string {
  const from = escapeAttribute(translation.canonical!.lang);
  const to = escapeAttribute(translation.lang);
  const units = pairs.map(
    (p) =>
      `    <tu tuid="${escapeAttribute(p.id)}">\n` +
      `      <tuv xml:lang="${from}"><seg>${escapeText(p.source)}</seg></tuv>\n` +
      `      <tuv xml:lang="${to}"><seg>${escapeText(p.target)}</seg></tuv>\n` +
      '    </tu>\n',
  );
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<tmx version="1.4">\n' +
    `  <header creationtool="policy-editions" creationtoolversion="${escapeAttribute(VERSION)}" datatype="plaintext" segtype="paragraph" adminlang="en" srclang="${from}" o-tmf="policy-editions">\n` +
    `    <prop type="x-document">${escapeText(translation.id)}</prop>\n` +
    '  </header>\n' +
    `  <body>\n${units.join('')}  </body>\n` +
    '</tmx>\n'
  );
}
