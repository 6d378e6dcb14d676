/**
 * The CommonMark spec's examples (the `commonmark-spec` package, 0.31.2) written as documents of
 * their own: one folder per example, minimal front matter, then the example's Markdown as it is.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Nodes } from 'mdast';
import { parseMarkdown } from '../src/source/parse.js';
import { FIXTURE_DOCS } from './helpers.js';

export interface Example {
  number: number;
  section: string;
  markdown: string;
  html: string;
}

/** The spec prints a tab as "→" (its own test runner turns them back into tabs, as here). */
export const EXAMPLES: readonly Example[] = (createRequire(import.meta.url)('commonmark-spec').tests as Example[]).map((e) => ({
  ...e,
  markdown: e.markdown.replaceAll('→', '\t'),
  html: e.html.replaceAll('→', '\t'),
}));

/** The example's document folder (and output stem): `spec-001`. */
export function exampleId(number: number): string {
  return `spec-${String(number).padStart(3, '0')}`;
}

/** The front matter takes this many lines, so the example's line N is line N + FRONT_LINES of the file. */
export const FRONT_LINES = 6;

const PLACEHOLDER_IMAGE = path.join(FIXTURE_DOCS, 'kitchen-sink', 'fields.png');

/**
 * Writes each example as `<dir>/spec-NNN/paper.en.md`. An image the example names by a relative
 * path is given a placeholder file of that name (the editions set a missing one as its alternative text, and the
 * examples presume theirs exist); an image outside the folder gets none.
 */
export function writeExamples(dir: string, examples: readonly Example[]): void {
  for (const example of examples) {
    const folder = path.join(dir, exampleId(example.number));
    mkdirSync(folder, { recursive: true });
    const front = ['---', `title: CommonMark example ${example.number}`, 'issuer: CommonMark', 'issued: 2024-01-28', 'language: en', '---'];
    writeFileSync(path.join(folder, 'paper.en.md'), `${front.join('\n')}\n${example.markdown}`);
    for (const url of imageUrls(example.markdown)) {
      if (/^[a-z][a-z0-9+.-]*:|^\/|^\.\./i.test(url)) continue;
      const file = path.join(folder, url);
      mkdirSync(path.dirname(file), { recursive: true });
      copyFileSync(PLACEHOLDER_IMAGE, file);
    }
  }
}

/** The URLs of the images the Markdown shows, direct or through a definition. */
function imageUrls(markdown: string): Set<string> {
  const tree = parseMarkdown(markdown);
  const definitions = new Map<string, string>();
  const references: string[] = [];
  const urls = new Set<string>();
  const walk = (node: Nodes): void => {
    if (node.type === 'image') urls.add(node.url);
    if (node.type === 'imageReference') references.push(node.identifier);
    if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node.url);
    if ('children' in node) node.children.forEach(walk);
  };
  walk(tree);
  for (const id of references) if (definitions.has(id)) urls.add(definitions.get(id)!);
  return urls;
}
