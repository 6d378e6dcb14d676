/**
 * Reviewing what changed: `translations diff` shows, for each stale block, the word diff of the
 * original since the block was translated, at the places of both texts; `translations status
 * --blocks` lists the stale and missing blocks with their places.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { wordDiff } from '../src/translations/word-diff.js';
import { copySource, lineOf, read, REVISE_IV_2_3, ROOT, runCli, tempDir } from './helpers.js';

const ES = 'source/china-lac-policy/paper.es.md';
const EN = 'source/china-lac-policy/paper.en.md';

/** Two English paragraphs edited: IV.2.(3) gains "policy and "; IV.2.(10) loses "vigorous" and gains " for study and work". */
function revisedSource(): { cwd: string; es: string; en: string } {
  const source = copySource({
    'china-lac-policy/paper.en.md': (t) =>
      REVISE_IV_2_3['china-lac-policy/paper.en.md'](t).replace('will make vigorous efforts to promote', 'will make efforts to promote').replace('countries to visit China.', 'countries to visit China for study and work.'),
  });
  const cwd = path.dirname(source);
  return { cwd, es: path.join(cwd, ES), en: path.join(cwd, EN) };
}

describe('translations diff', () => {
  it('shows exactly the blocks whose original changed, with their word changes, at the places of both texts', () => {
    const { cwd, es, en } = revisedSource();
    const r = runCli(['translations', 'diff', ES], { cwd });
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    const p1 = `${ES}:${lineOf(es, 'El Gobierno chino apoya')}:1: iv-2-3-p1 is stale (original at ${EN}:${lineOf(en, 'It encourages Chinese policy and commercial banks')}:1):`;
    const p10 = `${ES}:${lineOf(es, 'La parte china ampliará la cooperación turística')}:1: iv-2-10-p1 is stale (original at ${EN}:${lineOf(en, 'The Chinese side will expand tourism')}:1):`;
    expect(lines.filter((l) => !l.startsWith('  '))).toEqual([p1, '', p10, '']);
    const diffs = lines.filter((l) => l.startsWith('  '));
    expect(diffs).toHaveLength(2);
    expect(diffs[0]!.match(/\[-.*?-\]|\{\+.*?\+\}/g)).toEqual(['{+policy and +}']);
    expect(diffs[0]).toContain(' It encourages Chinese {+policy and +}commercial banks to set up branches');
    expect(diffs[1]!.match(/\[-.*?-\]|\{\+.*?\+\}/g)).toEqual(['[-vigorous -]', '{+ for study and work+}']);
    expect(diffs[1]).toContain('The Chinese side will make [-vigorous -]efforts to promote');
    expect(diffs[1]).toMatch(/ to visit China\{\+ for study and work\+\}\.$/);
  });

  it('prints the same as JSON: each block with its places and its changes', () => {
    const { cwd, es, en } = revisedSource();
    const r = runCli(['translations', 'diff', ES, '--json'], { cwd });
    expect(r.status, r.stderr).toBe(0);
    const entries = JSON.parse(r.stdout) as { id: string; changes: { op: string; text: string }[] }[];
    expect(entries.map((e) => ({ ...e, changes: e.changes.filter((c) => c.op !== 'equal') }))).toEqual([
      {
        id: 'iv-2-3-p1',
        state: 'stale',
        file: ES,
        line: lineOf(es, 'El Gobierno chino apoya'),
        column: 1,
        original: { file: EN, line: lineOf(en, 'It encourages Chinese policy and commercial banks'), column: 1 },
        accepted: true,
        changes: [{ op: 'insert', text: 'policy and ' }],
      },
      {
        id: 'iv-2-10-p1',
        state: 'stale',
        file: ES,
        line: lineOf(es, 'La parte china ampliará la cooperación turística'),
        column: 1,
        original: { file: EN, line: lineOf(en, 'The Chinese side will expand tourism'), column: 1 },
        accepted: true,
        changes: [
          { op: 'delete', text: 'vigorous ' },
          { op: 'insert', text: ' for study and work' },
        ],
      },
    ]);
    // The changes spell both texts: what was translated (equal and deleted) and what stands now (equal and inserted).
    const now = read(en).split('\n').find((l) => l.startsWith('The Chinese side will expand tourism'))!;
    expect(entries[1]!.changes.filter((c) => c.op !== 'delete').map((c) => c.text).join('')).toBe(now);
    expect(entries[1]!.changes.filter((c) => c.op !== 'insert').map((c) => c.text).join('')).toBe(now.replace('make efforts', 'make vigorous efforts').replace(' for study and work', ''));
  });

  it('says when every block is current, and exits 0', () => {
    const r = runCli(['translations', 'diff', ES]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(`${ES}: every block is current\n`);
    expect(JSON.parse(runCli(['translations', 'diff', ES, '--json']).stdout)).toEqual([]);
  });

  it('shows the text whole where the record has none, and lists missing blocks without a diff', () => {
    const dir = path.join(tempDir(), 'partial-translation');
    cpSync(path.join(ROOT, 'tests/fixtures/corpus/partial-translation'), dir, { recursive: true });
    // A record written before records kept texts: hashes only.
    const record = path.join(dir, 'paper.es.sources.yaml');
    writeFileSync(record, read(record).replace(/\ntexts:\n(?: .*\n)*/, '\n'));
    writeFileSync(path.join(dir, 'paper.en.md'), read(path.join(dir, 'paper.en.md')).replace('translated in full', 'translated in full and reviewed'));
    const cwd = path.dirname(dir);
    const r = runCli(['translations', 'diff', 'partial-translation/paper.es.md'], { cwd });
    expect(r.status, r.stderr).toBe(0);
    const en = path.join(dir, 'paper.en.md');
    expect(r.stdout).toContain(
      `partial-translation/paper.es.md:${lineOf(path.join(dir, 'paper.es.md'), 'La primera sección')}:1: i-p1 is stale (original at partial-translation/paper.en.md:${lineOf(en, 'translated in full')}:1); the record has no text it was accepted from (it was written before records kept texts), the original's text now:\n  The first section is translated in full and reviewed.\n\n`,
    );
    expect(r.stdout).toContain(`partial-translation/paper.es.md: ii is missing (original at partial-translation/paper.en.md:${lineOf(en, '# II. Background')}:1)\n`);
    expect(r.stdout.match(/ is missing /g)).toHaveLength(13);
    expect(r.stdout).not.toContain('[-');
    const entries = JSON.parse(runCli(['translations', 'diff', 'partial-translation/paper.es.md', '--json'], { cwd }).stdout);
    expect(entries[0]).toEqual({
      id: 'i-p1',
      state: 'stale',
      file: 'partial-translation/paper.es.md',
      line: lineOf(path.join(dir, 'paper.es.md'), 'La primera sección'),
      column: 1,
      original: { file: 'partial-translation/paper.en.md', line: lineOf(en, 'translated in full'), column: 1 },
      accepted: true,
      text: 'The first section is translated in full and reviewed.',
    });
    expect(entries[1]).toEqual({ id: 'ii', state: 'missing', file: 'partial-translation/paper.es.md', original: { file: 'partial-translation/paper.en.md', line: lineOf(en, '# II. Background'), column: 1 } });
  });

  it('says of a block translated since the last accept that it has no text to diff', () => {
    const dir = path.join(tempDir(), 'partial-translation');
    cpSync(path.join(ROOT, 'tests/fixtures/corpus/partial-translation'), dir, { recursive: true });
    const es = path.join(dir, 'paper.es.md');
    writeFileSync(es, read(es).replace('# III. Medidas {#iii}', '# II. Antecedentes\n\nLa segunda sección ya está traducida.\n\n# III. Medidas {#iii}'));
    const r = runCli(['translations', 'diff', 'partial-translation/paper.es.md'], { cwd: path.dirname(dir) });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      `partial-translation/paper.es.md:${lineOf(es, 'La segunda sección')}:1: ii-p1 has not been accepted yet (original at partial-translation/paper.en.md:${lineOf(path.join(dir, 'paper.en.md'), 'The second section is not')}:1); there is no text it was translated from, the original's text now:\n  The second section is not translated at all.\n`,
    );
    const entries = JSON.parse(runCli(['translations', 'diff', 'partial-translation/paper.es.md', '--json'], { cwd: path.dirname(dir) }).stdout);
    expect(entries.find((e: { id: string }) => e.id === 'ii-p1')).toMatchObject({ state: 'stale', accepted: false, text: 'The second section is not translated at all.' });
  });

  it('diffs a Chinese original by character: a changed word shows as the characters that changed', () => {
    const dir = path.join(tempDir(), 'zh-original');
    mkdirSync(dir);
    const zh = path.join(dir, 'paper.zh-Hans.md');
    const en = path.join(dir, 'paper.en.md');
    writeFileSync(zh, '---\ntitle: 合作文件\nissuer: 测试办公室\nissued: 2024-10-07\nlanguage: zh-Hans\n---\n\n# 一、金融合作\n\n中国政府支持中国商业银行和拉美国家金融机构开展合作。\n');
    writeFileSync(en, '---\ntitle: A Cooperation Paper\nissuer: Test Office\nissued: 2024-10-07\nlanguage: en\ntranslation: { of: zh-Hans, translator: Test, status: unofficial }\n---\n\n# I. Financial Cooperation\n\nThe Chinese Government supports cooperation between Chinese commercial banks and the financial institutions of Latin American countries.\n');
    expect(runCli(['translations', 'accept', en]).status).toBe(0);
    writeFileSync(zh, read(zh).replace('中国商业银行和拉美', '中国政策性银行和商业银行与拉美'));
    const r = runCli(['translations', 'diff', 'paper.en.md', '--json'], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)[0].changes).toEqual([
      { op: 'equal', text: '中国政府支持中国' },
      { op: 'insert', text: '政策性银行和' },
      { op: 'equal', text: '商业银行' },
      { op: 'delete', text: '和' },
      { op: 'insert', text: '与' },
      { op: 'equal', text: '拉美国家金融机构开展合作。' },
    ]);
    expect(runCli(['translations', 'diff', 'paper.en.md'], { cwd: dir }).stdout).toContain('\n  中国政府支持中国{+政策性银行和+}商业银行[-和-]{+与+}拉美国家金融机构开展合作。\n');
  });

  it('needs the files to compare, and refuses a file that is not a translation', () => {
    expect(runCli(['translations', 'diff']).status).toBe(2);
    const original = runCli(['translations', 'diff', EN]);
    expect(original.status).toBe(2);
    expect(original.stderr).toContain(`"${EN}" is not a translation`);
    // A translation that does not pair with its original has no states to report: bad input.
    const source = copySource({ 'china-lac-policy/paper.es.md': (t) => t.replace('## 2. ', '### 2. ') });
    const unaligned = runCli(['translations', 'diff', ES], { cwd: path.dirname(source) });
    expect(unaligned.status).toBe(1);
    expect(unaligned.stderr).toMatch(/paper\.es\.md:\d+:1: error: heading level 3 where paper\.en\.md has level 2 .* \[translation-structure\]/);
    expect(unaligned.stderr).toContain('the translation does not pair with its original block for block: fix the alignment first');
    expect(unaligned.stdout).toBe('');
  });
});

describe('the word diff', () => {
  it('spells both texts exactly, and shows a phrase replaced as one change, not word by word around kept spaces', () => {
    const before = 'the old big house stands.';
    const after = 'the new small house stands, rebuilt.';
    const changes = wordDiff(before, after, 'en');
    expect(changes).toEqual([
      { op: 'equal', text: 'the ' },
      { op: 'delete', text: 'old big' },
      { op: 'insert', text: 'new small' },
      { op: 'equal', text: ' house stands' },
      { op: 'insert', text: ', rebuilt' },
      { op: 'equal', text: '.' },
    ]);
    expect(changes.filter((c) => c.op !== 'insert').map((c) => c.text).join('')).toBe(before);
    expect(changes.filter((c) => c.op !== 'delete').map((c) => c.text).join('')).toBe(after);
  });

  it('keeps a Latin word and a number whole inside Chinese text', () => {
    expect(wordDiff('依照APEC 2008年的决定', '依照APEC 2009年的协议', 'zh-Hans')).toEqual([
      { op: 'equal', text: '依照APEC ' },
      { op: 'delete', text: '2008' },
      { op: 'insert', text: '2009' },
      { op: 'equal', text: '年的' },
      { op: 'delete', text: '决定' },
      { op: 'insert', text: '协议' },
    ]);
  });
});

describe('translations status --blocks', () => {
  const FIXTURE = 'tests/fixtures/corpus/partial-translation';

  it('lists each stale block at its place in the translation, each missing one at the original\'s', () => {
    const dir = path.join(tempDir(), 'partial-translation');
    cpSync(path.join(ROOT, FIXTURE), dir, { recursive: true });
    const en = path.join(dir, 'paper.en.md');
    writeFileSync(en, read(en).replace('translated in full', 'translated in full and reviewed'));
    const cwd = path.dirname(dir);
    const r = runCli(['translations', 'status', '--blocks', 'partial-translation'], { cwd });
    expect(r.status, r.stderr).toBe(0);
    const listed = r.stdout.split('\n\n')[1]!.trimEnd().split('\n');
    const at = (text: string) => `partial-translation/paper.en.md:${lineOf(en, text)}:1`;
    expect(listed[0]).toBe(`partial-translation/paper.es.md:${lineOf(path.join(dir, 'paper.es.md'), 'La primera sección')}:1: i-p1 is stale (original at ${at('translated in full')})`);
    expect(listed.slice(1, 3)).toEqual([
      `partial-translation/paper.es.md: ii is missing (original at ${at('# II. Background')})`,
      `partial-translation/paper.es.md: ii-p1 is missing (original at ${at('The second section is not translated')})`,
    ]);
    expect(listed.at(-1)).toBe(`partial-translation/paper.es.md: v-p1 is missing (original at ${at('And it leaves out the fifth')})`);
    expect(listed).toHaveLength(14);
  });

  it('adds the blocks to the JSON summary when asked, and only then', () => {
    const r = runCli(['translations', 'status', '--blocks', '--json', FIXTURE]);
    expect(r.status, r.stderr).toBe(0);
    const [row] = JSON.parse(r.stdout);
    const en = path.join(ROOT, FIXTURE, 'paper.en.md');
    expect(row.missing).toBe(13);
    expect(row.blocks).toHaveLength(13);
    expect(row.blocks[0]).toEqual({ id: 'ii', state: 'missing', file: `${FIXTURE}/paper.es.md`, original: { file: `${FIXTURE}/paper.en.md`, line: lineOf(en, '# II. Background'), column: 1 } });
    expect(row.blocks.map((b: { id: string }) => b.id)).toEqual(['ii', 'ii-p1', 'ii-1', 'ii-1-p1', 'ii-2', 'ii-2-p1', 'iii-p2', 'iii-p3', 'iii-p4', 'iv', 'iv-p1', 'v', 'v-p1']);
    expect(JSON.parse(runCli(['translations', 'status', '--json', FIXTURE]).stdout)[0]).not.toHaveProperty('blocks');
  });

  it('lists a stale block of the repository\'s paper in both translations', () => {
    const { cwd, es } = revisedSource();
    const r = runCli(['translations', 'status', '--blocks', '--json', 'source'], { cwd });
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { file: string; stale: number; blocks: { id: string; line: number }[] }[];
    expect(rows.map((row) => [row.file, row.stale, row.blocks.map((b) => b.id)])).toEqual([
      [ES, 2, ['iv-2-3-p1', 'iv-2-10-p1']],
      ['source/china-lac-policy/paper.zh-Hans.md', 2, ['iv-2-3-p1', 'iv-2-10-p1']],
    ]);
    expect(rows[0]!.blocks[0]!.line).toBe(lineOf(es, 'El Gobierno chino apoya'));
  });
});
