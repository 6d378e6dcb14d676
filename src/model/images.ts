/**
 * Images a document uses, read and checked once when the model is built, so that every format
 * gets the same bytes and a missing or unreadable image is reported at its place in the source.
 * Only files beside the source are used: the editions load nothing from outside. An image that
 * cannot be used is a warning (an error under --strict), and every format sets its alternative
 * text in its place, as pandoc does: the renderers say nothing more about it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Definition, Nodes, Root } from 'mdast';
import type { Report } from '../messages.js';

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
    const folder = path.dirname(file);
    const abs = path.resolve(folder, safeDecode(url));
    // "/url" or "../x.png" would read a file from elsewhere on the disk.
    const inside = path.relative(folder, abs);
    if (inside === '..' || inside.startsWith(`..${path.sep}`) || path.isAbsolute(inside)) {
      report.warning('image', `the image "${url}" is not a file beside the source${INSTEAD}`, {
        ...at,
        hint: 'copy the image into the document folder and link it by a path relative to the source, without "/" or ".." at its start',
      });
      return;
    }
    let data: Buffer;
    try {
      data = readFileSync(abs);
    } catch {
      report.warning('image', `the image "${url}" cannot be read${INSTEAD}`, { ...at, hint: `check that ${path.relative(process.cwd(), abs)} exists` });
      return;
    }
    const info = pngInfo(data) ?? jpegInfo(data);
    if (!info) {
      report.warning('image', `the image "${url}" is not a readable PNG or JPEG file${INSTEAD}`, {
        ...at,
        hint: 'export it as PNG (charts, diagrams) or JPEG (photographs)',
      });
      return;
    }
    images.set(url, { url, file: abs, data, ...info });
  });
  return images;
}

/** A URL path as a file path, percent-decoded where it can be (a stray "%" is taken as it stands). */
function safeDecode(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}

function pngInfo(data: Buffer): Pick<ImageAsset, 'mediaType' | 'width' | 'height'> | undefined {
  if (data.length < 24 || data.readUInt32BE(0) !== 0x89504e47 || data.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  return width > 0 && height > 0 ? { mediaType: 'image/png', width, height } : undefined;
}

/** Reads the size from the first start-of-frame marker. */
function jpegInfo(data: Buffer): Pick<ImageAsset, 'mediaType' | 'width' | 'height'> | undefined {
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return undefined;
  let pos = 2;
  while (pos + 9 < data.length) {
    if (data[pos] !== 0xff) return undefined;
    const marker = data[pos + 1]!;
    const length = data.readUInt16BE(pos + 2);
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      const height = data.readUInt16BE(pos + 5);
      const width = data.readUInt16BE(pos + 7);
      return width > 0 && height > 0 ? { mediaType: 'image/jpeg', width, height } : undefined;
    }
    pos += 2 + length;
  }
  return undefined;
}

function walk(node: Nodes, visit: (node: Nodes) => void): void {
  visit(node);
  if ('children' in node) for (const child of node.children) walk(child, visit);
}
