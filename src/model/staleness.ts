/**
 * Which text of the original each translated block was made from. A translation has a record
 * beside it (`paper.<lang>.sources.yaml`, committed) holding a hash of the original's text per
 * stable ID, and that text itself (for `translations diff`, which shows what changed since),
 * written by `editions translations accept` once a translator has reviewed the translation.
 * When the original changes, the hash no longer matches: the block is stale.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync } from 'node:fs';
import path from 'node:path';
import type { Nodes } from 'mdast';
import { toString } from 'mdast-util-to-string';
import { stringify } from 'yaml';
import { z } from 'zod';
import { EditionsError, Report, type Point } from '../messages.js';
import { readTextFile } from '../source/files.js';
import { refuseUnlessFile, replaceFile } from '../source/replace.js';
import { readYaml } from '../source/yaml-schema.js';
import { parseHeadingNumber } from './numbering.js';
import { blocksBySection } from './query.js';
import type { DocumentModel } from './types.js';

export type SegmentState = 'current' | 'stale' | 'missing';

export interface Segment {
  id: string;
  state: SegmentState;
  /** The original's text the record says this block was translated from (a record written before texts were kept has none). */
  recordedText?: string;
  /** The original's node and the translation's (absent when missing). */
  original: Nodes;
  translated?: Nodes;
  /** A stale segment that the record does not name: translated since the last accept (or never accepted). */
  unrecorded?: true;
}

export interface TranslationStatus {
  file: string;
  language: string;
  segments: Segment[];
  counts: Record<SegmentState, number>;
  /** Share of segments whose translation is current, in percent. */
  percent: number;
}

export function recordFile(translationFile: string): string {
  return translationFile.replace(/\.md$/, '.sources.yaml');
}

/** A node's text as hashed and recorded: whitespace normalised (rewrapping a paragraph changes nothing). */
export function segmentText(node: Nodes): string {
  return toString(node).replace(/\s+/g, ' ').trim();
}

/** A short hash of a node's text, whitespace normalised (rewrapping a paragraph changes nothing). */
export function textHash(node: Nodes): string {
  return hash(segmentText(node));
}

/**
 * The hash a record keeps for a segment: a heading's without its printed number, so that a
 * section the original renumbers ("(3)" now "(4)") keeps its translation current.
 */
export function segmentHash(node: Nodes): string {
  return hash(node.type === 'heading' ? withoutNumber(segmentText(node)) : segmentText(node));
}

/**
 * Whether the record says `node`'s present text is the one its translation was made from. A
 * heading matches by its words without the number, also in a record written before headings
 * were hashed so (its hash is of the whole heading; its recorded text, stripped, is compared).
 */
export function matchesRecord(recorded: Recorded, node: Nodes): boolean {
  const keys = segmentKeys(node);
  return recordedKeys(recorded, node.type === 'heading').some((k) => keys.includes(k));
}

/** The hashes by which a record may name `node`'s present text (matchesRecord). */
export function segmentKeys(node: Nodes): string[] {
  return node.type === 'heading' ? [segmentHash(node), textHash(node)] : [segmentHash(node)];
}

/** The hashes by which a recorded segment names a text (matchesRecord); a heading's also from its recorded text. */
export function recordedKeys(recorded: Recorded, heading: boolean): string[] {
  return heading && recorded.text !== undefined ? [recorded.hash, hash(withoutNumber(recorded.text))] : [recorded.hash];
}

function withoutNumber(text: string): string {
  return parseHeadingNumber(text)?.rest ?? text;
}

function hash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

/** Every segment of the original (section headings and blocks), in reading order. */
export function originalSegments(model: DocumentModel): { id: string; node: Nodes }[] {
  const out: { id: string; node: Nodes }[] = [];
  const blocks = blocksBySection(model);
  for (const s of model.allSections) {
    if (s.heading) out.push({ id: s.id, node: s.heading });
    for (const b of blocks.get(s.id) ?? []) out.push({ id: b.id, node: b.node });
  }
  return out;
}

/** A record as `accept` writes it; other keys are ignored. */
const recordSchema = z.object({
  original: z.string().optional(),
  segments: z.record(z.string(), z.string()).optional(),
  texts: z.record(z.string(), z.string()).optional(),
});

/** What a record holds for one segment: the hash of the original's text it was accepted from, and that text. */
export interface Recorded {
  hash: string;
  text?: string;
}

export function readRecord(file: string): Map<string, Recorded> {
  if (!existsSync(file) && !lstatSync(file, { throwIfNoEntry: false })) return new Map();
  refuseUnlessRecordFile(file);
  const report = new Report();
  const { value } = readYaml(
    { text: readTextFile(file, 'translation record'), file, firstLine: 1, report, rules: { syntax: 'translation-record', schema: 'translation-record' }, what: 'translation record', characters: 'error' },
    recordSchema,
  );
  if (!value || report.errorCount > 0) {
    throw new EditionsError(report.diagnostics.map((d) => ({ ...d, hint: `${d.hint ? `${d.hint}; or ` : ''}delete the file and run: editions translations accept ${path.relative(process.cwd(), file.replace(/\.sources\.yaml$/, '.md'))}` })));
  }
  const texts = value.texts ?? {};
  return new Map(Object.entries(value.segments ?? {}).map(([id, hash]) => [id, { hash, ...(texts[id] !== undefined && { text: texts[id] }) }]));
}

/**
 * Each translation's status, worked out once: the load reports it, the plan and every bilingual
 * output read it, and each time it would read the record and hash the whole original again.
 */
const statuses = new WeakMap<DocumentModel, TranslationStatus>();

/** The state of every segment of the original in `translation`, against its record. */
export function translationStatus(translation: DocumentModel): TranslationStatus {
  let status = statuses.get(translation);
  if (!status) {
    status = readStatus(translation);
    statuses.set(translation, status);
  }
  return status;
}

function readStatus(translation: DocumentModel): TranslationStatus {
  const canonical = translation.canonical!;
  const record = readRecord(recordFile(translation.file));
  const translated = new Map<string, Nodes>();
  for (const s of translation.allSections) if (s.heading) translated.set(s.id, s.heading);
  for (const b of translation.blocks) translated.set(b.id, b.node);
  const segments = originalSegments(canonical).map(({ id, node }): Segment => {
    const t = translated.get(id);
    if (!t) return { id, state: 'missing', original: node };
    // A block the original has renumbered is recorded under the ID it had when accepted.
    const recorded = record.get(translation.recordIds?.get(id) ?? id);
    const text = recorded?.text !== undefined ? { recordedText: recorded.text } : {};
    if (recorded && matchesRecord(recorded, node)) return { id, state: 'current', original: node, translated: t, ...text };
    return { id, state: 'stale', original: node, translated: t, ...text, ...(recorded === undefined && { unrecorded: true as const }) };
  });
  const counts = { current: 0, stale: 0, missing: 0 };
  for (const s of segments) counts[s.state]++;
  return {
    file: translation.file,
    language: translation.lang,
    segments,
    counts,
    percent: segments.length === 0 ? 100 : Math.floor((1000 * counts.current) / segments.length) / 10,
  };
}

/**
 * Reports stale segments one by one, and missing ones once per run of consecutive missing
 * segments (a skipped section and its blocks are one gap to fill, not one per paragraph):
 * warnings, or errors under --strict.
 */
export function reportStaleness(translation: DocumentModel, strict: boolean, report: Report): void {
  const status = translationStatus(translation);
  const original = path.basename(translation.canonical!.file);
  const accept = `editions translations accept ${path.relative(process.cwd(), translation.file)}`;
  const severity = strict ? 'error' : 'warning';
  const at = (p: Point | undefined) => `${p?.line ?? 1}:${p?.column ?? 1}`;
  for (const run of segmentRuns(status.segments, translation.placeholders)) {
    if (run.state === 'current') continue;
    if (run.state === 'stale') {
      for (const s of run.segments) {
        report.add({
          severity,
          ruleId: 'translation-stale',
          message: s.unrecorded
            ? `${s.id} has not been accepted yet (original at ${original}:${at(s.original.position?.start)})`
            : `${s.id} was translated from another text of the original (now at ${original}:${at(s.original.position?.start)})`,
          file: translation.file,
          place: s.translated?.position?.start,
          hint: `review it against the original, then run: ${accept}`,
        });
      }
      continue;
    }
    const first = run.segments[0]!;
    const last = run.segments.at(-1)!;
    const from = `${original}:${at(first.original.position?.start)}`;
    report.add({
      severity,
      ruleId: 'translation-missing',
      message:
        run.segments.length === 1
          ? `${first.id} is not translated (original at ${from})`
          : `${first.id} to ${last.id} are not translated: ${run.segments.length} segments (original at ${from} to ${at(last.original.position?.end)})`,
      file: translation.file,
      place: run.place,
      hint: `translate ${run.segments.length === 1 ? 'it' : 'them'} here, block for block with the original${run.next ? ` (while ${run.segments.length === 1 ? 'it is' : 'they are'} not, the heading after the gap says which section it translates: {#${run.next}} at its end)` : ''}`,
    });
  }
  reportOrphans(translation, severity, accept, report);
}

/**
 * A translated heading or block whose recorded source the original no longer has (renumbering.ts)
 * translates nothing now: the original dropped the text, or rewrote it past recognition where
 * another text has taken its ID. It is said where it stands, with the text it was made from.
 */
function reportOrphans(translation: DocumentModel, severity: 'error' | 'warning', accept: string, report: Report): void {
  const original = path.basename(translation.canonical!.file);
  for (const o of translation.orphans ?? []) {
    const what = o.node.type === 'heading' ? 'heading' : 'block';
    const from = o.text === undefined ? '' : `: "${o.text.length > 60 ? `${o.text.slice(0, 60)}...` : o.text}"`;
    report.add({
      severity,
      ruleId: 'translation-orphan',
      message: `this ${what} was accepted as ${o.recordId}, translated from a text ${original} no longer has${from}`,
      file: translation.file,
      place: o.node.position?.start,
      hint: `remove it if the original has dropped the text, or translate what the original says now in its place; then run: ${accept}`,
    });
  }
}

interface SegmentRun {
  state: SegmentState;
  segments: Segment[];
  /** Where in the translation a missing run goes: at its placeholder, else after the translated text before it. */
  place?: Point;
  /**
   * For a missing run that holds a heading: the section of the next translated heading, which
   * needs its {#id} (by position it would translate the first skipped section).
   */
  next?: string;
}

/** Consecutive segments in one state, in the original's reading order. */
function segmentRuns(segments: readonly Segment[], placeholders: DocumentModel['placeholders']): SegmentRun[] {
  const runs: SegmentRun[] = [];
  let before: Point | undefined;
  for (const s of segments) {
    const open = runs.at(-1);
    if (open?.state === s.state) open.segments.push(s);
    else runs.push({ state: s.state, segments: [s], place: placeholders?.get(s.id)?.node.position?.start ?? before });
    if (s.translated) before = s.translated.position?.end;
  }
  // A run before any translated text goes where the translation's first text stands.
  const head = runs[0];
  if (head?.state === 'missing') head.place = segments.find((s) => s.translated)?.translated?.position?.start;
  // Backwards, so that each missing run knows the translated segment after it (after a gap that
  // skips a heading, that is a heading: the gap ends where a section is translated again).
  let nextHeading: string | undefined;
  for (const run of [...runs].reverse()) {
    if (run.state === 'missing') {
      if (nextHeading && run.segments.some((s) => s.original.type === 'heading')) run.next = nextHeading;
    } else {
      nextHeading = run.segments[0]!.translated?.type === 'heading' ? run.segments[0]!.id : undefined;
    }
  }
  return runs;
}

/**
 * Records the original's current text as the source of every aligned segment, or of the
 * segments `ids` names only (the others keep what the record says). Returns the IDs recorded.
 */
export async function acceptTranslation(translation: DocumentModel, ids?: ReadonlySet<string>): Promise<{ file: string; count: number; ids: string[] }> {
  const status = translationStatus(translation);
  const file = recordFile(translation.file);
  const before = ids ? readRecord(file) : new Map<string, Recorded>();
  const segments: Record<string, string> = {};
  const texts: Record<string, string> = {};
  const accepted: string[] = [];
  for (const s of status.segments) {
    if (s.state === 'missing') continue;
    if (ids && !ids.has(s.id)) {
      const kept = before.get(translation.recordIds?.get(s.id) ?? s.id);
      if (kept) {
        segments[s.id] = kept.hash;
        if (kept.text !== undefined) texts[s.id] = kept.text;
      }
      continue;
    }
    segments[s.id] = segmentHash(s.original);
    texts[s.id] = segmentText(s.original);
    accepted.push(s.id);
  }
  const header =
    `# Which text of ${path.basename(translation.canonical!.file)} each block of ${path.basename(translation.file)} was translated from:\n` +
    '# a hash of the original per stable ID, and the text itself. Written by `editions translations accept`; commit it.\n';
  await replaceFile(file, header + stringify({ original: path.basename(translation.canonical!.file), segments, texts }, { lineWidth: 0 }), refuseUnlessRecordFile);
  // The record has changed under the status worked out from it.
  statuses.delete(translation);
  return { file, count: accepted.length, ids: accepted };
}

/**
 * A record is the tool's own file: one that is a symbolic link (which could point anywhere, and
 * be written through) or not a file at all is refused, read or written.
 */
function refuseUnlessRecordFile(file: string): void {
  refuseUnlessFile(file, 'the record', 'remove it, then accept again: the record is a file of its own, committed beside the translation');
}

export type TranslationFlag = 'staleFlag' | 'missingFlag';

/**
 * The flags of a bilingual edition: for a block of either of its texts, the UI string printed
 * under it when that text is a translation made from an older text of the original, or lacks the
 * block. An original has none; a briefing packet's text has those of the translations it draws
 * its sections from (its own texts are written in both languages), whichever language is first.
 */
export function translationFlags(): (text: DocumentModel, id: string) => TranslationFlag | undefined {
  const states = new Map<DocumentModel, Map<string, SegmentState>>();
  return (text, id) => {
    let byId = states.get(text);
    if (!byId) {
      const translations = (text.sources ?? [text]).filter((t) => t.canonical);
      byId = new Map(translations.flatMap((t) => translationStatus(t).segments.map((s): [string, SegmentState] => [s.id, s.state])));
      states.set(text, byId);
    }
    const state = byId.get(id);
    return state === 'stale' ? 'staleFlag' : state === 'missing' ? 'missingFlag' : undefined;
  };
}
