/**
 * DOCX lists inside an ordered list that does not start at 1 (whose numbers the DOCX writes
 * itself, remark-docx's issue #39): they nest under their item, a level further in, as in any
 * numbered item; and past Word's nine levels they stay at the ninth (tests/fixtures/corpus/deep-nesting).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli, tempDir } from './helpers.js';

const SHALLOW = `---
title: Lists
issuer: Test Office
issued: 2020-01-01
language: en
---

# I. Lists

3. Third, numbered from three.
   - A bullet under the third.
     - A bullet under that.
4. Fourth.
`;

/** Each paragraph's text with its list level (ilvl) and whether it sets an indent of its own. */
function paragraphs(docx: string): { text: string; level: number | undefined; indent: boolean }[] {
  const xml = new TextDecoder().decode(unzipSync(readFileSync(docx))['word/document.xml']);
  return [...xml.matchAll(/<w:p>([\s\S]*?)<\/w:p>/g)].map((m) => {
    const ilvl = /<w:ilvl w:val="(\d)"\/>/.exec(m[1]!);
    return {
      text: [...m[1]!.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
      level: ilvl ? Number(ilvl[1]) : undefined,
      indent: m[1]!.includes('<w:ind '),
    };
  });
}

function build(source: string, id: string): string {
  const out = path.join(tempDir(), 'dist');
  const r = runCli(['build', source, '--out', out, '--format', 'docx', '-q']);
  expect(r.status, r.stderr).toBe(0);
  return path.join(out, id, `${id}.en.docx`);
}

describe('a list inside an item of an ordered list that starts at 3', () => {
  it('nests under the item, each level a numbering level further in, with the numbering’s own indent', () => {
    const dir = path.join(tempDir(), 'source', 'lists');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'paper.en.md'), SHALLOW);
    const list = paragraphs(build(dir, 'lists'));
    const at = (text: string) => list.find((p) => p.text.startsWith(text))!;
    expect(at('3.')).toMatchObject({ level: undefined, indent: true });
    expect(at('A bullet under the third')).toEqual({ text: 'A bullet under the third.', level: 1, indent: false });
    expect(at('A bullet under that')).toEqual({ text: 'A bullet under that.', level: 2, indent: false });
  });

  it('stays at Word’s ninth level when it stands deeper', () => {
    const list = paragraphs(build(path.join(ROOT, 'tests', 'fixtures', 'corpus', 'deep-nesting'), 'deep-nesting'));
    expect(list.find((p) => p.text.startsWith('Level twelve'))).toMatchObject({ level: 8, indent: false });
  });
});
