/**
 * Renumbering without loss. Stable IDs come from printed numbers, so inserting "(3)" in the
 * original renames (3)-(14) to (4)-(15), and by ID alone every translated section after it would
 * pair with the wrong one. A translation's record says which text of the original each of its
 * IDs was accepted from: where that text stands now is where the translated block belongs. So
 * the record gives the map from the IDs the translation was accepted under to the original's
 * present IDs, and the translation is renamed by it once, as it is built (align.ts's matcher for
 * its sections, realignBlocks for its blocks), before anything pairs it by ID.
 */
import path from 'node:path';
import type { Nodes } from 'mdast';
import type { Diagnostic, Report } from '../messages.js';
import { matchesRecord, originalSegments, recordedKeys, segmentKeys, type Recorded } from './staleness.js';
import type { Block, DocumentModel, Orphan, Unsettled } from './types.js';

export interface Renumbering {
  /** The record's section IDs in its order, which is the original's order when it was written. */
  sections: string[];
  /** Where the text each recorded ID was accepted from now stands in the original; undefined where it is gone. */
  moves: Map<string, string | undefined>;
  record: ReadonlyMap<string, Recorded>;
}

const BLOCK_ID = /^(.*)-p(\d+)$/;

/**
 * The renumbering the record shows, or undefined when every recorded text stands where it did
 * (the common case: the translation is then aligned by ID as it always was). A recorded text
 * pairs first with the original's segment of the same ID, then with the first segment of its
 * kind, not paired already, that has it (moved or renumbered); one found nowhere was edited in
 * place (it keeps its ID, and is stale) when that ID is free, else it is gone.
 */
export function planRenumbering(canonical: DocumentModel, record: ReadonlyMap<string, Recorded>): Renumbering | undefined {
  if (record.size === 0) return undefined;
  const headings = new Map<string, Nodes>();
  const blocks = new Map<string, Nodes>();
  for (const { id, node } of originalSegments(canonical)) (node.type === 'heading' ? headings : blocks).set(id, node);
  const isBlock = (id: string) => {
    const m = BLOCK_ID.exec(id);
    return m !== null && (record.has(m[1]!) || headings.has(m[1]!) || m[1] === 'preamble');
  };
  const entries = [...record];
  const sectionEntries = entries.filter(([id]) => !isBlock(id));
  const moves = new Map<string, string | undefined>();
  pairEntries(sectionEntries, headings, true, (id) => id, moves);
  // A block edited in a renumbered section stays with its section: its fallback is its place there.
  pairEntries(
    entries.filter(([id]) => isBlock(id)),
    blocks,
    false,
    (id) => {
      const [, section, n] = BLOCK_ID.exec(id)!;
      const moved = moves.has(section!) ? moves.get(section!) : section;
      return moved === undefined ? undefined : `${moved}-p${n}`;
    },
    moves,
  );
  if ([...moves].every(([from, to]) => from === to)) return undefined;
  return { sections: sectionEntries.map(([id]) => id), moves, record };
}

function pairEntries(
  entries: [string, Recorded][],
  pool: ReadonlyMap<string, Nodes>,
  headingPool: boolean,
  fallback: (id: string) => string | undefined,
  moves: Map<string, string | undefined>,
): void {
  const taken = new Set<string>();
  const open: [string, Recorded][] = [];
  for (const [id, recorded] of entries) {
    const node = pool.get(id);
    if (node && matchesRecord(recorded, node)) {
      moves.set(id, id);
      taken.add(id);
    } else open.push([id, recorded]);
  }
  // The pool by hash, each in reading order: a renumbering near the start of a long text leaves
  // most of it to be found elsewhere, and a search of the whole pool per text would be quadratic.
  const order = new Map([...pool.keys()].map((id, i) => [id, i]));
  const byKey = new Map<string, string[]>();
  for (const [at, node] of pool) {
    for (const key of segmentKeys(node)) {
      const list = byKey.get(key);
      if (list) list.push(at);
      else byKey.set(key, [at]);
    }
  }
  const unpaired: string[] = [];
  for (const [id, recorded] of open) {
    const found = recordedKeys(recorded, headingPool)
      .flatMap((key) => byKey.get(key) ?? [])
      .filter((at) => !taken.has(at))
      .sort((a, b) => order.get(a)! - order.get(b)!)[0];
    if (found === undefined) {
      unpaired.push(id);
      continue;
    }
    moves.set(id, found);
    taken.add(found);
  }
  for (const id of unpaired) {
    const at = fallback(id);
    const free = at !== undefined && pool.has(at) && !taken.has(at);
    moves.set(id, free ? at : undefined);
    if (free) taken.add(at);
  }
}

/**
 * Renames a translation's blocks by the renumbering: a block stands under its section's ID and
 * its place there as built (`iv-2-4-p1`), and was accepted under its section's recorded ID and
 * that place (`iv-2-3-p1`); it takes the ID its recorded text has now. A block whose text is gone,
 * or that stands where another's text now is, is an orphan, with an ID of its own. Returns the
 * renames (built ID to new ID), and fills `recordIds`, `orphans` and `unsettled` (each renamed block).
 */
export function realignBlocks(
  blocks: readonly Block[],
  canonical: DocumentModel,
  renumbering: Renumbering,
  sectionRecordIds: ReadonlyMap<string, string>,
  recordIds: Map<string, string>,
  orphans: Orphan[],
  unsettled: Unsettled[],
  file: string,
  report: Report,
): Map<string, string> {
  const sectionOf = new Map(canonical.blocks.map((b) => [b.id, b.sectionId]));
  const targets = new Set([...renumbering.moves.values()]);
  const renames = new Map<string, string>();
  for (const block of blocks) {
    const [, section, n] = BLOCK_ID.exec(block.id)!;
    // A section new in the original, under an ID whose recorded text has moved on, has no record yet.
    const gone = renumbering.moves.has(section!) && renumbering.moves.get(section!) !== section;
    const recordSection = sectionRecordIds.get(section!) ?? (gone ? undefined : section);
    const recordId = recordSection === undefined ? block.id : `${recordSection}-p${n}`;
    const recorded = recordSection === undefined ? undefined : renumbering.record.get(recordId);
    let target: string | undefined;
    if (recorded) target = renumbering.moves.get(recordId);
    // Not accepted yet: it keeps its place, unless a renumbered text has taken it.
    else target = targets.has(block.id) ? undefined : block.id;
    if (target === undefined || !sectionOf.has(target)) {
      target = `~orphan-${recordId}`;
      orphans.push({ recordId, node: block.node, ...(recorded?.text !== undefined && { text: recorded.text }) });
    } else if (target !== recordId) recordIds.set(target, recordId);
    if (target === block.id) continue;
    unsettled.push({ why: 'place', node: block.node, now: target.startsWith('~orphan-') ? undefined : target, byPosition: block.id });
    const now = sectionOf.get(target);
    if (now !== undefined && now !== block.sectionId) {
      // Paired by its text, it stays current where it stands; the translator moves it at leisure.
      report.warning('translation-renumbered', `this block translates ${target}: ${path.basename(canonical.file)} has moved its text from section ${recordSection} to section ${now}`, {
        file,
        place: block.node.position?.start,
        hint: `move it to the section that translates ${now}, then run: editions translations accept ${path.relative(process.cwd(), file)}`,
      });
    }
    renames.set(block.id, target);
    block.id = target;
    block.node.data = { ...block.node.data, id: target };
    block.sectionId = sectionOf.get(target) ?? block.sectionId;
  }
  return renames;
}

/**
 * Why `translation` cannot be accepted yet, if its alignment rests on the renumbering: the record
 * accept writes holds the present IDs, and the translation would then be paired by place again,
 * misplacing what follows its recorded text (silently: its record would say current). The first
 * heading or block so placed is said, with what settles it; the ones after it often follow.
 */
export function unsettledReason(translation: DocumentModel): Diagnostic | undefined {
  const list = (translation.unsettled ?? []).filter((u) => u.why !== 'link');
  // In reading order: the first is the one to settle, and the ones after it often follow.
  const first = [...list].sort((a, b) => (a.node.position?.start.offset ?? 0) - (b.node.position?.start.offset ?? 0))[0];
  if (!first) return undefined;
  const more = list.length > 1 ? ` (and ${list.length - 1} more after it)` : '';
  const say = (message: string, hint: string): Diagnostic => ({
    severity: 'error',
    ruleId: 'translation-renumbered',
    message: `${message}${more}`,
    file: translation.file,
    place: first.node.position?.start,
    hint: `${hint}; then accept`,
  });
  const original = path.basename(translation.canonical!.file);
  if (first.why === 'number') return say(`this heading still prints the number ${first.byPosition} had, and translates ${first.now}: a new record would hold it for a misnumbered heading`, `number it as ${original} now numbers ${first.now}`);
  const what = first.node.type === 'heading' ? 'heading' : 'block';
  if (first.now === undefined) return say(`this ${what} translates a text ${original} no longer has: a new record would pair it by its place${first.byPosition ? `, with ${first.byPosition}` : ''}`, `remove it, or translate in its place what ${original} says now`);
  return say(
    `this ${what} follows its recorded text to ${first.now}, but a new record would pair it by its place${first.byPosition ? `, with ${first.byPosition}` : ''}`,
    what === 'heading'
      ? `end the heading with {#${first.now}}, or translate first the sections ${original} has added before it`
      : `move it where ${original} has moved its text, or translate first the blocks it has added before it`,
  );
}

/**
 * The links of `translation` that follow the renumbering, to be rewritten once it is accepted: a
 * link is read by the IDs of the record (the translation was written against them) until accept
 * writes the present ones, so it can be rewritten neither before (it would then be read by the
 * record's IDs) nor be left as it is after. Accept says so, and goes on.
 */
export function linksToRewrite(translation: DocumentModel): Diagnostic[] {
  return (translation.unsettled ?? [])
    .filter((u) => u.why === 'link')
    .map((u) => ({
      severity: 'warning',
      ruleId: 'translation-renumbered',
      message: `this link points at #${u.byPosition}, which has been ${u.now} since ${path.basename(translation.canonical!.file)} was renumbered: once accepted, #${u.byPosition} is read as the original's present ${u.byPosition}`,
      file: translation.file,
      place: u.node.position?.start,
      hint: `write #${u.now} now that it is accepted`,
    }));
}

/**
 * Each ID of the original the renumbering has taken from its text, to the ID that text has now, as
 * the translations' records show it (a translation accepted since the renumbering has no move for
 * it: the first that has one remembers it).
 */
export function renumberedIds(translations: readonly DocumentModel[]): Map<string, string> {
  const moved = new Map<string, string>();
  for (const t of translations) for (const [from, to] of t.moves ?? []) if (to !== undefined && to !== from && !moved.has(from)) moved.set(from, to);
  return moved;
}

/**
 * The IDs whose recorded text the original no longer has (removed, or rewritten where another text
 * has taken the ID), by the translations' records. An ID of them that the original still has now
 * names another text than the one it named when the translations were accepted.
 */
export function removedIds(translations: readonly DocumentModel[]): Set<string> {
  const moved = renumberedIds(translations);
  const removed = new Set<string>();
  for (const t of translations) for (const [from, to] of t.moves ?? []) if (to === undefined && !moved.has(from)) removed.add(from);
  return removed;
}

/**
 * Warns at each `#id` link of the original that names an ID the renumbering has given to another
 * section, with the ID of the one it named when the translations were accepted. It is kept, as a
 * packet's is (packets/load.ts): written before the renumbering, it meant the section now under
 * the new ID; written with it, the new section, and only the author knows which.
 */
export function reportRenumberedLinks(original: DocumentModel, translations: readonly DocumentModel[], report: Report): void {
  const moved = renumberedIds(translations);
  const removed = removedIds(translations);
  if (moved.size === 0 && removed.size === 0) return;
  const ids = new Set([...original.allSections.map((s) => s.id), ...original.blocks.map((b) => b.id)]);
  const visit = (node: Nodes): void => {
    if ((node.type === 'link' || node.type === 'definition') && node.url.startsWith('#')) {
      const id = node.url.slice(1);
      const now = moved.get(id);
      const warn = (message: string, hint: string) => report.warning('renumbered-id', message, { file: original.file, place: node.position?.start, hint });
      if (now !== undefined) {
        warn(`the link points at #${id}, which is now another section or block: the text it named when the translations were accepted is ${now} now`, `if it means that text, write #${now}; it is kept as written (the warning ends when the translations are accepted again)`);
      } else if (removed.has(id) && ids.has(id)) {
        warn(`the link points at #${id}, which is now another section or block: the text it named when the translations were accepted is no longer in ${path.basename(original.file)}`, `point it at what it means now; it is kept as written (the warning ends when the translations are accepted again)`);
      }
    }
    if ('children' in node) for (const child of node.children) visit(child);
  };
  for (const s of original.allSections) for (const node of s.content) visit(node);
  for (const note of original.footnotes) visit(note);
}
