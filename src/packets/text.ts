/**
 * The Markdown a briefing packet's file holds (its key points and background, in each of its
 * languages), parsed with positions in that file and checked as a document's text is, and the
 * images it names, read beside it.
 */
import type { Root, RootContent } from 'mdast';
import type { Point, Report } from '../messages.js';
import { reportUnsupported } from '../model/build.js';
import { loadImages, type ImageAsset } from '../model/images.js';
import { unlinkUnfollowable } from '../model/links.js';
import { parseMarkdown } from '../source/parse.js';
import type { PacketFile } from './schema.js';

/** Markdown written in a packet file, its positions moved to where the text stands in that file. */
export function packetMarkdown(text: string, at: Point): RootContent[] {
  const tree = parseMarkdown(text);
  const move = (node: { position?: { start: Point; end: Point }; children?: unknown[] }) => {
    if (node.position) {
      for (const p of [node.position.start, node.position.end]) {
        p.column = p.line === 1 ? at.column + p.column : p.column;
        p.line = at.line + p.line - 1;
      }
    }
    for (const c of (node.children ?? []) as never[]) move(c);
  };
  tree.children.forEach((c) => move(c as never));
  return tree.children;
}

/** A packet text's key in PacketSource.texts: `key-points.2.es`, `background.en`. */
export function textKey(path: readonly (string | number)[]): string {
  return path.join('.');
}

/**
 * The packet's own Markdown, parsed once and checked as a document's text is: raw HTML and an
 * image without alternative text reported, links no reader can follow unlinked with a warning,
 * and the images it shows read beside the packet file (each one that cannot be used reported at
 * its place). Texts by textKey; images by URL as written.
 */
export function readPacketTexts(
  data: PacketFile,
  file: string,
  locate: (path: readonly (string | number)[]) => Point,
  report: Report,
  linkSchemes: readonly string[],
): { texts: Map<string, RootContent[]>; images: Map<string, ImageAsset> } {
  const paths: (string | number)[][] = [
    ...data['key-points'].flatMap((_, i) => data.languages.map((lang) => ['key-points', i, lang])),
    ...(data.background ? data.languages.map((lang) => ['background', lang]) : []),
  ];
  const texts = new Map<string, RootContent[]>();
  for (const at of paths) {
    const value = at.reduce<unknown>((o, k) => (o as Record<string | number, unknown>)?.[k], data);
    if (typeof value === 'string') texts.set(textKey(at), packetMarkdown(value, locate(at)));
  }
  const root: Root = { type: 'root', children: [...texts.values()].flat() };
  reportUnsupported(root, file, report);
  // A fragment names a part of the packet, known only when it is set: packets/model.ts unlinks one that is left out.
  unlinkUnfollowable(root, new Map(), () => undefined, file, report, linkSchemes);
  return { texts, images: loadImages(root, file, report, new Map()) };
}
