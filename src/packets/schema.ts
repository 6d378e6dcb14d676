/**
 * A briefing packet file (`source/packets/<id>.yaml`): what it gathers and what it says in each
 * of its two languages. The schema is strict, like the front matter's.
 */
import { z } from 'zod';
import { sourceDate } from '../source/dates.js';

const text = z.string().trim().min(1, 'must not be empty');
/** Text in each of the packet's two languages, keyed by language tag. */
const inBoth = z.record(z.string(), text);

export const packetSchema = z.strictObject({
  title: inBoth,
  subtitle: inBoth.optional(),
  /** Why the packet exists: printed on the cover. */
  purpose: inBoth,
  /** Who it is for: printed on the cover. */
  audience: inBoth,
  date: sourceDate,
  /** The classification line of the cover ("Unclassified — prepared for briefing use"). */
  classification: inBoth,
  /** Who prepared it, printed on the cover when given. */
  'prepared-by': inBoth.optional(),
  /** The two languages in reading order: the original's and one it is translated into, either first. */
  languages: z.tuple([text, text]),
  /** Sections of documents, by stable ID, in the order they are printed (with their subsections). */
  sections: z.array(z.strictObject({ document: text, ids: z.array(text).min(1) })).min(1),
  'key-points': z.array(inBoth).min(1),
  /** Paragraphs separated by blank lines. */
  background: inBoth.optional(),
  /** Term IDs from the documents' termbase.yaml, in the order they are listed. */
  glossary: z.array(text).default([]),
});

export type PacketFile = z.infer<typeof packetSchema>;

/**
 * A document's termbase.yaml: terms by stable ID, each in several languages (`en: mutual benefit`),
 * with an optional one-line `gloss` per language that a packet's glossary prints beside the term,
 * and optional `variants` per language: other forms a translation may use (an abbreviation, a
 * coordinated phrase), a list per language, admitted by the term check beside the term.
 */
export const termbaseSchema = z.strictObject({
  terms: z.record(z.string(), z.object({ gloss: z.record(z.string(), text).optional(), variants: z.record(z.string(), z.array(text)).optional() }).catchall(text)),
});
