/**
 * Builds the document model from a parsed source: the section tree from the headings, stable
 * IDs from the numbering, block IDs within each section, and the checks that need the whole tree.
 */
import type { FootnoteDefinition, Heading, Nodes, Parent, PhrasingContent, Root, RootContent } from 'mdast';
import GithubSlugger from 'github-slugger';
import { toString } from 'mdast-util-to-string';
import { closest, type Report } from '../messages.js';
import { percentDecode } from '../shared/uri.js';
import type { ParsedSource } from '../source/parse.js';
import { SectionMatcher } from './align.js';
import { collectDefinitions, loadImages } from './images.js';
import { unlinkUnfollowable, type BrokenFragment } from './links.js';
import { parseHeadingNumber, SiblingSequence } from './numbering.js';
import { emptyRow } from './tables.js';
import { planRenumbering, realignBlocks } from './renumbering.js';
import { readRecord, recordFile } from './staleness.js';
import type { Block, DocumentModel, Orphan, Section, Unsettled } from './types.js';

/** The stable ID of the text before the first heading; its blocks are `preamble-p1`, ... */
export const PREAMBLE = 'preamble';

/** Containers whose children are blocks of their own (not one block together). */
const CONTAINERS = new Set(['list', 'listItem', 'blockquote']);
/** Leaf blocks that get an ID and align across languages. */
const BLOCKS = new Set(['paragraph', 'code', 'table']);

interface OpenSection {
  section: Section;
  sequence: SiblingSequence;
  /** Its heading's level as written (the number of "#"), which may skip levels. */
  written: number;
}

/**
 * Returns the model, or undefined when the front matter is unusable. Structural problems are
 * reported and the model is still built as far as it can be, so one run shows every problem.
 * A translation passes its `canonical` model: each of its sections takes the ID of the canonical
 * section it translates, as align.ts's SectionMatcher finds it (their numbers are printed the
 * target language's way, so they are not checked here; align.ts compares the two structures).
 */
export function buildModel(parsed: ParsedSource, documentId: string, report: Report, canonical?: DocumentModel, linkSchemes: readonly string[] = []): DocumentModel | undefined {
  const { file, tree, meta } = parsed;
  const sections: Section[] = [];
  const allSections: Section[] = [];
  const footnotes: FootnoteDefinition[] = [];
  const topSequence = new SiblingSequence();
  const stack: OpenSection[] = [];
  /** The level the first heading is written at: the text's top level. */
  let topWritten: number | undefined;
  const ids = new Map<string, { line: number; column: number }>();
  // A translation follows the original's renumbering by its record (renumbering.ts).
  const renumbering = canonical && planRenumbering(canonical, readRecord(recordFile(file)));
  const matcher = canonical && new SectionMatcher(canonical, file, report, renumbering);
  const orphans: Orphan[] = [];

  /** Records an ID; false (with an error reported) when it is taken. */
  const claim = (id: string, node: Nodes): boolean => {
    const at = node.position?.start ?? { line: 1, column: 1 };
    const first = ids.get(id);
    if (first) {
      report.error('duplicate-id', `the stable ID "${id}" is already used by line ${first.line}`, {
        file,
        place: at,
        hint: 'give the two headings different numbers or titles',
      });
      return false;
    }
    ids.set(id, { line: at.line, column: at.column });
    return true;
  };

  /**
   * An unnumbered heading that repeats a sibling's title ("Background" twice) takes the first
   * free `-2`, `-3` ... after its ID, as pandoc's identifiers do, and is told so: its ID, and so
   * every translation's alignment with it, now depends on the order of the two.
   */
  const claimTitle = (section: Section, node: Heading): void => {
    const first = ids.get(section.id);
    let n = 2;
    while (ids.has(`${section.id}-${n}`)) n++;
    const unique = `${section.id}-${n}`;
    report.warning('duplicate-id', `the heading "${section.text}" would take the stable ID "${section.id}" of line ${first!.line}; its ID is "${unique}"`, {
      file,
      place: node.position?.start,
      hint: 'give the two headings different titles, or number them',
    });
    section.id = unique;
    claim(unique, node);
  };

  for (const node of tree.children) {
    // A heading without words would be an empty line in the contents, the bookmarks and the
    // EPUB's navigation (which epubcheck refuses): it is left out, and what follows it stays in
    // the section before, as if the line were not there.
    if (node.type === 'heading' && headingText(node) === '') {
      report.warning('empty-heading', 'the heading has no text; it is left out, and the text after it stays in the section before', {
        file,
        place: node.position?.start,
        hint: 'write its title after the "#" marks, or remove the line',
      });
      continue;
    }
    if (node.type === 'heading') {
      // A heading's level is its place in the tree: one below the nearest heading written
      // higher. A text may begin at "##" (its first heading's level is its top); one that skips
      // from "#" to "###" is set without the gap, and told so. Every format's contents,
      // bookmarks and heading levels then nest.
      const written = node.depth;
      topWritten ??= written;
      while (stack.length > 0 && stack.at(-1)!.written >= written) stack.pop();
      const parent = stack.at(-1);
      const depth = (parent?.section.depth ?? 0) + 1;
      const above = parent?.written ?? topWritten - 1;
      if (written > above + 1) {
        report.warning('heading-level', `heading level ${written} follows level ${above}; it is set as level ${depth}`, {
          file,
          place: node.position?.start,
          hint: `make it ${'#'.repeat(above + 1)}, or add the missing level above it`,
        });
      }
      node.depth = depth as Heading['depth'];
      const section = matcher
        ? mirrorSection(node, matcher.match(node), allSections.length, orphans)
        : makeSection(node, parent?.section, parent?.sequence ?? topSequence, file, report);
      if (!matcher && section.number === null && ids.has(section.id)) claimTitle(section, node);
      // A taken ID is reported once; the copy gets a private one so its blocks do not repeat the error.
      else if (!claim(section.id, node)) section.id = `${section.id}~${node.position?.start.line ?? 0}`;
      (parent ? parent.section.children : sections).push(section);
      allSections.push(section);
      stack.push({ section, sequence: new SiblingSequence(), written });
      continue;
    }
    if (node.type === 'footnoteDefinition') {
      footnotes.push(node);
      continue;
    }
    if (node.type === 'definition') continue;
    let current = stack.at(-1)?.section;
    if (!current) {
      // Text before the first heading: the preamble, a section without a heading of its own.
      current = sections[0]?.id === PREAMBLE ? sections[0] : undefined;
      if (!current) {
        current = { id: PREAMBLE, depth: 1, number: null, title: '', text: '', citation: '', content: [], children: [] };
        claim(PREAMBLE, node);
        sections.push(current);
        allSections.push(current);
      }
    }
    current.content.push(node);
  }

  const blocks: Block[] = [];
  for (const section of allSections) {
    let n = 0;
    let item: Block['item'];
    const visit = (node: RootContent, within: string): void => {
      if (BLOCKS.has(node.type)) {
        const id = `${section.id}-p${++n}`;
        node.data = { ...node.data, id };
        claim(id, node);
        blocks.push({ id, sectionId: section.id, node, kind: `${within}${node.type}`, ...(item && { item }) });
        if (item) item = { ...item, first: false };
      } else if (node.type === 'list') {
        const outer = item;
        node.children.forEach((child, i) => {
          item = { ordered: Boolean(node.ordered), number: (node.start ?? 1) + i, first: true };
          visit(child, 'list item ');
        });
        item = outer;
      } else if (CONTAINERS.has(node.type)) {
        const inner = node.type === 'listItem' ? 'list item ' : node.type === 'blockquote' ? 'quoted ' : within;
        for (const child of (node as Parent).children) visit(child as RootContent, inner);
      }
    };
    section.content.forEach((node) => visit(node, ''));
    // A translated heading whose text is not translated yet is a partial translation, not an empty
    // section. An empty section is most often a draft's, but it sets well in every format (a
    // heading alone), so it is said, not refused.
    if (!canonical && section.content.length === 0 && section.children.length === 0) {
      report.warning('empty-section', `section "${section.text}" has no text and no subsections`, {
        file,
        place: section.heading?.position?.start,
        hint: 'write its text, or remove the heading',
      });
    }
  }

  const recordIds = new Map(matcher?.recordIds);
  /** Each ID the translation was accepted under that the renumbering has renamed, to its new ID. */
  const followed = new Map<string, string>();
  if (canonical && renumbering) {
    const sectionRecordIds = new Map([...recordIds, ...orphans.map((o): [string, string] => [`~orphan-${o.recordId}`, o.recordId])]);
    const renames = realignBlocks(blocks, canonical, renumbering, sectionRecordIds, recordIds, orphans, matcher!.unsettled, file, report);
    for (const o of orphans) {
      const text = renumbering.record.get(o.recordId)?.text;
      if (o.text === undefined && text !== undefined) o.text = text;
    }
    const places = [...renames].map(([from, to]) => [to, ids.get(from)!] as const);
    for (const from of renames.keys()) ids.delete(from);
    for (const [to, at] of places) ids.set(to, at);
    for (const [now, recorded] of recordIds) followed.set(recorded, now);
    followRenumbering(tree, followed, orphans, matcher!.unsettled, file, report);
  }

  reportUnsupported(tree, file, report);
  const broken = resolveInternalLinks(tree, ids, githubAliases(allSections, ids));
  const definitions = collectDefinitions(tree);
  unlinkUnfollowable(tree, definitions, broken, file, report, linkSchemes);
  const images = loadImages(tree, file, report, definitions);

  if (!meta) return undefined;
  // The original's editorial repairs are checked by repairs.ts, once its translations' records
  // say where the renumbering has taken the blocks they name.
  // A short heading for the running heads names a section by its stable ID (a translation's,
  // like its links, by the ID it was accepted under).
  const short = meta['short-headings'];
  if (short && followed.size > 0) meta['short-headings'] = Object.fromEntries(Object.entries(short).map(([id, text]) => [followed.get(id) ?? id, text]));
  const sectionIds = allSections.map((s) => s.id);
  for (const id of Object.keys(meta['short-headings'] ?? {})) {
    if (sectionIds.includes(id)) continue;
    const near = closest(id, sectionIds);
    report.error('short-heading', `the short heading names the section "${id}", which does not exist`, {
      file,
      place: parsed.locateMeta(['short-headings', id]),
      hint: near.length > 0 ? `did you mean ${near.join(' or ')}?` : 'name a section by its stable ID, such as iv-2',
    });
  }
  const renumbered = renumbering && { recordIds, moves: renumbering.moves, orphans, unsettled: matcher!.unsettled };
  return { id: documentId, file, lang: meta.language, meta, sections, allSections, blocks, footnotes, definitions, images, linkSchemes, ...renumbered };
}

/**
 * A translation's `#id` links were written against the IDs it was accepted under: each that the
 * renumbering renamed points at the new ID (an orphan's at its own), as its sections and blocks do.
 */
function followRenumbering(tree: Root, now: ReadonlyMap<string, string>, orphans: readonly Orphan[], unsettled: Unsettled[], file: string, report: Report): void {
  const renamed = new Map([...now, ...orphans.map((o): [string, string] => [o.recordId, `~orphan-${o.recordId}`])]);
  walk(tree, (node) => {
    if ((node.type === 'link' || node.type === 'definition') && node.url.startsWith('#')) {
      const written = percentDecode(node.url.slice(1));
      const id = renamed.get(written);
      if (!id) return;
      node.url = `#${id}`;
      unsettled.push({ why: 'link', node, now: id, byPosition: written });
      report.warning('translation-renumbered', `the link points at #${written}, the ID its text had when the translation was accepted: it follows the text to #${id}`, {
        file,
        place: node.position?.start,
        hint: `once the translation is accepted again, write #${id}`,
      });
    }
  });
}

function makeSection(heading: Heading, parent: Section | undefined, sequence: SiblingSequence, file: string, report: Report): Section {
  const text = headingText(heading);
  const number = parseHeadingNumber(text);
  if (number) {
    const problem = sequence.next(number);
    if (problem) report.error('numbering-sequence', problem.message, { file, place: heading.position?.start, hint: problem.hint });
  }
  // A decimal number says its parents' numbers itself: "2.3.1" must stand in 2.3, and its ID
  // and citation take only the part its parent does not already give.
  const decimal = number?.style === 'decimal';
  const parentPath = parent?.number ? parseHeadingNumber(parent.text)?.path : undefined;
  const inParent = decimal && parentPath !== undefined && number.path!.slice(0, -1).join('.') === parentPath.join('.');
  if (decimal && parentPath && !inParent) {
    const expected = [...parentPath, number.value].join('.');
    report.error('numbering-sequence', `${number.printed} stands in section ${parent!.number}; expected ${expected}`, {
      file,
      place: heading.position?.start,
      hint: `a decimal number begins with its section's number: renumber this heading ${expected}`,
    });
  }
  const own = number ? (inParent ? String(number.value) : number.token) : slug(text) || `section-${heading.position?.start.line ?? 0}`;
  const cite = number ? number.printed.replace(/\.$/, '') : text;
  return {
    id: parent ? `${parent.id}-${own}` : own,
    depth: heading.depth,
    number: number?.printed ?? null,
    title: number?.rest ?? text,
    text,
    citation: number && parent?.number && !decimal ? `${parent.citation}.${cite}` : cite,
    heading,
    content: [],
    children: [],
  };
}

/**
 * A translated heading: the canonical section's ID and citation, the translation's own words. One
 * whose recorded source the original no longer has is an orphan, under an ID of its own.
 */
function mirrorSection(heading: Heading, match: Section | { orphan: string } | undefined, index: number, orphans: Orphan[]): Section {
  const text = headingText(heading);
  if (match && 'orphan' in match) {
    orphans.push({ recordId: match.orphan, node: heading });
    return { id: `~orphan-${match.orphan}`, depth: heading.depth, number: null, title: text, text, citation: text, heading, content: [], children: [] };
  }
  const mirror = match;
  return {
    // A heading that translates no canonical section gets a private ID; the matcher reported it.
    id: mirror?.id ?? `~extra-${index + 1}`,
    depth: heading.depth,
    number: mirror?.number ?? null,
    title: text,
    text,
    citation: mirror?.citation ?? text,
    heading,
    content: [],
    children: [],
  };
}

/**
 * A heading's words on one line: a setext heading may run over several lines of the source,
 * and its text is printed in contents, bookmarks, running heads and messages.
 */
function headingText(heading: Heading): string {
  // Raw HTML is left out of the heading in every format (reportUnsupported says so), so also of its text.
  const words = heading.children.some((c) => c.type === 'html') ? toString({ ...heading, children: withoutHtml(heading.children) }) : toString(heading);
  return words.replace(/[ \t]*\n[ \t]*/g, ' ').trim();
}

function withoutHtml(nodes: readonly PhrasingContent[]): PhrasingContent[] {
  return nodes.filter((n) => n.type !== 'html').map((n) => ('children' in n ? ({ ...n, children: withoutHtml(n.children as PhrasingContent[]) } as PhrasingContent) : n));
}

/** `Foreword` -> `foreword`; accents dropped, anything else not a letter or digit becomes "-". */
export function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Raw HTML has no renderer: say so rather than drop it silently. An image needs its alternative
 * text, and a table a header row.
 */
export function reportUnsupported(tree: Root, file: string, report: Report): void {
  walk(tree, (node) => {
    if (node.type === 'html') {
      report.warning('unsupported-content', 'raw HTML is not rendered in any edition and is left out', {
        file,
        place: node.position?.start,
        hint: 'write it in Markdown instead',
      });
    } else if ((node.type === 'image' || node.type === 'imageReference') && !node.alt) {
      report.warning('image', 'the image has no alternative text', {
        file,
        place: node.position?.start,
        hint: 'write what the image shows between the brackets: ![Trade by sector, 2008](chart.png)',
      });
    } else if (node.type === 'table' && node.children[0] && emptyRow(node.children[0])) {
      report.warning('table-header', 'the table has no header row: every cell of its first row is empty', {
        file,
        place: node.position?.start,
        hint: 'write what each column holds in the first row, over the |---| line: | Field | Items |',
      });
    }
  });
}

/**
 * The fragment GitHub (and pandoc's gfm_auto_identifiers) gives each heading, as an alias of its
 * stable ID, so that a link written on GitHub (`#annex-b-tariff-table`) still works. A stable ID
 * wins over an alias that spells the same.
 */
function githubAliases(sections: readonly Section[], ids: ReadonlyMap<string, unknown>): Map<string, string> {
  const slugger = new GithubSlugger();
  const aliases = new Map<string, string>();
  for (const s of sections) {
    if (!s.heading) continue;
    const alias = slugger.slug(toString(s.heading));
    if (alias !== s.id && !ids.has(alias)) aliases.set(alias, s.id);
  }
  return aliases;
}

/**
 * A `#fragment` link that names a heading's GitHub slug is pointed at its stable ID; one that
 * names neither is left to unlinkUnfollowable, which reports it with these hints.
 */
function resolveInternalLinks(tree: Root, ids: ReadonlyMap<string, unknown>, aliases: ReadonlyMap<string, string>): (fragment: string) => BrokenFragment | undefined {
  walk(tree, (node) => {
    if ((node.type === 'link' || node.type === 'definition') && node.url.startsWith('#')) {
      const id = aliases.get(percentDecode(node.url.slice(1)));
      if (id) node.url = `#${id}`;
    }
  });
  return (fragment) => {
    const target = percentDecode(fragment);
    if (ids.has(target)) return undefined;
    const near = closest(target, [...ids.keys()]);
    return {
      message: `the link points at "#${target}", which is no section or paragraph of this document; its text is kept, unlinked`,
      hint: near.length > 0 ? `did you mean ${near.map((n) => `#${n}`).join(' or ')}?` : 'link to a stable ID such as #iv-2-3',
    };
  };
}

function walk(node: Nodes, visit: (node: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children) walk(child, visit);
}
