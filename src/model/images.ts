/**
 * Images a document uses, read and checked once when the model is built, so that every format
 * gets the same bytes and a missing or unreadable image is reported at its place in the source.
 * Only files beside the source are used: the editions load nothing from outside. An image that
 * cannot be used is a warning (an error under --strict), and every format sets its alternative
 * text in its place, as pandoc does: the renderers say nothing more about it.
 */
import { readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { Definition, Nodes, Root } from 'mdast';
import type { Report } from '../messages.js';
import { percentDecode } from '../shared/uri.js';
import { imageInfo, MAX_IMAGE_BYTES } from './image-files.js';

export interface ImageAsset {
  /** The URL as written in the source. */
  url: string;
  file: string;
  data: Buffer;
  mediaType: 'image/png' | 'image/jpeg';
  /** Pixels. */
  width: number;
  height: number;
}

/**
 * Every link and image definition of the tree (`[id]: url`), by identifier. Of two with the same
 * identifier the first counts, as in CommonMark (and in mdast-util-to-hast, which the HTML uses).
 */
export function collectDefinitions(tree: Root): Map<string, Definition> {
  const definitions = new Map<string, Definition>();
  walk(tree, (n) => {
    if (n.type === 'definition' && !definitions.has(n.identifier)) definitions.set(n.identifier, n);
  });
  return definitions;
}

/** What every format does with an image that it cannot show. */
const INSTEAD = '; its alternative text is set instead';

/** Reads every image the tree uses, keyed by the URL as written; problems go to `report`. */
export function loadImages(tree: Root, file: string, report: Report, definitions: ReadonlyMap<string, Definition>): Map<string, ImageAsset> {
  const images = new Map<string, ImageAsset>();
  const folder = path.dirname(file);
  // The folder with its links followed, which every image must stay inside: found once, when the first image file is found.
  let realFolder: string | undefined;
  walk(tree, (node) => {
    const url = node.type === 'image' ? node.url : node.type === 'imageReference' ? definitions.get(node.identifier)?.url : undefined;
    if (url === undefined || images.has(url)) return;
    const at = { file, place: node.position?.start };
    if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
      report.warning('image', `the image "${url}" is not a file beside the source${INSTEAD}`, {
        ...at,
        hint: 'copy the image into the document folder and link it by a relative path: editions fetch nothing from the network',
      });
      return;
    }
    const abs = path.resolve(folder, percentDecode(url));
    // "/url", "//host/x" or "../x.png" would read a file from elsewhere on the disk.
    if (!within(folder, abs)) {
      report.warning('image', `the image "${url}" is not a file beside the source${INSTEAD}`, {
        ...at,
        hint: 'copy the image into the document folder and link it by a path relative to the source, without "/" or ".." at its start',
      });
      return;
    }
    const read = readImageFile(() => (realFolder ??= realpathSync(folder)), abs);
    if ('problem' in read) {
      report.warning('image', `the image "${url}" ${read.problem}${INSTEAD}`, { ...at, hint: read.hint });
      return;
    }
    const info = imageInfo(read.data);
    if ('problem' in info) {
      report.warning('image', `the image "${url}" ${info.problem}${INSTEAD}`, { ...at, hint: info.hint });
      return;
    }
    const data = read.data;
    images.set(url, { url, file: abs, data, ...info });
  });
  return images;
}

/** Whether `abs` is `folder` or inside it, by path. */
function within(folder: string, abs: string): boolean {
  const inside = path.relative(folder, abs);
  return inside !== '' && inside !== '..' && !inside.startsWith(`..${path.sep}`) && !path.isAbsolute(inside);
}

/**
 * The bytes of an image file, read only when it is a regular file inside the document's folder
 * once links are followed (a symbolic link out of it, a FIFO that would never end, a device such
 * as /dev/zero that never stops), and no larger than MAX_IMAGE_BYTES.
 */
function readImageFile(realFolder: () => string, abs: string): { data: Buffer } | { problem: string; hint: string } {
  const rel = path.relative(process.cwd(), abs);
  let real: string;
  let stat: Stats;
  try {
    real = realpathSync(abs);
    stat = statSync(real);
  } catch {
    return { problem: 'cannot be read', hint: `check that ${rel} exists` };
  }
  if (!within(realFolder(), real)) {
    return { problem: 'is a link to a file outside the document folder', hint: `copy the file itself into the document folder in place of the link ${rel}` };
  }
  if (!stat.isFile()) return { problem: 'is not a file', hint: `${rel} is a folder or a special file: name an image file` };
  if (stat.size > MAX_IMAGE_BYTES) {
    return { problem: `is ${(stat.size / 2 ** 20).toFixed(0)} MB, more than the ${MAX_IMAGE_BYTES / 2 ** 20} MB an edition takes`, hint: 'compress it, or scale it down' };
  }
  try {
    return { data: readFileSync(real) };
  } catch (e) {
    return { problem: 'cannot be read', hint: `${rel}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
}

function walk(node: Nodes, visit: (node: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children) walk(child, visit);
}
