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
import type { Block, DocumentModel, Section } from './types.js';

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

  constructor(
    private readonly canonical: DocumentModel,
    private readonly file: string,
    private readonly report: Report,
  ) {
    // The preamble has no heading, so no heading translates it: a translation's own text
    // before its first heading is its preamble.
    this.byId = new Map(canonical.allSections.flatMap((s, i): [string, number][] => (s.heading ? [[s.id, i]] : [])));
    if (canonical.allSections[0] && !canonical.allSections[0].heading) this.next = 1;
  }

  /**
   * The original's section that `heading` translates, with the `{#id}` attribute removed from
   * the heading (it names, it is not printed); undefined, with the error reported, when there is none.
   */
  match(heading: Heading): Section | undefined {
    const sections = this.canonical.allSections;
    const original = path.basename(this.canonical.file);
    const place = heading.position?.start;
    const named = takeIdAttribute(heading);
    let at = this.next;
    if (named === undefined && this.lost) return undefined;
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
    const problem = numberMismatch(canonical, e, t);
    if (problem) report.error('translation-structure', problem.message, { file, place, hint: problem.hint });
    compareBlocks(e, eBlocks.get(e.id) ?? [], tBlocks.get(t.id) ?? [], original, file, report);
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
  const want = parseHeadingNumber(e.text);
  const got = parseHeadingNumber(t.text);
  if (!want || !got || want.style !== got.style || want.value === got.value) return undefined;
  const siblings = canonical.allSections.find((s) => s.children.includes(e))?.children ?? canonical.sections;
  const meant = siblings.find((s) => parseHeadingNumber(s.text)?.value === got.value);
  return {
    message: `the heading is numbered ${got.printed} but translates section ${e.id} ("${e.text}")`,
    hint: meant
      ? `if it translates ${meant.citation}, say so: end the heading with {#${meant.id}}`
      : `number it ${want.printed}, or name the section it translates with {#id} at the end of the heading`,
  };
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
