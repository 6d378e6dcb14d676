/**
 * The Markdown a briefing packet's file holds (its key points and background, in each of its
 * languages), parsed with positions in that file, and the images it names, read beside it.
 */
import type { Root, RootContent } from 'mdast';
import type { Point, Report } from '../messages.js';
import { loadImages, type ImageAsset } from '../model/images.js';
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

/**
 * Reads the images of the packet's own Markdown, as a document's are read (each one that
 * cannot be used is reported at its place), keyed by the URL as written.
 */
export function loadPacketImages(data: PacketFile, file: string, locate: (path: readonly (string | number)[]) => Point, report: Report): Map<string, ImageAsset> {
  const texts: [string, readonly (string | number)[]][] = [
    ...data['key-points'].flatMap((point, i) => data.languages.map((lang): [string, (string | number)[]] => [point[lang] ?? '', ['key-points', i, lang]])),
    ...(data.background ? data.languages.map((lang): [string, string[]] => [data.background![lang] ?? '', ['background', lang]]) : []),
  ];
  const root: Root = { type: 'root', children: texts.flatMap(([text, at]) => packetMarkdown(text, locate(at))) };
  return loadImages(root, file, report, new Map());
}
