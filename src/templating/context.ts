/**
 * What the templates of every format see: the document's front and back matter and its table of
 * contents, as plain data. Every key is always present (null when absent), because templates
 * are compiled strict.
 */
import type { DocumentModel, PacketInfo, Section } from '../model/types.js';
import { glueCitations } from '../model/typography.js';
import { languageName, uiString, type Strings } from './i18n.js';

export interface TocEntry {
  id: string;
  text: string;
  /** In a bilingual edition: the heading in the second language. */
  parallelText: string | null;
  number: string | null;
  title: string;
  children: TocEntry[];
}

export interface BuildInfo {
  /** The date every embedded timestamp uses. */
  date: Date;
  /** True when the date came from SOURCE_DATE_EPOCH; only then is a build date printed. */
  fromEpoch: boolean;
  /** "policy-editions 0.1.0" */
  generator: string;
  /** The colophon names the generator (the config's colophon.generator); it is in the files' metadata either way. */
  printGenerator?: boolean;
}

export interface DocumentContext {
  lang: string;
  dir: 'ltr' | 'rtl';
  strings: Strings;
  title: string;
  subtitle: string | null;
  issuer: string;
  issued: string;
  description: string | null;
  keywords: string[];
  source: { publisher: string; republished: string | null; website: string | null } | null;
  editorial: { note: string; repairs: { block: string; change: string; section: string; paragraph: number }[] } | null;
  /**
   * For a translation: who made it and the notice every edition of it prints. `translatedBy` is a
   * sentence that names the translator ("Traducción: X.", for running text such as a packet's
   * sources); `credit` is the colophon's entry after its "Translation" label: the translator,
   * named once, then the notice ("X. Traducción no oficial ...", "X。非官方译文……").
   */
  translation: { translator: string; translatedBy: string; credit: string; notice: string; byline: string } | null;
  /** In a bilingual edition: the second language's tag, title and translation notice (and a packet's cover). */
  parallel: { lang: string; title: string; notice: string | null; packet: PacketInfo | null } | null;
  /** A briefing packet's cover: purpose, audience, classification, languages. */
  packet: PacketInfo | null;
  /** The build date (ISO), printed only when SOURCE_DATE_EPOCH set it. */
  built: string | null;
  /** The tool and its version, for the files' metadata (a generator meta tag, the PDF's Producer). */
  generator: string;
  /** The tool as the colophon prints it, or null: only when the config asks for it (colophon.generator). */
  madeWith: string | null;
  toc: TocEntry[];
}

const RTL = new Set(['ar', 'fa', 'he', 'ur', 'ps', 'yi', 'dv']);

/**
 * The templates' data for `model`; with `partner` (a bilingual edition), the second language's
 * title and headings beside the first's.
 */
export function documentContext(model: DocumentModel, strings: Strings, build: BuildInfo, partner?: { model: DocumentModel; strings: Strings }): DocumentContext {
  const { meta } = model;
  // A translation prints where its original was taken from (the publisher is a name in every
  // language); its editorial note is its own, translated in its front matter.
  const source = meta.source ?? (model.packet ? undefined : model.canonical?.meta.source);
  const sectionOf = new Map(model.allSections.map((s) => [s.id, s]));
  const blockSection = new Map(model.blocks.map((b) => [b.id, b.sectionId]));
  return {
    lang: model.lang,
    dir: RTL.has(model.lang.split('-')[0]!) ? 'rtl' : 'ltr',
    strings,
    title: meta.title,
    subtitle: meta.subtitle ?? null,
    issuer: meta.issuer,
    issued: meta.issued,
    description: meta.description ?? null,
    keywords: meta.keywords,
    source: source ? { publisher: source.publisher, republished: source.republished ?? null, website: source.website ?? null } : null,
    editorial: meta.editorial
      ? {
          note: meta.editorial.note,
          repairs: meta.editorial.repairs.map((r) => ({
            block: r.block,
            change: r.change,
            // Glued: a citation is never split across lines (typography.ts).
            section: glueCitations(sectionOf.get(blockSection.get(r.block) ?? '')?.citation ?? ''),
            paragraph: Number(/-p(\d+)$/.exec(r.block)?.[1] ?? 0),
          })),
        }
      : null,
    translation: meta.translation ? translationInfo(meta.translation, strings) : null,
    parallel: partner
      ? {
          lang: partner.model.lang,
          title: partner.model.meta.title,
          notice: partner.model.meta.translation ? translationInfo(partner.model.meta.translation, partner.strings).notice : null,
          packet: partner.model.packet ?? null,
        }
      : null,
    packet: model.packet ?? null,
    built: build.fromEpoch ? build.date.toISOString().slice(0, 10) : null,
    generator: build.generator,
    madeWith: build.printGenerator ? build.generator : null,
    // The preamble has no heading: it is no entry of the contents.
    toc: model.sections.filter((s) => s.heading).map((s) => tocEntry(s, new Map(partner?.model.allSections.map((p) => [p.id, p.text])))),
  };
}

function translationInfo(t: NonNullable<DocumentModel['meta']['translation']>, strings: Strings): NonNullable<DocumentContext['translation']> {
  const original = languageName(strings, t.of);
  const notice = uiString(strings, t.status).replace(/\{original\}/g, original);
  const translatedBy = uiString(strings, 'translatedBy').replace('{translator}', t.translator);
  return {
    translator: t.translator,
    translatedBy,
    /** The sentence naming the translator, then the notice, for running text (a packet's sources). */
    byline: sentences(translatedBy, notice),
    credit: sentences(uiString(strings, 'translatorCredit').replace('{translator}', t.translator), notice),
    notice,
  };
}

/** Two sentences in a row: a space after a Latin full stop, none after a full-width one (。！？). */
export function sentences(first: string, second: string): string {
  return /[\u3000-\u303f\uff00-\uffef]$/u.test(first) ? `${first}${second}` : `${first} ${second}`;
}

function tocEntry(s: Section, parallel: ReadonlyMap<string, string>): TocEntry {
  return {
    id: s.id,
    text: s.text,
    parallelText: parallel.get(s.id) ?? null,
    number: s.number,
    title: s.title,
    children: s.children.map((c) => tocEntry(c, parallel)),
  };
}
