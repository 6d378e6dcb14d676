/**
 * Translations: aligned block for block with the original, tracked for staleness, reported
 * with positions, and published in every format with the fonts their language needs.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { toString } from 'mdast-util-to-string';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentModel } from '../src/model/types.js';
import { repositoryBuild, copySource, hasPoppler, lineOf, read, REVISE_IV_2_3, run, runCli } from './helpers.js';

const doc = (source: string, lang: string) => path.join(source, 'china-lac-policy', `paper.${lang}.md`);

describe('alignment and staleness', () => {
  it('passes --strict on the repository, both translations complete', () => {
    expect(runCli(['check', '--strict']).status).toBe(0);
    const status = JSON.parse(runCli(['translations', 'status', '--json']).stdout);
    expect(status).toEqual([
      { file: 'source/china-lac-policy/paper.es.md', language: 'es', current: 94, stale: 0, missing: 0, total: 94, percent: 100 },
      { file: 'source/china-lac-policy/paper.zh-Hans.md', language: 'zh-Hans', current: 94, stale: 0, missing: 0, total: 94, percent: 100 },
    ]);
  });

  it('reports an edited English paragraph as stale in both translations, until accepted', () => {
    const source = copySource(REVISE_IV_2_3);
    const en = doc(source, 'en');
    const enLine = lineOf(en, 'The Chinese Government supports China');

    expect(runCli(['check', source]).status).toBe(0);
    const strict = runCli(['check', '--strict', source]);
    expect(strict.status).toBe(1);
    for (const lang of ['zh-Hans', 'es']) {
      const line = lineOf(doc(source, lang), lang === 'es' ? 'El Gobierno chino apoya' : '中国政府支持');
      expect(line).toBeGreaterThan(0);
      expect(strict.stderr).toContain(
        `china-lac-policy/paper.${lang}.md:${line}:1: error: iv-2-3-p1 was translated from another text of the original (now at paper.en.md:${enLine}:1) [translation-stale]`,
      );
    }
    expect(strict.stderr.match(/\[translation-stale\]/g)).toHaveLength(2);

    const accepted = runCli(['translations', 'accept', doc(source, 'zh-Hans'), doc(source, 'es')]);
    expect(accepted.stdout).toContain('recorded 94 segments of');
    expect(runCli(['check', '--strict', source]).status).toBe(0);
  });

  it('accepts the blocks --id names only, keeping the record of the rest, and records the text accepted', () => {
    const source = copySource({
      'china-lac-policy/paper.en.md': (t) => REVISE_IV_2_3['china-lac-policy/paper.en.md'](t).replace('The Chinese side will expand tourism', 'The Chinese side will further expand tourism'),
    });
    const es = doc(source, 'es');
    const stale = () => [...runCli(['check', '--strict', path.join(source, 'china-lac-policy')]).stderr.matchAll(/paper\.es\.md:\d+:\d+: error: (\S+) was translated/g)].map((m) => m[1]);
    expect(stale()).toEqual(['iv-2-3-p1', 'iv-2-10-p1']);

    const accepted = runCli(['translations', 'accept', es, '--id', 'iv-2-10-p1', '--json']);
    expect(accepted.status, accepted.stderr).toBe(0);
    expect(JSON.parse(accepted.stdout)).toEqual([{ file: path.relative(process.cwd(), es), record: path.relative(process.cwd(), es.replace(/\.md$/, '.sources.yaml')), accepted: ['iv-2-10-p1'] }]);
    expect(stale()).toEqual(['iv-2-3-p1']);
    const record = read(es.replace(/\.md$/, '.sources.yaml'));
    expect(record).toMatch(/^  iv-2-10-p1: The Chinese side will further expand tourism /m);
    // The block not named keeps the text it was accepted from, the original's old text.
    expect(record).toMatch(/^  iv-2-3-p1: .*It encourages Chinese commercial banks/m);

    const unknown = runCli(['translations', 'accept', es, '--id', 'iv-2-99-p1']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('has no translated block "iv-2-99-p1"');
    expect(stale()).toEqual(['iv-2-3-p1']);
  });

  it('reports a deleted Chinese paragraph as not translated, at its place and with the ID it expected', () => {
    const source = copySource();
    const zh = doc(source, 'zh-Hans');
    const lines = read(zh).split('\n');
    const at = lines.findIndex((l) => l.startsWith('中国政府支持'));
    lines.splice(at - 1, 2);
    writeFileSync(zh, lines.join('\n'));
    const heading = lineOf(zh, '### 3．金融合作');
    const enLine = lineOf(doc(source, 'en'), 'The Chinese Government supports China');
    // The section's only block is left out: a partial translation, not a broken one.
    const r = runCli(['check', source]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`paper.zh-Hans.md:${heading}:11: warning: iv-2-3-p1 is not translated (original at paper.en.md:${enLine}:1) [translation-missing]`);
    const strict = runCli(['check', '--strict', source]);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain(`paper.zh-Hans.md:${heading}:11: error: iv-2-3-p1 is not translated`);
    expect(strict.stderr).not.toMatch(/^\s+at /m);
  });

  it('reports a heading at the wrong level, and a paragraph where the original has a list item', () => {
    const source = copySource();
    const es = doc(source, 'es');
    const text = read(es);
    const item = text.split('\n').find((l) => l.startsWith('- '))!;
    writeFileSync(es, text.replace('## 2. ', '### 2. ').replace(`${item}\n`, `${item.slice(2)}\n\n`));
    const r = runCli(['check', source]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/paper\.es\.md:\d+:1: error: heading level 3 where paper\.en\.md has level 2 \(section iv-2, "2\. In the Economic Field"\) \[translation-structure\]/);
    expect(r.stderr).toMatch(/paper\.es\.md:\d+:1: error: block iii-p2 is a paragraph where paper\.en\.md has a list item paragraph \[translation-structure\]/);
  });

  it('refuses a translation made from another language than the original', () => {
    const source = copySource();
    const es = doc(source, 'es');
    writeFileSync(es, read(es).replace('  of: en', '  of: fr'));
    expect(runCli(['check', source]).stderr).toMatch(/paper\.es\.md:\d+:\d+: error: the translation says it is made from "fr", but the original is in "en" \[source-layout\]/);
  });
});

describe('translated editions', () => {
  let out: string;
  let models: DocumentModel[];
  beforeAll(async () => {
    ({ out, models } = await repositoryBuild());
  });

  it('says in every edition that the translation is unofficial and made from the English', () => {
    expect(read(path.join(out, 'china-lac-policy/china-lac-policy.zh-Hans.html'))).toContain('非官方译文，译自英文文本。以英文文本为准。');
    expect(read(path.join(out, 'china-lac-policy/china-lac-policy.es.html'))).toContain(
      'Traducción no oficial, hecha a partir del texto en inglés. Solo el texto en inglés es auténtico.',
    );
  });

  it('marks the page language and writes dates the language\'s way', () => {
    const zh = read(path.join(out, 'china-lac-policy/china-lac-policy.zh-Hans.html'));
    expect(zh).toMatch(/<html xmlns="http:\/\/www.w3.org\/1999\/xhtml" lang="zh-Hans" xml:lang="zh-Hans"/);
    expect(zh).toContain('2008年11月5日');
    expect(read(path.join(out, 'china-lac-policy/china-lac-policy.es.html'))).toContain('5 de noviembre de 2008');
  });

  describe.skipIf(!hasPoppler())('the Chinese PDF', () => {
    const pdf = () => path.join(out, 'china-lac-policy/china-lac-policy.zh-Hans.pdf');

    it('embeds a Chinese font, subsetted', () => {
      const rows = run('pdffonts', [pdf()]).trim().split('\n').slice(2);
      expect(rows.some((r) => /^[A-Z]{6}\+NotoSerifSC-Regular +CID TrueType +Identity-H +yes yes yes/.test(r))).toBe(true);
    });

    it('returns the Chinese text, every paragraph in order', () => {
      const zh = models.find((m) => m.lang === 'zh-Hans')!;
      const text = run('pdftotext', ['-raw', '-x', '0', '-y', '62', '-W', '596', '-H', '728', pdf(), '-']).replace(/\s+/g, '');
      let from = 0;
      for (const b of zh.blocks) {
        const want = toString(b.node).replace(/\s+/g, '');
        const at = text.indexOf(want, from);
        expect(at, b.id).toBeGreaterThanOrEqual(from);
        from = at + want.length;
      }
    });

    it('never starts a line with closing punctuation or ends one with opening punctuation', () => {
      const lines = run('pdftotext', ['-raw', pdf(), '-']).split('\n').map((l) => l.trim()).filter(Boolean);
      expect(lines.filter((l) => /^[，。、；：？！）」』”]/.test(l))).toEqual([]);
      expect(lines.filter((l) => /[（「『“]$/.test(l))).toEqual([]);
    });
  });
});

