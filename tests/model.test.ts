import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Report } from '../src/messages.js';
import { buildModel } from '../src/model/build.js';
import { loadDocuments } from '../src/model/load.js';
import { parseSource } from '../src/source/parse.js';
import { FIXTURE_DOCS, PAPER, tempDir } from './helpers.js';

const FRONT = `---
title: A Test Paper
issuer: The Test Office
issued: 2020-01-31
language: en
---
`;

function model(body: string, front = FRONT, strict = false) {
  const report = new Report({ strict });
  const parsed = parseSource(front + body, '/docs/test/paper.en.md', report);
  return { model: buildModel(parsed, 'test', report), report };
}

function problems(report: Report) {
  return report.diagnostics.map((d) => `${d.place?.line}:${d.place?.column} ${d.severity} ${d.ruleId}`);
}

describe('the paper', () => {
  const report = new Report();
  const paper = buildModel(parseSource(readFileSync(PAPER, 'utf8'), PAPER, report), 'china-lac-policy', report)!;

  it('has no problems', () => {
    expect(report.diagnostics).toEqual([]);
  });

  it('has 44 sections nested 6/4/34', () => {
    expect(paper.allSections).toHaveLength(44);
    expect(paper.sections.map((s) => s.id)).toEqual(['foreword', 'i', 'ii', 'iii', 'iv', 'v']);
    const iv = paper.sections[4]!;
    expect(iv.children.map((s) => s.id)).toEqual(['iv-1', 'iv-2', 'iv-3', 'iv-4']);
    expect(iv.children.map((s) => s.children.length)).toEqual([6, 14, 11, 3]);
    expect(paper.allSections.filter((s) => s.depth === 3)).toHaveLength(34);
  });

  it('derives IDs and citations from the printed numbers', () => {
    const s = paper.allSections.find((x) => x.id === 'iv-2-3')!;
    expect(s.text).toBe('(3) Financial Cooperation');
    expect(s.number).toBe('(3)');
    expect(s.title).toBe('Financial Cooperation');
    expect(s.citation).toBe('IV.2.(3)');
    expect(paper.allSections.find((x) => x.id === 'iv-3-11')!.citation).toBe('IV.3.(11)');
    expect(paper.sections[0]!.citation).toBe('Foreword');
  });

  it('numbers blocks within each section, list items included', () => {
    const ids = paper.blocks.map((b) => b.id);
    expect(ids.slice(0, 3)).toEqual(['foreword-p1', 'foreword-p2', 'foreword-p3']);
    expect(ids.filter((id) => id.startsWith('iii-'))).toEqual(['iii-p1', 'iii-p2', 'iii-p3', 'iii-p4', 'iii-p5']);
    expect(ids.filter((id) => id.startsWith('iv-3-1-'))).toEqual(['iv-3-1-p1', 'iv-3-1-p2']);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps source positions on sections and blocks', () => {
    const lines = readFileSync(PAPER, 'utf8').split('\n');
    const s = paper.allSections.find((x) => x.id === 'iv-2-3')!;
    expect(lines[s.heading!.position!.start.line - 1]).toBe('### (3) Financial Cooperation');
    const b = paper.blocks.find((x) => x.id === 'iv-2-3-p1')!;
    expect(lines[b.node.position!.start.line - 1]).toMatch(/^The Chinese Government supports China's monetary/);
  });

  it('carries the front matter', () => {
    expect(paper.lang).toBe('en');
    expect(paper.meta.issued).toBe('2008-11-05');
    expect(paper.meta.source?.republished).toBe('2009-04-20');
    expect(paper.meta.editorial?.repairs.map((r) => r.block)).toEqual(['i-p2', 'iii-p5', 'iv-3-11-p1']);
  });
});

describe('structure checks', () => {
  it('accepts a well-formed document', () => {
    const { report, model: m } = model('# Foreword\n\nText.\n\n# I. One\n\n## 1. Sub\n\nA.\n\n## 2. Sub\n\nB.\n');
    expect(report.diagnostics).toEqual([]);
    expect(m!.allSections.map((s) => s.id)).toEqual(['foreword', 'i', 'i-1', 'i-2']);
  });

  it('reports a gap in the numbering at the heading, with the number expected', () => {
    const { report } = model('# I. One\n\nA.\n\n# III. Three\n\nB.\n');
    expect(problems(report)).toEqual(['11:1 error numbering-sequence']);
    expect(report.diagnostics[0]!.message).toBe('III. follows I.; expected II.');
  });

  it('reports a repeated number and a wrong first number', () => {
    const { report } = model('## 2. Two\n\nA.\n\n## 2. Again\n\nB.\n'.replace(/^/, '# I. One\n\n'));
    expect(problems(report)).toEqual(['9:1 error numbering-sequence', '13:1 error numbering-sequence', '13:1 error duplicate-id']);
    expect(report.diagnostics[0]!.message).toBe('numbering starts at 2.; expected 1.');
    expect(report.diagnostics[1]!.message).toBe('2. repeats or goes back after 2.; expected 3.');
  });

  it('reports a change of numbering style among siblings', () => {
    const { report } = model('# I. One\n\n## 1. A\n\nx\n\n## (2) B\n\ny\n');
    expect(problems(report)).toEqual(['13:1 error numbering-sequence']);
  });

  it('sets a heading that skips a level one below its parent, and says so', () => {
    const { model: m, report } = model('# I. One\n\n### (1) Deep\n\nText.\n\n### (2) Sibling\n\nText.\n');
    expect(problems(report)).toEqual(['9:1 warning heading-level', '13:1 warning heading-level']);
    expect(report.diagnostics[0]!.hint).toContain('##');
    expect(m!.allSections.map((s) => [s.id, s.depth, s.heading?.depth])).toEqual([['i', 1, 1], ['i-1', 2, 2], ['i-2', 2, 2]]);
  });

  it('takes a text that begins at "##" as beginning at the top level', () => {
    const { model: m, report } = model('## Summary\n\nText.\n\n### Detail\n\nText.\n\n## Next\n\nText.\n');
    expect(problems(report)).toEqual([]);
    expect(m!.sections.map((s) => [s.id, s.depth, s.children.map((c) => c.depth)])).toEqual([['summary', 1, [2]], ['next', 1, []]]);
  });

  it('leaves out a heading without text, at its place, its text staying in the section before (an error under --strict)', () => {
    const body = '# I. One\n\nText.\n\n## \n\nMore.\n';
    const { model: m, report } = model(body);
    expect(problems(report)).toEqual(['11:1 warning empty-heading']);
    expect(m!.allSections.map((s) => [s.id, s.content.length])).toEqual([['i', 2]]);
    expect(m!.blocks.map((b) => b.id)).toEqual(['i-p1', 'i-p2']);
    expect(problems(model(body, FRONT, true).report)).toEqual(['11:1 error empty-heading']);
  });

  it('gives an unnumbered heading that repeats a sibling\'s title the next free ID, and says so (an error under --strict)', () => {
    const body = '# Notes\n\nA.\n\n# Notes\n\nB.\n\n# Notes-2\n\nC.\n\n# Notes\n\nD.\n';
    const { model: m, report } = model(body);
    expect(m!.allSections.map((s) => s.id)).toEqual(['notes', 'notes-2', 'notes-2-2', 'notes-3']);
    expect(m!.blocks.map((b) => b.id)).toEqual(['notes-p1', 'notes-2-p1', 'notes-2-2-p1', 'notes-3-p1']);
    expect(problems(report)).toEqual(['11:1 warning duplicate-id', '15:1 warning duplicate-id', '19:1 warning duplicate-id']);
    expect(report.diagnostics[0]!.message).toBe('the heading "Notes" would take the stable ID "notes" of line 7; its ID is "notes-2"');
    expect(report.diagnostics[1]!.message).toBe('the heading "Notes-2" would take the stable ID "notes-2" of line 11; its ID is "notes-2-2"');
    expect(problems(model(body, FRONT, true).report).map((p) => p.split(' ')[1])).toEqual(['error', 'error', 'error']);
  });

  it('reports an empty section, and unlinks a broken link at its place, its text kept (an error under --strict)', () => {
    const body = 'Opening.\n\n# I. One\n\n# II. Two\n\nSee [one](#i-p1) and [three](#iii).\n';
    const { model: m, report } = model(body);
    expect(problems(report)).toEqual(['9:1 warning empty-section', '13:5 warning broken-link', '13:22 warning broken-link']);
    expect(report.diagnostics[1]!.message).toBe('the link points at "#i-p1", which is no section or paragraph of this document; its text is kept, unlinked');
    expect(m!.blocks.at(-1)!.node).toMatchObject({ children: [{ value: 'See ' }, { value: 'one' }, { value: ' and ' }, { value: 'three' }, { value: '.' }] });
    expect(problems(model(body, FRONT, true).report)).toEqual(['9:1 warning empty-section', '13:5 error broken-link', '13:22 error broken-link']);
  });

  it('takes the text before the first heading as the preamble, with IDs of its own', () => {
    const { model: m, report } = model('To: the Minister\n\n- first\n- second\n\n# I. One\n\nText, see [the opening](#preamble-p1).\n');
    expect(problems(report)).toEqual([]);
    expect(m!.sections.map((s) => [s.id, s.heading?.type])).toEqual([['preamble', undefined], ['i', 'heading']]);
    expect(m!.blocks.map((b) => b.id)).toEqual(['preamble-p1', 'preamble-p2', 'preamble-p3', 'i-p1']);
  });

  it('takes a body without any heading as one preamble', () => {
    const { model: m, report } = model('A memo with no headings.\n\nIts second paragraph.\n');
    expect(problems(report)).toEqual([]);
    expect(m!.allSections.map((s) => s.id)).toEqual(['preamble']);
    expect(m!.blocks.map((b) => b.id)).toEqual(['preamble-p1', 'preamble-p2']);
  });

  it('suggests the nearest ID for a broken link', () => {
    const { report } = model('# I. One\n\n## 1. A\n\nSee [a](#i-l).\n');
    expect(report.diagnostics[0]!.hint).toBe('did you mean #i-1 or #i?');
  });

  it('reports raw HTML as content it leaves out, and an image without alternative text', () => {
    const { report } = model('# I. One\n\n<div>raw</div>\n\nText ![](x.png).\n');
    expect(problems(report)).toEqual(['9:1 warning unsupported-content', '11:6 warning image', '11:6 warning image']);
    expect(report.diagnostics[1]!.message).toBe('the image has no alternative text');
  });

  it('warns of a table without a header row (every cell of its first row empty), at its place; --strict leaves it a warning', () => {
    const body = '# I. One\n\n|   |   |\n|---|--:|\n| Ports | 4 |\n\n| Field | |\n|---|---|\n| a | b |\n\n| ![Seal](seal.png) | |\n|---|---|\n| a | b |\n';
    const { report } = model(body);
    expect(problems(report)).toEqual(['9:1 warning table-header', '17:3 warning image']);
    expect(report.diagnostics[0]).toMatchObject({
      message: 'the table has no header row: every cell of its first row is empty',
      hint: 'write what each column holds in the first row, over the |---| line: | Field | Items |',
    });
    expect(problems(model(body, FRONT, true).report)).toEqual(['9:1 warning table-header', '17:3 error image']);
  });

  it('makes an image without alternative text an error under --strict, at its place, with its hint', () => {
    const { report } = model('# I. One\n\nText ![](x.png).\n', FRONT, true);
    expect(report.diagnostics.filter((d) => d.message === 'the image has no alternative text')).toEqual([
      {
        severity: 'error',
        ruleId: 'image',
        message: 'the image has no alternative text',
        file: '/docs/test/paper.en.md',
        place: { line: 9, column: 6, offset: expect.any(Number) },
        hint: 'write what the image shows between the brackets: ![Trade by sector, 2008](chart.png)',
      },
    ]);
  });

  it('reads images beside the source only: never a path outside its folder, and a stray "%" is no crash', () => {
    const report = new Report();
    const beside = path.join(FIXTURE_DOCS, 'kitchen-sink', 'sub', 'paper.en.md');
    const outside = path.join(FIXTURE_DOCS, 'kitchen-sink', 'fields.png');
    buildModel(parseSource(`${FRONT}# I. One\n\n![a](../fields.png) ![b](${outside}) ![c](50%.png)\n`, beside, report), 'test', report);
    expect(report.diagnostics.map((d) => `${d.place?.column} ${d.ruleId}: ${d.message}`)).toEqual([
      '1 image: the image "../fields.png" is not a file beside the source; its alternative text is set instead',
      `21 image: the image "${outside}" is not a file beside the source; its alternative text is set instead`,
      `${28 + outside.length} image: the image "50%.png" cannot be read; its alternative text is set instead`,
    ]);
  });

  it('sets a heading written over two lines on one line in its text and its messages', () => {
    const { model: m, report } = model('Foo *bar\nbaz*\n====\n');
    expect(m!.sections[0]!.text).toBe('Foo bar baz');
    expect(report.diagnostics.map((d) => d.message)).toEqual(['section "Foo bar baz" has no text and no subsections']);
  });

  it('reports an editorial repair naming a block that does not exist, at its line, in a document without translations', async () => {
    const front = FRONT.replace('---\n', '---\neditorial:\n  note: Fixed.\n  repairs:\n    - block: i-p9\n      change: Joined.\n');
    // Through loadDocuments: the repairs are checked once the folder's translations are built (repairs.ts).
    const dir = path.join(tempDir(), 'test');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'paper.en.md'), `${front}# I. One\n\nText.\n`);
    const report = new Report();
    await loadDocuments([dir], report);
    expect(problems(report)).toEqual(['5:14 error editorial-repair']);
    expect(report.diagnostics[0]!.hint).toBe('did you mean i-p1?');
  });

  it('reports a short heading naming a section that does not exist, at its line, with the nearest ID', () => {
    const front = FRONT.replace('---\n', '---\nshort-headings:\n  i: One\n  ii-1: Two\n');
    const { report } = model('# I. One\n\nText.\n\n# II. Two\n\nText.\n', front);
    expect(problems(report)).toEqual(['4:9 error short-heading']);
    expect(report.diagnostics[0]!.message).toBe('the short heading names the section "ii-1", which does not exist');
    expect(report.diagnostics[0]!.hint).toBe('did you mean ii?');
  });
});

describe('decimal numbering', () => {
  const body = ['# 1. Introduction', 'Text.', '## 1.1 Purpose of this white paper', 'Text.', '### 1.1.1 Scope', 'Text.', '## 1.2 Method', 'Text.', '# 2. Findings', 'Text.', '## 2.1 Sea-Level Rise', 'Text.'].join('\n\n');

  it('gives readable IDs and full citations', () => {
    const { model: m, report } = model(body);
    expect(problems(report)).toEqual([]);
    expect(m!.allSections.map((s) => s.id)).toEqual(['1', '1-1', '1-1-1', '1-2', '2', '2-1']);
    const scope = m!.allSections.find((s) => s.id === '1-1-1')!;
    expect([scope.number, scope.title, scope.citation]).toEqual(['1.1.1', 'Scope', '1.1.1']);
  });

  it('reports a gap, and a number that does not begin with its section\'s', () => {
    const { report } = model(body.replace('## 1.2 Method', '## 1.3 Method').replace('## 2.1 Sea', '## 3.1 Sea'));
    expect(report.diagnostics.map((d) => `${d.place?.line} ${d.ruleId}: ${d.message}`)).toEqual([
      '19 numbering-sequence: 1.3 follows 1.1; expected 1.2',
      '27 numbering-sequence: 3.1 stands in section 2.; expected 2.1',
    ]);
  });

  it('numbers the sections of an unnumbered chapter by their whole number', () => {
    const { model: m, report } = model('# Annex\n\nText.\n\n## 1.1 First\n\nText.\n\n## 1.2 Second\n\nText.\n');
    expect(problems(report)).toEqual([]);
    expect(m!.allSections.map((s) => s.id)).toEqual(['annex', 'annex-1-1', 'annex-1-2']);
  });
});

describe('links to headings', () => {
  const body = '# Annexes\n\nSee [the annex](#annex-b-tariff-table) and [the same](#annexes-annex-b-tariff-table).\n\n## Annex B: Tariff Table\n\nText.\n';

  it('takes a GitHub-style heading slug as an alias of the stable ID, and links to the ID', () => {
    const { model: m, report } = model(body);
    expect(problems(report)).toEqual([]);
    const links = (m!.blocks[0]!.node as import('mdast').Paragraph).children.filter((c) => c.type === 'link');
    expect(links.map((l) => (l as import('mdast').Link).url)).toEqual(['#annexes-annex-b-tariff-table', '#annexes-annex-b-tariff-table']);
  });

  it('still reports a fragment that is neither, and one with a stray percent sign', () => {
    const { report } = model(body.replace('#annex-b-tariff-table', '#annex-c').replace('#annexes-annex', '#100%-annex'));
    expect(problems(report)).toEqual(['9:5 warning broken-link', '9:31 warning broken-link']);
  });
});
