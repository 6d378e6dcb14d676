/**
 * A translation mirrors its original: each of its headings translates one section of the
 * original, in the original's order, at the same level, and each translated section holds the
 * original's blocks of the same kinds, in order. It may stop short: blocks left out at the end of
 * a section or held by a placeholder (placeholders.ts), and sections left out anywhere, are not
 * translated yet (staleness.ts reports them);
 * every other difference is an error at its place in the translation, with the stable ID the
 * original has there.
 */
import path from 'node:path';
import type { Heading } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { closest, type Report } from '../messages.js';
import { parseHeadingNumber } from './numbering.js';
import { blocksBySection } from './query.js';
import type { Renumbering } from './renumbering.js';
import type { Block, DocumentModel, Section, Unsettled } from './types.js';

/** Pandoc's heading attribute, `{#iv-2}` at the end of the heading text. */
const ID_ATTRIBUTE = /\s*\{#([^\s{}]+)\}\s*$/;

/**
 * Which section of the original each heading of a translation translates, heading by heading in
 * reading order: the one its `{#id}` attribute names, else the one after the section the
 * previous heading translates (the first section for the first heading). So a translation that
 * skips sections names the section after each gap; one that stops early needs nothing.
 */
export class SectionMatcher {
  /** Index in the original's sections of the one a heading without an ID translates. */
  private next = 0;
  /**
   * After a heading whose {#id} is wrong, where the translation stands is unknown: the headings
   * without an ID that follow it are left unmatched (not reported again, one error is enough)
   * until one names its section.
   */
  private lost = false;
  private readonly byId: Map<string, number>;
  /**
   * With a renumbering: index in its recorded sections of the one the next heading was accepted
   * as, and for each of the original's sections the index of the recorded one now standing there.
   */
  private recordNext = 0;
  private readonly recordedAt = new Map<string, number>();
  /** The ID each translated section was accepted under, where the original has renumbered it. */
  readonly recordIds = new Map<string, string>();
  /**
   * Index of the section position alone would match next (as if there were no renumbering), and
   * the headings the record places elsewhere: once accepted, a record holds the present IDs, and
   * these would be matched by position again.
   */
  private plainNext = 0;
  readonly unsettled: Unsettled[] = [];

  constructor(
    private readonly canonical: DocumentModel,
    private readonly file: string,
    private readonly report: Report,
    private readonly renumbering?: Renumbering,
  ) {
    renumbering?.sections.forEach((id, i) => {
      const now = renumbering.moves.get(id);
      if (now !== undefined) this.recordedAt.set(now, i);
    });
    // The preamble has no heading, so no heading translates it: a translation's own text
    // before its first heading is its preamble.
    this.byId = new Map(canonical.allSections.flatMap((s, i): [string, number][] => (s.heading ? [[s.id, i]] : [])));
    if (canonical.allSections[0] && !canonical.allSections[0].heading) this.next = 1;
    this.plainNext = this.next;
  }

  /**
   * The original's section that `heading` translates, with the `{#id}` attribute removed from
   * the heading (it names, it is not printed); undefined, with the error reported, when there is
   * none; the ID it was accepted under, as an orphan, when the original no longer has its text.
   */
  match(heading: Heading): Section | { orphan: string } | undefined {
    const named = takeIdAttribute(heading);
    const plain = named === undefined ? this.plainNext : this.byId.get(named);
    if (plain !== undefined) this.plainNext = plain + 1;
    const found = this.find(heading, named);
    if (this.renumbering) {
      const now = found && ('orphan' in found ? undefined : found.id);
      const byPosition = plain === undefined ? undefined : this.canonical.allSections[plain]?.id;
      if (now !== byPosition) this.unsettled.push({ why: 'place', node: heading, now, byPosition });
    }
    return found;
  }

  private find(heading: Heading, named: string | undefined): Section | { orphan: string } | undefined {
    const sections = this.canonical.allSections;
    const original = path.basename(this.canonical.file);
    const place = heading.position?.start;
    let at = this.next;
    if (named === undefined && this.lost) return undefined;
    if (named === undefined && this.renumbering) {
      // Where the heading's place by position holds the ID it was accepted under, but the record
      // says that ID's text has moved on, the heading follows its text. (Where the two IDs
      // differ, the translation stands where the record does not reach: by position, as ever.)
      const recorded = this.renumbering.sections[this.recordNext];
      const now = recorded === undefined ? undefined : this.renumbering.moves.get(recorded);
      if (recorded !== undefined && sections[at]?.id === recorded && now !== recorded) {
        if (now === undefined) {
          this.recordNext++;
          return { orphan: recorded };
        }
        const i = this.byId.get(now)!;
        if (i >= this.next) at = i;
      }
    }
    if (named !== undefined) {
      const i = this.byId.get(named);
      if (i === undefined) {
        const near = closest(named, [...this.byId.keys()]);
        this.report.error('translation-structure', `the heading names section "${named}", which ${original} does not have`, {
          file: this.file,
          place,
          hint: near.length > 0 ? `did you mean {#${near.join('} or {#')}}?` : `name a section of ${original} by its stable ID, such as {#${sections[0]?.id ?? 'i'}}`,
        });
        this.lost = true;
        return undefined;
      }
      if (i < this.next) {
        const previous = sections[this.next - 1]!;
        const after = i === this.next - 1 ? 'translates it already' : `translates ${previous.id}, which comes later in ${original}`;
        this.report.error('translation-structure', `the heading names section ${named}, but the heading before it ${after}`, {
          file: this.file,
          place,
          hint: 'a translation keeps the order of the original: move this section, or correct the {#id}',
        });
        this.lost = true;
        return undefined;
      }
      at = i;
      this.lost = false;
    }
    const section = sections[at];
    if (!section) {
      this.report.error('translation-structure', `this heading has no counterpart in ${original}: the heading before it translates its last section`, {
        file: this.file,
        place,
        hint: 'remove it, or add the section to the original first (if an earlier heading names its section with {#id}, check that it names the right one)',
      });
      return undefined;
    }
    this.next = at + 1;
    const recordedAt = this.recordedAt.get(section.id);
    if (recordedAt !== undefined) {
      this.recordNext = recordedAt + 1;
      const recorded = this.renumbering!.sections[recordedAt]!;
      if (recorded !== section.id) this.recordIds.set(section.id, recorded);
    }
    return section;
  }
}

/** Removes a trailing `{#id}` from the heading's text and returns the id. */
function takeIdAttribute(heading: Heading): string | undefined {
  const last = heading.children.at(-1);
  if (last?.type !== 'text') return undefined;
  const m = ID_ATTRIBUTE.exec(last.value);
  if (!m) return undefined;
  last.value = last.value.slice(0, m.index);
  return m[1];
}

/**
 * Compares each translated section with the original's section it translates (SectionMatcher
 * chose it): the heading level, the number where both print one in the same style, and the blocks.
 */
export function checkAlignment(canonical: DocumentModel, translation: DocumentModel, report: Report): void {
  const file = translation.file;
  const original = path.basename(canonical.file);
  const byId = new Map(canonical.allSections.map((s) => [s.id, s]));
  const eBlocks = blocksBySection(canonical);
  const tBlocks = blocksBySection(translation);

  for (const t of translation.allSections) {
    const e = byId.get(t.id);
    if (!t.heading && !e) {
      report.error('translation-structure', `the translation has text before its first heading, where ${original} has none`, {
        file,
        place: t.content[0]?.position?.start,
        hint: 'move it under the heading it belongs to, or add the text to the original first',
      });
      continue;
    }
    // A heading without a counterpart has been reported by the matcher.
    if (!e) continue;
    const place = t.heading?.position?.start;
    if (t.depth !== e.depth) {
      report.error('translation-structure', `heading level ${t.depth} where ${original} has level ${e.depth} (section ${e.id}, "${e.text}")`, {
        file,
        place,
        hint: `make it ${'#'.repeat(e.depth)}, or, if it translates a later section, name it: {#id} at the end of the heading`,
      });
    }
    const recorded = translation.recordIds?.get(t.id);
    if (recorded !== undefined) {
      // Its text moved with the renumbering, so it stays current; its own number (the
      // translator's words, printed as written) is behind until the translator renumbers it.
      if (numbersDiffer(e, t) && t.heading) translation.unsettled?.push({ why: 'number', node: t.heading, now: e.id, byPosition: recorded });
      report.warning('translation-renumbered', `the heading translates ${e.id} ("${e.text}"), which was ${recorded} when the translation was accepted: ${original} has been renumbered`, {
        file,
        place,
        hint: `number the heading as ${original} now numbers ${e.id}${e.number ? ` (${e.number})` : ''}, then run: editions translations accept ${path.relative(process.cwd(), file)}`,
      });
    } else {
      const problem = numberMismatch(canonical, e, t);
      if (problem) report.error('translation-structure', problem.message, { file, place, hint: problem.hint });
    }
    // An orphan has been reported as one (staleness.ts); it pairs with nothing.
    const orphans = new Set(translation.orphans?.map((o) => o.node));
    compareBlocks(e, eBlocks.get(e.id) ?? [], (tBlocks.get(t.id) ?? []).filter((b) => !orphans.has(b.node)), original, file, report);
  }
  const blockIds = new Set(canonical.blocks.map((b) => b.id));
  for (const { id, sectionId, node } of translation.placeholders?.values() ?? []) {
    if (blockIds.has(id) || !byId.has(sectionId)) continue;
    report.error('translation-structure', `this placeholder stands for ${id}, but ${original} has ${eBlocks.get(sectionId)?.length ?? 0} blocks in section ${sectionId}`, {
      file,
      place: node.position?.start,
      hint: 'remove it: a placeholder holds the place of one block of the original',
    });
  }
}

/**
 * A translated heading numbered like the original ("III." in Spanish) that translates a section
 * with another number: it follows a skipped section without naming its own.
 */
function numberMismatch(canonical: DocumentModel, e: Section, t: Section): { message: string; hint: string } | undefined {
  if (!numbersDiffer(e, t)) return undefined;
  const want = parseHeadingNumber(e.text)!;
  const got = parseHeadingNumber(t.text)!;
  const siblings = canonical.allSections.find((s) => s.children.includes(e))?.children ?? canonical.sections;
  const meant = siblings.find((s) => parseHeadingNumber(s.text)?.value === got.value);
  return {
    message: `the heading is numbered ${got.printed} but translates section ${e.id} ("${e.text}")`,
    hint: meant
      ? `if it translates ${meant.citation}, say so: end the heading with {#${meant.id}}`
      : `number it ${want.printed}, or name the section it translates with {#id} at the end of the heading`,
  };
}

/** Whether both headings print a number in one style, and not the same one. */
function numbersDiffer(e: Section, t: Section): boolean {
  const want = parseHeadingNumber(e.text);
  const got = parseHeadingNumber(t.text);
  return Boolean(want && got && want.style === got.style && want.value !== got.value);
}

/**
 * The translated blocks pair with the original's by ID, that is by position in their section
 * (a placeholder holds the place of one not translated); they may stop short of the original's
 * (the rest are missing), never exceed them or differ in kind.
 */
function compareBlocks(e: Section, eb: Block[], tb: Block[], original: string, file: string, report: Report): void {
  const byId = new Map(eb.map((b) => [b.id, b]));
  for (const got of tb) {
    const want = byId.get(got.id);
    if (!want) {
      report.error('translation-structure', `block ${got.id} has no counterpart: ${original} has ${eb.length} blocks in section ${e.id}`, {
        file,
        place: got.node.position?.start,
        hint: 'join it to the block before it, or move it to the section it belongs to',
      });
      return;
    }
    if (want.kind !== got.kind) {
      report.error('translation-structure', `block ${got.id} is a ${got.kind} where ${original} has a ${want.kind}`, {
        file,
        place: got.node.position?.start,
        hint: want.kind.startsWith('list item') ? 'write it as a list item ("- ...")' : `write it as the original does ("${excerpt(want)}")`,
      });
    }
  }
}

function excerpt(b: Block): string {
  const text = toString(b.node);
  return text.length > 50 ? `${text.slice(0, 50)}...` : text;
}
