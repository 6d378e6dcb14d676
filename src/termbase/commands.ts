/**
 * The `editions termbase` commands: `export --to tbx [SOURCE...]` writes each document's
 * termbase.yaml as TBX-Basic; `import FILE.tbx [SOURCE...]` merges a TBX into the termbase of the
 * document it names (its title), or of the one document SOURCE holds.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { check } from '../build/build.js';
import { EditionsError, escapeControls, fail, Report, usage } from '../messages.js';
import { discoverDocuments, languageOfFile } from '../source/discover.js';
import { readTextFile } from '../source/files.js';
import { importTbx } from './import.js';
import { readTermbase, termbaseFile } from './read.js';
import { readTbx, tbxDocument } from './tbx.js';

export interface TermbaseOptions {
  json: boolean;
  to?: string;
  out?: string;
}

export interface TermbaseIo {
  out(text: string): void;
}

type Handler = (rest: string[], sources: string[], options: TermbaseOptions, io: TermbaseIo) => Promise<number>;

const HANDLERS: Record<string, Handler> = {
  export: async (_rest, sources, options, io) => {
    if (options.to !== 'tbx') usage(options.to === undefined ? '"termbase export" needs --to, the format to write' : `"--to ${options.to}" is not a format termbases export to`, 'use --to tbx');
    const { report, models } = await check(sources);
    if (report.errorCount > 0) throw new EditionsError(report.diagnostics.filter((d) => d.severity === 'error'));
    const out = path.resolve(options.out ?? 'translations');
    const results = [];
    for (const original of models.filter((m) => !m.canonical && !m.packet)) {
      const file = termbaseFile(path.dirname(original.file));
      const read = new Report();
      const terms = readTermbase(file, read);
      if (!terms) throw new EditionsError(read.diagnostics);
      if (terms.size === 0) continue;
      await mkdir(out, { recursive: true });
      const tbx = path.join(out, `${original.id}.tbx`);
      await writeFile(tbx, tbxDocument(original.id, original.lang, terms));
      results.push({ file: path.relative(process.cwd(), tbx), termbase: path.relative(process.cwd(), file), concepts: terms.size });
      if (!options.json) io.out(`wrote ${terms.size} concepts of ${escapeControls(path.relative(process.cwd(), file))} to ${escapeControls(path.relative(process.cwd(), tbx))}\n`);
    }
    if (options.json) io.out(`${JSON.stringify(results, null, 2)}\n`);
    return 0;
  },

  import: async (rest, sources, options, io) => {
    // The words after FILE are the sources (cli.ts): `sources`.
    const [tbx] = rest;
    if (tbx === undefined) usage('"termbase import" needs the TBX file to import', 'name it, then the sources: editions termbase import terms.tbx [SOURCE...]');
    const file = path.resolve(tbx);
    const read = readTbx(readTextFile(file, 'TBX file'));
    const folders = await discoverDocuments(sources);
    const title = 'concepts' in read ? read.title : undefined;
    const folder = folders.length === 1 ? folders[0] : folders.find((f) => f.id === title);
    if (!folder) {
      fail('termbase-tbx', title === undefined ? 'the TBX names no document (no <title> in its header), and the sources hold several' : `the TBX is the termbase of "${title}", which the sources do not hold`, {
        file,
        hint: `name the document folder to import into: editions termbase import ${tbx} source/<document>; the documents: ${folders.map((f) => f.id).join(', ')}`,
      });
    }
    const languages = folder.files.map(languageOfFile);
    const termbase = termbaseFile(folder.dir);
    const result = await importTbx(file, read, termbase, languages);
    const shown = escapeControls(path.relative(process.cwd(), termbase));
    if (options.json) io.out(`${JSON.stringify({ termbase: path.relative(process.cwd(), termbase), ...result }, null, 2)}\n`);
    else if (result.added.length + result.changed.length === 0) io.out(`${shown}: nothing to change\n`);
    else io.out(`updated ${shown}: ${result.added.length} new concepts${result.added.length > 0 ? ` (${result.added.join(', ')})` : ''}, ${result.changed.length} changed forms${result.changed.length > 0 ? ` (${result.changed.join(', ')})` : ''}\n`);
    return 0;
  },
};

/** Runs `editions termbase ACTION ...`. */
export function termbaseCommand(action: string | undefined, rest: string[], sources: string[], options: TermbaseOptions, io: TermbaseIo): Promise<number> {
  const handler = action === undefined ? undefined : HANDLERS[action];
  if (!handler) usage(`"termbase ${action ?? ''}" is not a command`, 'use "editions termbase export --to tbx" or "editions termbase import FILE.tbx"');
  return handler(rest, sources, options, io);
}
