/**
 * Blocks an import adds to a translation that lacks them: a heading, a paragraph, a list item, a
 * quoted paragraph, a table, whole sections. The translation lacks a run of the original's
 * segments after the last one it has (a partial translation stops short, section by section), so
 * each run goes in after that one, written as the original writes it: the original's Markdown
 * from the end of that segment to the end of the run, its list markers, quote marks, heading
 * marks and blank lines kept, each block's text replaced by its unit's target. Whether each block
 * then stands where the original's does (in the same list, item and quote) is checked on the
 * translation as it would be (blockShapes), before anything is written.
 */
import path from 'node:path';
import type { Nodes } from 'mdast';
import type { Point } from '../messages.js';
import type { Segment, TranslationStatus } from '../model/staleness.js';
import type { DocumentModel } from '../model/types.js';
import { continuation, decodeParts, plainText, textKind, withLabels, type CodableBlock } from './inline.js';
import { literalMarkdown } from './literal.js';
import { codeNode, type ReadUnit, type SourceText } from './units.js';

export interface Insertion {
  start: number;
  end: number;
  md: string;
  /** The first unit of the run, for messages about it. */
  unit: ReadUnit;
  /** The segments written, each with its unit (none for a code block copied as it stands). */
  ids: string[];
}

interface Replacement {
  start: number;
  end: number;
  md: string;
}

type Warn = (place: Point, message: string, hint: string) => void;

/** Code blocks: their text is literal (literal.ts), and a run without their unit's target copies them as the original has them. */
const LITERAL = new Set(['code']);
/** A heading's `{#id}` (align.ts). */
const ID_ATTRIBUTE = /\{#[^\s{}]+\}\s*$/;
/** What stands between the original's blocks and is not the translation's: its notes, link definitions, comments. */
const NOT_COPIED = new Set(['definition', 'footnoteDefinition', 'html']);

/**
 * The insertions of the missing segments `filled` has targets for, and of the placeholders they
 * replace. A run is written up to its first segment without a target (what follows it would
 * stand in its place); the units after that are reported, as is a run that would open the document.
 */
export function planInsertions(
  translation: DocumentModel,
  status: TranslationStatus,
  filled: ReadonlyMap<string, ReadUnit>,
  original: SourceText,
  source: SourceText,
  stubs: string,
  warn: Warn,
): Insertion[] {
  const name = path.basename(translation.file);
  const edits: Insertion[] = [];
  const dropped = notCopied(original.tree);
  /** The translation's footnote labels: an inserted note mark needs its note there. */
  const labels = new Set([...stubs.matchAll(/^\[\^([^\]]+)\]:/gm)].map((m) => m[1]!.toLowerCase()));
  let anchor: { segment: Segment; end: number } | undefined;
  let run: Segment[] = [];

  const flush = () => {
    if (run.length > 0) {
      const edit = anchor ? insertRun(run, anchor.segment, anchor.end) : undefined;
      if (edit) edits.push(edit);
      else if (!anchor) for (const s of run) if (filled.has(s.id)) warn(filled.get(s.id)!.place, `${s.id} was not imported: ${name} has no text before it to insert it after`, `write the first block of ${name} by hand (any text), then import again`);
    }
    run = [];
  };

  /**
   * The run's segments that have targets, written as the original writes them, at `at` in the
   * translation. A block without a target is left out with the rest of its section (they would
   * stand in its place), and the section after it goes on; a heading without one ends the run.
   */
  const insertRun = (segments: Segment[], after: Segment, at: number): Insertion | undefined => {
    const chosen: { s: Segment; unit?: ReadUnit; content: Replacement; from: number }[] = [];
    let from = after.original.position!.end.offset!;
    let gap: { s: Segment; why: string } | undefined;
    for (const [i, s] of segments.entries()) {
      const unit = filled.get(s.id);
      const node = s.original.position!;
      if (gap && s.original.type !== 'heading') {
        if (unit) warn(unit.place, `${s.id} was not imported: ${name} lacks ${gap.s.id} before it, ${gap.why}`, `translate ${gap.s.id} too, or write {.untranslated} in its place in ${name}, then import again`);
        from = node.end.offset!;
        continue;
      }
      gap = undefined;
      const content = LITERAL.has(s.original.type)
        ? literalContent(s, unit)
        : unit
          ? decodeTarget(s, unit)
          : null;
      // In a translation that follows a renumbering, headings pair by their records; a new one,
      // with none, names its section, or it would take the place of the recorded one after it.
      if (content !== null && s.original.type === 'heading' && translation.moves && !ID_ATTRIBUTE.test(original.text.slice(content.end, node.end.offset!))) content.md += ` {#${s.id}}`;
      if (content !== null) {
        chosen.push({ s, ...(unit && { unit }), content, from });
        from = content.end;
        continue;
      }
      const why = unit ? 'whose target was not imported' : 'whose unit has no target';
      if (s.original.type === 'heading') {
        // What follows stands in a section the translation would not have.
        for (const later of segments.slice(i + 1)) {
          const u = filled.get(later.id);
          if (u) warn(u.place, `${later.id} was not imported: ${name} lacks the heading ${s.id} before it, ${why}`, `translate ${s.id} too, then import again`);
        }
        break;
      }
      gap = { s, why };
      from = node.end.offset!;
    }
    // A code block at the end, with nothing translated after it, waits for the text it goes with.
    while (chosen.length > 0 && !chosen.at(-1)!.unit) chosen.pop();
    const first = chosen.find((c) => c.unit)?.unit;
    if (!first) return undefined;
    const pieces = chosen.flatMap((c) => [copied(original.text, c.from, c.content.start, dropped), c.content.md]);
    const last = chosen.at(-1)!;
    // What ends the last block after its text (a heading's {#id}).
    pieces.push(original.text.slice(last.content.end, last.s.original.position!.end.offset!));
    return { start: at, end: at, md: pieces.join(''), unit: first, ids: chosen.map((c) => c.s.id) };
  };

  /** A code block as its unit's target has it, or as the original has it when the unit has none (it is not translated). */
  const literalContent = (s: Segment, unit: ReadUnit | undefined): Replacement | null => {
    const start = s.original.position!.start.offset!;
    const end = s.original.position!.end.offset!;
    const block = original.text.slice(start, end);
    if (!unit) return { start, end, md: block };
    const md = literalMarkdown(original, start, end, plainText(unit.target!));
    if (md === undefined) warn(unit.place, `${s.id} was not imported: a line of its target would close the code block's fence`, 'shorten that line, or indent it by four spaces');
    return md === undefined ? null : { start, end, md };
  };

  /** A unit's target as the Markdown of its block's text (its lines continued by `indent`, or as in the original), or null (said) when it would not read back. */
  const decodeTarget = (s: Segment, unit: ReadUnit, indent?: string): Replacement | null => {
    const coded = codeNode(s.original, original, []);
    if (!coded) return null;
    // Where the original's markup is copied, its lines continue as the original's do.
    indent ??= continuation(original.text, coded.start);
    const note = unit.target!.find((p) => typeof p !== 'string' && p.type === 'footnoteReference' && !labels.has(p.md.slice(2, -1).toLowerCase()));
    if (note && typeof note !== 'string') {
      warn(unit.place, `${s.id} was not imported: its target marks the note ${note.md}, which ${name} does not have`, `add the note's translation to ${name}, then import again`);
      return null;
    }
    const md = decodeParts(withLabels(unit.target!, coded.parts), textKind(s.original as CodableBlock, original.text), indent, stubs);
    if (md === undefined) {
      warn(unit.place, `${s.id} was not imported: its target would not read back as one ${s.original.type}`, 'keep the codes of the source around the text they mark, and leave out line breaks in a heading');
      return null;
    }
    return { start: coded.start, end: coded.end, md };
  };

  for (const s of status.segments) {
    if (s.translated) {
      flush();
      anchor = { segment: s, end: s.translated.position!.end.offset! };
      continue;
    }
    const placeholder = translation.placeholders?.get(s.id);
    if (!placeholder) {
      run.push(s);
      continue;
    }
    flush();
    const at = placeholder.node.position!;
    const unit = filled.get(s.id);
    // The placeholder's line prefix (a list item's marker, a quote's) is the translation's, kept.
    const md = unit && !LITERAL.has(s.original.type) ? decodeTarget(s, unit, continuation(source.text, at.start.offset!)) : undefined;
    if (unit && md) edits.push({ start: at.start.offset!, end: at.end.offset!, md: md.md, unit, ids: [s.id] });
    else if (unit && LITERAL.has(s.original.type)) {
      warn(unit.place, `${s.id} was not imported: a placeholder in ${name} holds the place of this ${s.original.type} block`, `copy the block from ${path.basename(translation.canonical!.file)} in place of the placeholder`);
    }
    anchor = { segment: s, end: at.end.offset! };
  }
  flush();
  return edits;
}

/** The original's Markdown from `from` to `to`, without its notes, definitions and comments (whole lines). */
function copied(text: string, from: number, to: number, dropped: readonly { start: number; end: number }[]): string {
  let out = '';
  let at = from;
  for (const d of dropped) {
    if (d.start < from || d.end > to) continue;
    out += text.slice(at, d.start);
    at = d.end;
  }
  // A note taken out leaves the blank lines around it: one is enough.
  return (out + text.slice(at, to)).replace(/\n(?:[ \t]*\n){2,}/g, '\n\n');
}

/** The nodes a run leaves out, each with its whole lines (a quote's "> " before it, its line end after it). */
function notCopied(tree: Nodes): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const visit = (node: Nodes) => {
    if (NOT_COPIED.has(node.type) && node.position) out.push({ start: node.position.start.offset! - (node.position.start.column - 1), end: node.position.end.offset! + 1 });
    else if ('children' in node && node.type !== 'paragraph' && node.type !== 'heading' && node.type !== 'table') for (const c of node.children) visit(c);
  };
  visit(tree);
  return out.sort((a, b) => a.start - b.start);
}


/**
 * Where each block stands, as its containers: "list(iii-p3)>item 2>paragraph", a list or quote
 * named by its first block. A block inserted into the list before it, where the original starts a
 * list of its own, or out of the quote it belongs to, is told apart. Read before placeholders are
 * taken out (they count as the items they hold the place of).
 */
export function blockShapes(model: DocumentModel): Map<string, string> {
  const shapes = new Map<string, string>();
  const visit = (node: Nodes, trail: string) => {
    const id = node.data && 'id' in node.data ? node.data.id : undefined;
    if (typeof id === 'string' && node.type !== 'heading') shapes.set(id, `${trail}${node.type}`);
    if (node.type === 'list') node.children.forEach((item, i) => item.children.forEach((c) => visit(c, `${trail}${node.ordered ? 'ordered ' : ''}list(${firstId(node)})>item ${i + 1}>`)));
    else if (node.type === 'blockquote') for (const c of node.children) visit(c, `${trail}quote(${firstId(node)})>`);
  };
  for (const section of model.allSections) for (const node of section.content) visit(node, '');
  return shapes;
}

function firstId(node: Nodes): string | undefined {
  const id = node.data && 'id' in node.data ? node.data.id : undefined;
  if (typeof id === 'string') return id;
  if (!('children' in node)) return undefined;
  for (const c of node.children) {
    const found = firstId(c);
    if (found) return found;
  }
  return undefined;
}
