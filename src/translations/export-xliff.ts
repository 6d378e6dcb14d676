/**
 * `editions translations export --to xliff|xliff2`: an XLIFF file per translation of each
 * document, for a translator or an agency. The files go to `translations/<document>/` under the
 * current folder (or --out DIR): never into the source folder, which is committed and read by
 * every build. Names: paper.<lang>.xlf (XLIFF 1.2), paper.<lang>.xliff2.xlf (XLIFF 2.1).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { escapeControls, Report, usage, type Diagnostic } from '../messages.js';
import { loadDocuments } from '../model/load.js';
import type { SegmentState } from '../model/staleness.js';
import { termbaseFile, termbaseOnce } from '../termbase/read.js';
import { writeOutput } from '../source/files.js';
import { exchangeFile, sourceTexts, type ExchangeFile } from './units.js';
import { writeXliff12 } from './xliff12.js';
import { writeXliff21 } from './xliff21.js';

/** The formats --to names, each with its writer and the end of its file names. */
export const XLIFF_FORMATS: Record<string, { write: (x: ExchangeFile) => string; suffix: string }> = {
  xliff: { write: writeXliff12, suffix: '.xlf' },
  xliff2: { write: writeXliff21, suffix: '.xliff2.xlf' },
};

const STATES: readonly SegmentState[] = ['current', 'stale', 'missing'];

export interface ExportOptions {
  to?: string;
  lang?: string;
  only?: string;
  out?: string;
}

export interface Exported {
  file: string;
  language: string;
  units: number;
}

/** Writes the files; returns them, and the problems found on the way (warnings: the files are written). */
export async function exportXliff(sources: readonly string[], options: ExportOptions): Promise<{ written: Exported[]; diagnostics: Diagnostic[] } | { errors: Diagnostic[] }> {
  const format = XLIFF_FORMATS[options.to!]!;
  const only = options.only === undefined ? undefined : new Set(options.only.split(',').map((s) => s.trim()));
  for (const s of only ?? []) if (!STATES.includes(s as SegmentState)) usage(`--only names the state "${s}", which a segment does not have`, `name states among ${STATES.join(', ')}, comma-separated: --only stale,missing`);
  // The documents only: an export needs neither the templates nor the packets checked.
  const report = new Report();
  const models = await loadDocuments(sources, report);
  // A structural error leaves the alignment unknown: the units would pair the wrong texts.
  const structural = report.diagnostics.filter((d) => d.severity === 'error' && d.ruleId !== 'translation-stale' && d.ruleId !== 'translation-missing');
  if (structural.length > 0) return { errors: structural };
  const translations = models.filter((m) => m.canonical && (options.lang === undefined || m.lang === options.lang));
  if (translations.length === 0) {
    usage(options.lang === undefined ? 'there is no translation to export' : `there is no translation into "${options.lang}"`, `the languages translated are: ${[...new Set(models.filter((m) => m.canonical).map((m) => m.lang))].join(', ') || 'none'}`);
  }
  const out = path.resolve(options.out ?? 'translations');
  const diagnostics: Diagnostic[] = [];
  const termReport = new Report();
  const written: Exported[] = [];
  const texts = sourceTexts();
  for (const t of translations) {
    const x = exchangeFile(t, termbaseOnce(termbaseFile(path.dirname(t.canonical!.file)), termReport), texts, diagnostics);
    if (only) x.units = x.units.filter((u) => only.has(u.state));
    const file = path.join(out, t.id, `paper.${t.lang}${format.suffix}`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeOutput(file, format.write(x), 'XLIFF file');
    written.push({ file, language: t.lang, units: x.units.length });
  }
  return { written, diagnostics: [...termReport.diagnostics, ...diagnostics] };
}

export function describeExport(written: readonly Exported[]): string {
  return written.map((w) => `wrote ${w.units} units of ${w.language} to ${escapeControls(path.relative(process.cwd(), w.file))}\n`).join('');
}
