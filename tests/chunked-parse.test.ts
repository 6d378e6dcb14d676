/**
 * A large source is parsed a part at a time (src/source/chunked.ts): the tree must be the one a
 * parse of the whole text gives, node for node and position for position. Here every text is
 * cut at every place a part may end (a part of one character is never long enough), and
 * compared with its parse whole.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastParts } from '../src/source/chunked.js';
import { parseDocument } from '../src/source/parse.js';
import { EXAMPLES } from './commonmark-examples.js';
import { FIXTURE_DOCS, ROOT } from './helpers.js';

const FRONT = '---\ntitle: T\nissuer: I\nissued: 2024-01-01\nlanguage: en\n---\n';

/** Checks that `text` in parts parses as whole; returns how many parts it took (1: parsed whole after all). */
function same(text: string): number {
  const tree = parseDocument(text, 1);
  const parts = lastParts;
  expect(tree).toEqual(parseDocument(text, Infinity));
  return parts;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join(dir, f));
}

describe('a source parsed in parts', () => {
  it('gives the paper in every language as parsed whole', () => {
    for (const file of markdownFiles(path.join(ROOT, 'source'))) expect(same(readFileSync(file, 'utf8'))).toBeGreaterThan(5);
  });

  it('gives every fixture document as parsed whole', () => {
    const files = [...markdownFiles(FIXTURE_DOCS), ...markdownFiles(path.join(ROOT, 'tests', 'fixtures', 'corpus'))];
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) same(readFileSync(file, 'utf8'));
  });

  it('gives the CommonMark examples, one after another under headings, as parsed whole', () => {
    // Unclosed fences and HTML blocks run into the next example, and definitions and references
    // meet across examples: what a cut must not change.
    const text = FRONT + EXAMPLES.map((e, i) => `\n# Example ${i + 1}\n\n${e.markdown}\n`).join('');
    expect(same(text)).toBeGreaterThan(300);
    // And in groups, so that some texts are cut and not parsed whole again.
    for (let i = 0; i < EXAMPLES.length; i += 20) same(FRONT + EXAMPLES.slice(i, i + 20).map((e, k) => `\n# Example ${k}\n\n${e.markdown}\n`).join(''));
  });

  it('finds a link or note defined in another part, before or after', () => {
    const text = `${FRONT}\n# One\n\nSee [the site] and a note.[^n]\n\n# Two\n\n[the site]: https://example.org\n\n[^n]: The note.\n\n# Three\n\n[The Site][] again.[^n]\n`;
    const tree = parseDocument(text, 1);
    expect(lastParts).toBe(3);
    expect(tree).toEqual(parseDocument(text, Infinity));
    expect(JSON.stringify(tree)).toContain('"linkReference"');
    expect(JSON.stringify(tree)).toContain('"footnoteReference"');
  });

  it('keeps a fenced code block or an HTML comment that runs past a heading whole', () => {
    // A long paragraph after the block: the part that grows past its break ends at the next one.
    const long = 'Words and more words. '.repeat(20);
    expect(same(`${FRONT}\n# One\n\n\`\`\`\ncode\n\n# not a heading\n\nstill code\n\`\`\`\n\n${long}\n\n# Two\n\ntext\n`)).toBe(2);
    expect(same(`${FRONT}\n# One\n\n<!-- a comment\n\n# not a heading\n\n-->\n\n${long}\n\n# Two\n\ntext\n`)).toBe(2);
    expect(same(`${FRONT}\n# One\n\n\`\`\`\nnever closed\n\n# not a heading\n\n# nor this\n`)).toBe(1);
    // Closed by the heading: a fence in a quote, code indented; a fence that a shorter one does not close.
    expect(same(`${FRONT}\n# One\n\n> \`\`\`\n> in a quote, never closed\n\n# Two\n\n    \`\`\`\n    indented\n\n# Three\n\n~~~~\n~~~\n\n# not a heading\n\n~~~~~\n\n${long}\n\n# Four\n`)).toBe(4);
  });

  it('parses whole a text whose definitions it cannot read from the lines', () => {
    // Defined inside a quote; one that looks defined inside code; CR line ends.
    expect(same(`${FRONT}\n# One\n\n[x] and [y]\n\n# Two\n\n> [x]: /in-a-quote\n\n# Three\n\n    [y]: /in-code\n`)).toBe(1);
    expect(same(`${FRONT}\n# One\n\n\`\`\`\n[z]: /url\n\`\`\`\n\n# Two\n\n[z]\n`)).toBe(1);
    expect(same(`${FRONT}\r\n# One\r\n\r\ntext\r\n\r\n# Two\r\n\r\nmore\r\n`)).toBe(1);
  });

  it('keeps front matter in the first part, whatever its comments look like', () => {
    expect(same(`---\ntitle: T\n\n# a comment\n\nissuer: I\n---\n\n# One\n\ntext\n\n# Two\n\nmore\n`)).toBe(2);
    expect(same(`---\ntitle: T\n\n# never closed\n\n# One\n\ntext\n`)).toBe(1);
  });
});
