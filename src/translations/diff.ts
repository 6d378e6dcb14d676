/**
 * `editions translations diff FILE...`: for each stale block of each translation, the word diff
 * of the original from the text the block was translated from (the record's `texts:`) to the text
 * now: what the translator has to carry over before accepting it again. Missing blocks are listed,
 * with no diff. A report: it exits 0 whatever it finds.
 */
import path from 'node:path';
import { escapeControls, usage } from '../messages.js';
import { segmentText, translationStatus } from '../model/staleness.js';
import type { DocumentModel } from '../model/types.js';
import { blockEntry, describeEntry, type BlockEntry } from './blocks.js';
// commands.ts maps `diff` to this module's handler; loadTranslations is called only when it runs.
import { loadTranslations, type TranslationsIo, type TranslationsOptions } from './commands.js';
import { plainDiff, wordDiff, type Change } from './word-diff.js';

/**
 * A block's entry with what changed: `changes` when the record holds the text it was accepted
 * from; else `text`, the original's text now, whole (a block never accepted, or accepted before
 * records kept texts).
 */
export type DiffEntry = BlockEntry & { changes?: Change[]; text?: string };

export async function diffCommand(rest: string[], _sources: string[], options: TranslationsOptions, io: TranslationsIo): Promise<number> {
  if (rest.length === 0) usage('"translations diff" needs the translation files to compare', 'name each paper.<lang>.md, for example: editions translations diff source/china-lac-policy/paper.es.md');
  const loaded = await loadTranslations(rest, io);
  if (typeof loaded === 'number') return loaded;
  const byFile = loaded.map(diffEntries);
  if (options.json) {
    io.out(`${JSON.stringify(byFile.flat(), null, 2)}\n`);
    return 0;
  }
  const pieces = byFile.flatMap((entries, i) => (entries.length > 0 ? entries.map(describe) : [`${escapeControls(path.relative(process.cwd(), loaded[i]!.file))}: every block is current`]));
  // A diff stands between blank lines; the one-line entries (missing blocks) stay together.
  io.out(`${pieces.map((p, i) => (i === 0 ? p : `${p.includes('\n') || pieces[i - 1]!.includes('\n') ? '\n\n' : '\n'}${p}`)).join('')}\n`);
  return 0;
}

function diffEntries(translation: DocumentModel): DiffEntry[] {
  const lang = translation.canonical!.lang;
  return translationStatus(translation).segments.flatMap((s): DiffEntry[] => {
    const entry = blockEntry(s, translation);
    if (!entry) return [];
    if (entry.state === 'missing') return [entry];
    const now = segmentText(s.original);
    return [s.recordedText === undefined ? { ...entry, text: now } : { ...entry, changes: wordDiff(s.recordedText, now, lang) }];
  });
}

/** An entry as a terminal shows it: the line `status --blocks` prints, then the diff or the text, indented (no final line end). */
function describe(e: DiffEntry): string {
  const head = describeEntry(e);
  if (e.state === 'missing') return head;
  if (e.changes) return `${head}:\n  ${escapeControls(plainDiff(e.changes))}`;
  const why = e.accepted ? 'the record has no text it was accepted from (it was written before records kept texts)' : 'there is no text it was translated from';
  return `${head}; ${why}, the original's text now:\n  ${escapeControls(e.text!)}`;
}
