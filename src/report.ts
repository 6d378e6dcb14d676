/**
 * `--report json` (check and build): the diagnostics as vfile-reporter-json writes them, so that
 * the tools that read unified's and remark-lint's reports (CI annotators, editors) read ours.
 *
 * One VFile per file with its messages, serialized field for field as vfile-reporter-json 4 does
 * (it is not a dependency of ours: the few lines below are its whole serialization).
 */
import path from 'node:path';
import { VFile } from 'vfile';
import type { ManifestEntry } from './build/manifest.js';
import { shownPath, sortDiagnostics, usage, type Diagnostic } from './messages.js';

export type ReportFormat = 'human' | 'json';

/** The `--report` value, checked: only check and build report, and only as JSON. */
export function reportFormat(value: string | undefined, command: string | undefined): ReportFormat {
  if (value === undefined) return 'human';
  if (command !== 'check' && command !== 'build' && command !== 'merge') usage(`--report is for check, build and merge, not "${command}"`, 'leave --report out; the translations and termbase commands have --json');
  if (value !== 'json') usage(`unknown report format "${value}"`, 'the only report format is json: --report json');
  return 'json';
}

/** The outputs a build wrote, to list after the diagnostics. */
export interface WrittenOutputs {
  out: string;
  outputs: readonly ManifestEntry[];
}

/**
 * The JSON report: one object per file that has messages, in path order (a file without is left
 * out, as vfile-reporter-json's `quiet` does: a clean check reports `[]`). Messages without a file
 * (a command line or an environment variable) come in one object without a path.
 *
 * After a build, each output written is one more object, with no messages and an `output` field
 * (its manifest entry): a reader of vfile-reporter-json sees files without problems.
 */
export function jsonReport(list: readonly Diagnostic[], written?: WrittenOutputs, cwd = process.cwd()): string {
  const files = new Map<string | undefined, VFile>();
  for (const d of sortDiagnostics(list)) {
    let file = files.get(d.file);
    if (!file) files.set(d.file, (file = new VFile(d.file ? { path: shownPath(d.file, cwd), cwd } : { cwd })));
    const message = file.message(d.message, { ...(d.place && { place: { line: d.place.line, column: d.place.column } }), ruleId: d.ruleId, source: 'editions' });
    message.fatal = d.severity === 'error';
    if (d.hint) message.note = d.hint;
  }
  const report: object[] = [...files.values()].map(fileToJson);
  for (const entry of written?.outputs ?? []) {
    const file = new VFile({ path: shownPath(path.join(written!.out, entry.path), cwd), cwd });
    report.push({ ...fileToJson(file), output: entry });
  }
  return JSON.stringify(report);
}

/** vfile-reporter-json's file and message objects (`undefined` fields drop out of the JSON). */
function fileToJson(file: VFile) {
  return {
    path: file.path,
    cwd: file.cwd,
    history: file.history,
    messages: file.messages.map((m) => ({
      ancestors: m.ancestors,
      column: m.column,
      fatal: m.fatal,
      line: m.line,
      place: m.place,
      reason: m.reason,
      ruleId: m.ruleId,
      source: m.source,
      actual: m.actual,
      expected: m.expected,
      note: m.note,
      url: m.url,
    })),
  };
}
