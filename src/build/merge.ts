/**
 * A build of some formats (`--format html`) keeps the outputs of the others from the folder it
 * replaces: each output of another format that the manifest lists, that the current sources would
 * still give (same document, edition, languages and path) and whose file is the one the manifest
 * hashed, is carried into the staging folder (hard-linked, else copied) with its manifest entry;
 * the catalogue keeps each kept PDF's picture of its first page. A build of every format keeps
 * nothing. Rebuilding some formats of unchanged sources thus gives the folder a whole build gives.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, linkSync, mkdirSync } from 'node:fs';
import { lstat, readFile } from 'node:fs/promises';
import path from 'node:path';
import { FORMAT_NAMES, type FormatName } from '../formats/registry.js';
import type { Report } from '../messages.js';
import { CATALOGUE, MANIFEST, type ManifestEntry } from './manifest.js';

export type OutputFields = Omit<ManifestEntry, 'bytes' | 'sha256'>;

export interface Kept {
  outputs: ManifestEntry[];
  /** The catalogue's picture of each kept PDF's first page (a data: URI), by its path. */
  thumbnails: Map<string, string>;
}

/**
 * The outputs of `out` to keep when building `formats` into `staging`; `planned` are the outputs a
 * build of every format would write now, by path.
 */
export async function keepOtherFormats(out: string, staging: string, formats: readonly FormatName[], planned: ReadonlyMap<string, OutputFields>, report: Report): Promise<Kept> {
  const kept: Kept = { outputs: [], thumbnails: new Map() };
  if (FORMAT_NAMES.every((f) => formats.includes(f))) return kept;
  const previous = await readManifest(out);
  for (const entry of previous) {
    const now = planned.get(entry.path);
    if (formats.includes(entry.format) || now?.format !== entry.format) continue;
    const from = path.join(out, ...entry.path.split('/'));
    const info = await lstat(from).catch(() => undefined);
    const data = info?.isFile() ? await readFile(from) : undefined;
    if (!data || createHash('sha256').update(data).digest('hex') !== entry.sha256) {
      report.warning('output-folder', `${entry.path} is not the file the previous build wrote, so it is not kept`, {
        file: from,
        hint: `build the ${entry.format} format again to have it: editions build --format ${entry.format}`,
      });
      continue;
    }
    // Into the staging folder synchronously, as every write into it (staging.ts: openStaging).
    const to = path.join(staging, ...entry.path.split('/'));
    mkdirSync(path.dirname(to), { recursive: true });
    // The previous folder is removed after the swap, never changed: the two names can share the file.
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to);
    }
    kept.outputs.push({ ...now, bytes: data.byteLength, sha256: entry.sha256 });
  }
  if (kept.outputs.some((o) => o.format === 'pdf')) {
    const page = await readFile(path.join(out, CATALOGUE), 'utf8').catch(() => '');
    for (const [pdf, uri] of thumbnailsOf(page)) if (kept.outputs.some((o) => o.path === pdf)) kept.thumbnails.set(pdf, uri);
  }
  return kept;
}

/** The outputs a manifest lists, each checked for the shape this tool writes; none when there is no manifest. */
async function readManifest(out: string): Promise<ManifestEntry[]> {
  return readManifestFile(path.join(out, MANIFEST));
}

/** The outputs the manifest `file` lists, as readManifest reads them. */
export async function readManifestFile(file: string): Promise<ManifestEntry[]> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return [];
  }
  const outputs = (data as { outputs?: unknown }).outputs;
  if (!Array.isArray(outputs)) return [];
  const text = (v: unknown): v is string => typeof v === 'string';
  return outputs.filter(
    (o): o is ManifestEntry =>
      o !== null &&
      typeof o === 'object' &&
      text(o.path) &&
      text(o.document) &&
      text(o.edition) &&
      (FORMAT_NAMES as readonly unknown[]).includes(o.format) &&
      Array.isArray(o.languages) &&
      o.languages.every(text) &&
      text(o.sha256),
  );
}

/**
 * The pictures of a catalogue page, by the path of the PDF they show: in the page each edition's
 * picture comes before the links to its files, the PDF's among them.
 */
export function thumbnailsOf(page: string): Map<string, string> {
  const found = new Map<string, string>();
  let picture: string | undefined;
  for (const m of page.matchAll(/<img\b[^>]*?\bsrc="(data:image\/svg\+xml;base64,[^"]*)"|<a\b[^>]*?\bhref="([^"]*)"/g)) {
    if (m[1]) picture = unescapeAttribute(m[1]);
    else if (m[2] && picture && m[2].endsWith('.pdf')) {
      found.set(hrefPath(m[2]), picture);
      picture = undefined;
    }
  }
  return found;
}

/** An attribute's value as Handlebars escaped it (the base64 padding `=` is written &#x3D;). */
function unescapeAttribute(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#x27|#x3D|#x60);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#x27': "'", '#x3D': '=', '#x60': '`' })[e]!);
}

/** An href of the catalogue, as the output path it links. */
function hrefPath(href: string): string {
  const unescaped = unescapeAttribute(href);
  try {
    return decodeURIComponent(unescaped);
  } catch {
    return unescaped;
  }
}
