/**
 * `editions translations export --to FORMAT`: each translation written in an exchange format,
 * one file per translation, named `<document>.<original>-<translation>.<extension>`. Each format
 * is a writer in WRITERS, keyed by its --to value.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { check } from '../build/build.js';
import { escapeControls, usage } from '../messages.js';
import type { DocumentModel } from '../model/types.js';
import type { Handler } from './commands.js';
import { describeExport, exportXliff, XLIFF_FORMATS } from './export-xliff.js';
import { memoryPairs, tmxDocument } from './tmx.js';

interface Writer {
  extension: string;
  /** Whether it writes the segments --only names (a memory holds translated pairs only, and takes no --only). */
  takesOnly?: true;
  /** The file's text, and how many segments it holds. */
  write(translation: DocumentModel): { text: string; count: number };
}

const WRITERS: Record<string, Writer> = {
  tmx: {
    extension: 'tmx',
    write(translation) {
      const pairs = memoryPairs(translation);
      return { text: tmxDocument(translation, pairs), count: pairs.length };
    },
  },
};

const EXIT_INPUT = 1;

export const exportTranslations: Handler = async (_rest, sources, options, io) => {
  if (options.to !== undefined && options.to in XLIFF_FORMATS) {
    const done = await exportXliff(sources, options);
    if ('errors' in done) {
      io.diagnostics(done.errors);
      io.err('nothing exported: fix the alignment first\n');
      return EXIT_INPUT;
    }
    io.diagnostics(done.diagnostics);
    if (options.json) io.out(`${JSON.stringify(done.written.map((w) => ({ ...w, file: path.relative(process.cwd(), w.file) })), null, 2)}\n`);
    else io.out(describeExport(done.written));
    return 0;
  }
  const writer = options.to === undefined ? undefined : WRITERS[options.to];
  if (!writer) {
    const formats = [...Object.keys(XLIFF_FORMATS), ...Object.keys(WRITERS)];
    usage(options.to === undefined ? '"translations export" needs --to, the format to write' : `"--to ${options.to}" is not a format translations export to`, `use --to ${formats.join(', --to ')}`);
  }
  if (options.only !== undefined && !writer.takesOnly) usage(`--to ${options.to} takes no --only`, `leave --only out: --to ${options.to} writes the segments it can pair with the text they translate`);
  const { report, models } = await check(sources);
  const errors = report.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    io.diagnostics(errors);
    return EXIT_INPUT;
  }
  const translations = models.filter((m) => m.canonical);
  const chosen = options.lang === undefined ? translations : translations.filter((m) => m.lang === options.lang);
  if (chosen.length === 0) {
    const languages = [...new Set(translations.map((m) => m.lang))];
    usage(options.lang === undefined ? 'the sources have no translation to export' : `the sources have no ${options.lang} translation`, languages.length > 0 ? `the translations are in ${languages.join(', ')}` : 'a translation is a paper.<lang>.md whose front matter has "translation:"');
  }
  const out = path.resolve(options.out ?? 'translations');
  await mkdir(out, { recursive: true });
  const results = [];
  for (const t of chosen) {
    const { text, count } = writer.write(t);
    const file = path.join(out, `${t.id}.${t.canonical!.lang}-${t.lang}.${writer.extension}`);
    await writeFile(file, text);
    results.push({ file: path.relative(process.cwd(), file), language: t.lang, segments: count });
    if (!options.json) io.out(`wrote ${count} segments of ${escapeControls(path.relative(process.cwd(), t.file))} to ${escapeControls(path.relative(process.cwd(), file))}\n`);
  }
  if (options.json) io.out(`${JSON.stringify(results, null, 2)}\n`);
  return 0;
};
