/** A document's termbase.yaml, beside its original: read by packets' glossaries and the term check. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Report } from '../messages.js';
import { termbaseSchema } from '../packets/schema.js';
import { readReported } from '../source/files.js';
import { readYaml } from '../source/yaml-schema.js';

/** Terms by ID, each in several languages, with a gloss in some, and the variants a translation may use instead. */
export type Termbase = Map<string, { text: Record<string, string>; gloss: Record<string, string>; variants: Record<string, string[]> }>;

/** The termbase of the document whose files are in `dir`. */
export function termbaseFile(dir: string): string {
  return path.join(dir, 'termbase.yaml');
}

/**
 * The terms of `file`, read once per report: the term check and the packets of one run read each
 * termbase, and its problems are reported once.
 */
const readFor = new WeakMap<Report, Map<string, Termbase | undefined>>();

export function termbaseOnce(file: string, report: Report): Termbase | undefined {
  let read = readFor.get(report);
  if (!read) readFor.set(report, (read = new Map()));
  if (!read.has(file)) read.set(file, readTermbase(file, report));
  return read.get(file);
}

/** The terms of `file` (none when there is no file); undefined when it has errors, which `report` gets. */
export function readTermbase(file: string, report: Report): Termbase | undefined {
  if (!existsSync(file)) return new Map();
  const text = readReported(file, 'termbase', report);
  if (text === undefined) return undefined;
  const { value } = readYaml({ text, file, firstLine: 1, report, rules: { syntax: 'packet-yaml', schema: 'packet-schema' }, what: 'termbase' }, termbaseSchema);
  return value && new Map(Object.entries(value.terms).map(([id, { gloss, variants, ...forms }]) => [id, { text: forms as Record<string, string>, gloss: gloss ?? {}, variants: variants ?? {} }]));
}
