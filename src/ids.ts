/**
 * `editions ids DOC [SOURCE...]`: a document's stable IDs in reading order, each section followed
 * by its blocks, with what it is, how a reader cites it, where it stands and how it begins. The
 * IDs are what links (`#iv-2-3`), briefing packets, repairs and `translations accept --id` name.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { toString } from 'mdast-util-to-string';
import { resolveConfig } from './config/config.js';
import { closest, escapeControls, fail, Report, usage, type Diagnostic } from './messages.js';
import { loadDocuments } from './model/load.js';
import { blocksBySection } from './model/query.js';
import type { DocumentModel } from './model/types.js';

export interface IdEntry {
  id: string;
  /** "section", or the block's kind: "paragraph", "list item paragraph", "quoted paragraph", ... */
  kind: string;
  /** "IV.2.(3)" for a section; its section's and its place among the section's blocks for a block: "IV.2.(3) ¶2". */
  citation: string;
  /** Relative to the current folder. */
  file: string;
  line: number;
  column: number;
  /** The start of its text, on one line. */
  excerpt: string;
}

export interface IdsOptions {
  config?: string;
  json: boolean;
  /** The translation into this language, instead of the original. */
  lang?: string;
}

export interface IdsIo {
  out(text: string): void;
  diagnostics(list: readonly Diagnostic[]): void;
}

const EXCERPT = 60;
const EXIT_INPUT = 1;

export async function idsCommand(args: readonly string[], options: IdsOptions, io: IdsIo): Promise<number> {
  const [doc, ...sources] = args;
  if (doc === undefined) usage('"ids" needs the document whose IDs to list', 'name it by its folder, for example: editions ids china-lac-policy (or editions ids source/china-lac-policy)');
  // A document folder given by path is its own SOURCE; a name is looked up in the sources.
  const byPath = isFolder(doc) && sources.length === 0;
  const config = resolveConfig({ config: options.config, sources: byPath ? [doc] : sources });
  const report = new Report();
  const models = await loadDocuments(config.sources, report);
  const originals = models.filter((m) => !m.canonical);
  if (byPath && originals.length > 1) {
    fail('source-missing', `"${doc}" holds ${originals.length} documents, not one`, { hint: `name one of them: ${originals.map((m) => `editions ids ${m.id} ${doc}`).join(', or ')}` });
  }
  const name = byPath && originals.length === 1 ? originals[0]!.id : doc;
  const original = originals.find((m) => m.id === name);
  if (!original) {
    const near = closest(name, originals.map((m) => m.id));
    fail('source-missing', `no document "${name}" in ${config.sources.map((s) => path.relative(process.cwd(), s) || '.').join(', ')}`, {
      hint: near.length > 0 ? `did you mean ${near.join(', ')}?` : `the documents there are: ${originals.map((m) => m.id).join(', ') || 'none'}`,
    });
  }
  const model = options.lang === undefined || options.lang === original.lang ? original : models.find((m) => m.canonical === original && m.lang === options.lang);
  if (!model) {
    const langs = [original, ...models.filter((m) => m.canonical === original)].map((m) => m.lang);
    fail('source-missing', `document "${name}" has no text in "${options.lang}"`, { hint: `its languages are ${langs.join(', ')}` });
  }
  // IDs come from the numbering: a document whose numbering has errors has no IDs to rely on.
  const dir = path.dirname(model.file);
  const errors = report.diagnostics.filter((d) => d.severity === 'error' && (d.file === undefined || d.file === dir || d.file.startsWith(dir + path.sep)));
  if (errors.length > 0) {
    io.diagnostics(errors);
    return EXIT_INPUT;
  }
  const entries = idEntries(model);
  if (options.json) io.out(`${JSON.stringify(entries, null, 2)}\n`);
  // The preamble has neither citation nor text: no trailing blanks for them.
  else io.out(entries.map((e) => `${[`${e.file}:${e.line}:${e.column}`, e.id, e.kind, e.citation, e.excerpt].filter(Boolean).map(escapeControls).join('  ')}\n`).join(''));
  return 0;
}

/** Every section and block of `model` with an ID, in reading order. */
export function idEntries(model: DocumentModel, cwd = process.cwd()): IdEntry[] {
  const file = path.relative(cwd, model.file);
  const blocks = blocksBySection(model);
  return model.allSections.flatMap((s) => {
    const own = blocks.get(s.id) ?? [];
    // The preamble has no heading: it stands where its first block does.
    const at = (s.heading ?? s.content[0])?.position?.start;
    const section: IdEntry = { id: s.id, kind: 'section', citation: s.citation, file, line: at?.line ?? 1, column: at?.column ?? 1, excerpt: excerpt(s.text) };
    return [
      section,
      ...own.map((b) => {
        const start = b.node.position?.start;
        // Its number in its ID, not its place in the list: a translation's placeholders leave gaps.
        const n = /-p(\d+)$/.exec(b.id)?.[1];
        return { id: b.id, kind: b.kind, citation: `${s.citation} ¶${n}`.trim(), file, line: start?.line ?? 1, column: start?.column ?? 1, excerpt: excerpt(toString(b.node)) };
      }),
    ];
  });
}

/** The text on one line, cut at a word near EXCERPT characters. */
function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if ([...flat].length <= EXCERPT) return flat;
  const cut = [...flat].slice(0, EXCERPT).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > EXCERPT / 2 ? cut.slice(0, space) : cut}…`;
}

function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
