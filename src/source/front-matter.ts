/**
 * The front matter of a source file: what a document says about itself. The schema is strict:
 * an unknown key is a typo until proven otherwise.
 */
import { z } from 'zod';
import { sourceDate } from './dates.js';

const isoDate = sourceDate;

/** A BCP 47 language tag, checked (and canonicalised) by Intl. */
const languageTag = z.string().transform((tag, ctx) => {
  try {
    return Intl.getCanonicalLocales(tag)[0]!;
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${tag}" is not a BCP 47 language tag (for example en, zh-Hans, es)` });
    return z.NEVER;
  }
});

const text = z.string().trim().min(1, 'must not be empty');

export const frontMatterSchema = z.strictObject({
  title: text,
  subtitle: text.optional(),
  /** The title as the running heads of the print edition carry it (else the title). */
  'short-title': text.optional(),
  /** Short forms of section headings for the running heads, by the section's stable ID. */
  'short-headings': z.record(z.string(), text).optional(),
  /** The body that issued the document, printed as its author. */
  issuer: text,
  /** Date of issue. */
  issued: isoDate,
  /** Date of the last revision of this source; embedded dates use it when SOURCE_DATE_EPOCH is not set. */
  revised: isoDate.optional(),
  language: languageTag,
  description: text.optional(),
  /** Where this text was taken from. */
  source: z
    .strictObject({
      publisher: text,
      republished: isoDate.optional(),
      // Printed as a link in every edition: only an address every reader opens, never script.
      website: z.url({ protocol: /^https?$/, hostname: z.regexes.domain, error: 'must be a web address beginning http:// or https://' }).optional(),
    })
    .optional(),
  keywords: z.array(text).default([]),
  /** Present in a translation: what it was made from, by whom, and its standing. */
  translation: z
    .strictObject({
      of: languageTag,
      translator: text,
      status: z.enum(['unofficial', 'official']),
    })
    .optional(),
  /** What the editors changed in the text they were given, printed in every colophon. */
  editorial: z
    .strictObject({
      note: text,
      repairs: z.array(z.strictObject({ block: text, change: text })).default([]),
    })
    .optional(),
});

export type FrontMatter = z.infer<typeof frontMatterSchema>;
