/**
 * The blocks of a translation that need work, each with its places: a stale block where it stands
 * in the translation and where the original's text now stands; a missing one where the original
 * has it (the translation has no place for it yet). `status --blocks` lists them, `diff` shows
 * what changed in the stale ones.
 */
import path from 'node:path';
import { escapeControls } from '../messages.js';
import type { Segment } from '../model/staleness.js';
import type { DocumentModel } from '../model/types.js';

export interface Place {
  /** Relative to the current folder, as the other translations commands print files. */
  file: string;
  line: number;
  column: number;
}

export interface StaleEntry extends Place {
  id: string;
  state: 'stale';
  original: Place;
  /** False when the record does not name the block: translated since the last accept, or never accepted. */
  accepted: boolean;
}

export interface MissingEntry {
  id: string;
  state: 'missing';
  /** The translation that lacks the block. */
  file: string;
  original: Place;
}

export type BlockEntry = StaleEntry | MissingEntry;

/** A segment's entry; none for a current one. */
export function blockEntry(segment: Segment, translation: DocumentModel): BlockEntry | undefined {
  if (segment.state === 'current') return undefined;
  const original = place(translation.canonical!.file, segment.original);
  if (segment.state === 'missing') return { id: segment.id, state: 'missing', file: relative(translation.file), original };
  return { id: segment.id, state: 'stale', ...place(translation.file, segment.translated!), original, accepted: !segment.unrecorded };
}

function place(file: string, node: Segment['original']): Place {
  // Every node of a parsed source has a position; 1:1 stands in for one built by hand.
  const start = node.position?.start;
  return { file: relative(file), line: start?.line ?? 1, column: start?.column ?? 1 };
}

function relative(file: string): string {
  return path.relative(process.cwd(), file);
}

/** An entry on one line, its place first (editors and terminals follow `file:line:col`). */
export function describeEntry(e: BlockEntry): string {
  const original = escapeControls(at(e.original));
  if (e.state === 'missing') return `${escapeControls(e.file)}: ${e.id} is missing (original at ${original})`;
  return `${escapeControls(at(e))}: ${e.id} ${e.accepted ? 'is stale' : 'has not been accepted yet'} (original at ${original})`;
}

/** `file:line:col`. */
function at(p: Place): string {
  return `${p.file}:${p.line}:${p.column}`;
}
