/**
 * Finds documents. A SOURCE folder holds one folder per document (like source/); a document
 * folder holds its text as `paper.<language>.md`. A document folder may also be named directly.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fail } from '../messages.js';
import { byCodePoint } from '../shared/order.js';

export interface DocumentFolder {
  /** The folder's name: the document's id in output paths and the manifest. */
  id: string;
  dir: string;
  /** `paper.<language>.md` files, sorted. */
  files: string[];
}

const PAPER = /^paper\.([A-Za-z0-9-]+)\.md$/;

/** Document folders under each SOURCE path, in a stable order, each listed once. */
export async function discoverDocuments(sources: readonly string[]): Promise<DocumentFolder[]> {
  const found = new Map<string, DocumentFolder>();
  for (const source of sources) {
    const abs = path.resolve(source);
    const shown = path.relative(process.cwd(), abs) || '.';
    const info = await stat(abs).catch(() => undefined);
    if (!info?.isDirectory()) {
      fail('source-missing', `source folder "${shown}" ${info ? 'is not a folder' : 'does not exist'}`, {
        hint: 'name a folder that holds one folder per document (like source/), or a document folder itself',
      });
    }
    const own = await documentAt(abs);
    const folders = own ? [own] : await childDocuments(abs);
    if (folders.length === 0) {
      fail('source-missing', `no document found in "${shown}"`, {
        file: abs,
        hint: 'each document is a folder holding paper.<language>.md, for example source/my-paper/paper.en.md',
      });
    }
    for (const f of folders) found.set(f.dir, f);
  }
  return [...found.values()].sort((a, b) => byCodePoint(a.id, b.id) || byCodePoint(a.dir, b.dir));
}

async function childDocuments(dir: string): Promise<DocumentFolder[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const docs: DocumentFolder[] = [];
  for (const e of entries.filter((e) => e.isDirectory()).sort((a, b) => byCodePoint(a.name, b.name))) {
    const doc = await documentAt(path.join(dir, e.name));
    if (doc) docs.push(doc);
  }
  return docs;
}

async function documentAt(dir: string): Promise<DocumentFolder | undefined> {
  const names = (await readdir(dir)).filter((n) => PAPER.test(n)).sort(byCodePoint);
  if (names.length === 0) return undefined;
  return { id: path.basename(dir), dir, files: names.map((n) => path.join(dir, n)) };
}

/** The language named by a paper file's name (`paper.zh-Hans.md` -> `zh-Hans`). */
export function languageOfFile(file: string): string {
  return PAPER.exec(path.basename(file))![1]!;
}
