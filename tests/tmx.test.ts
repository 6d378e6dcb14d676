/**
 * `editions translations export --to tmx`: a TMX 1.4b memory per translation, of its aligned
 * pairs, read back by translate-toolkit.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { copySource, haveTool, read, REVISE_IV_2_3, run, runCli, tempDir } from './helpers.js';

/** Debian's python3, whose library translate-toolkit is installed into (not a virtual environment's). */
const PYTHON = '/usr/bin/python3';
const hasTranslateToolkit = () =>
  haveTool('translate-toolkit', () => spawnSync('pocount', ['-h']).status === 0 && spawnSync(PYTHON, ['-c', 'from translate.storage import tmx']).status === 0);

function exportTmx(source: string, ...args: string[]): { out: string; stdout: string } {
  const out = tempDir();
  const r = runCli(['translations', 'export', '--to', 'tmx', '--out', out, ...args, source]);
  expect(r.status, r.stderr).toBe(0);
  return { out, stdout: r.stdout };
}

const units = (tmx: string) => [...tmx.matchAll(/<tu tuid="([^"]+)">\n\s*<tuv xml:lang="([^"]+)"><seg>([^<]*)<\/seg><\/tuv>\n\s*<tuv xml:lang="([^"]+)"><seg>([^<]*)<\/seg><\/tuv>/g)].map((m) => ({ id: m[1], from: m[2], source: m[3], to: m[4], target: m[5] }));

describe('translations export --to tmx', () => {
  it('writes one well-formed memory per translation of the paper, 94 pairs each, the same bytes every time', () => {
    const source = copySource();
    const { out, stdout } = exportTmx(source);
    expect(readdirSync(out).sort()).toEqual(['china-lac-policy.en-es.tmx', 'china-lac-policy.en-zh-Hans.tmx']);
    expect(stdout).toContain('wrote 94 segments of');
    for (const lang of ['es', 'zh-Hans']) {
      const tmx = read(path.join(out, `china-lac-policy.en-${lang}.tmx`));
      expect(XMLValidator.validate(tmx)).toBe(true);
      expect(tmx).toContain('<tmx version="1.4">');
      expect(tmx).toMatch(/<header creationtool="policy-editions" creationtoolversion="[^"]+" datatype="plaintext" segtype="paragraph" adminlang="en" srclang="en" o-tmf="policy-editions">/);
      expect(tmx).not.toMatch(/creationdate|changedate/);
      const list = units(tmx);
      expect(list).toHaveLength(94);
      expect(tmx.match(/<tu /g)).toHaveLength(94);
      expect(list.every((u) => u.from === 'en' && u.to === lang && u.source.length > 0 && u.target.length > 0)).toBe(true);
      expect(list[0]).toMatchObject({ id: 'foreword', source: 'Foreword' });
    }
    const again = exportTmx(source, '--lang', 'es', '--json');
    expect(JSON.parse(again.stdout)).toEqual([{ file: expect.stringMatching(/china-lac-policy\.en-es\.tmx$/), language: 'es', segments: 94 }]);
    expect(readdirSync(again.out)).toEqual(['china-lac-policy.en-es.tmx']);
    expect(readFileSync(path.join(again.out, 'china-lac-policy.en-es.tmx'))).toEqual(readFileSync(path.join(out, 'china-lac-policy.en-es.tmx')));
    const dated = tempDir();
    expect(runCli(['translations', 'export', '--to', 'tmx', '--out', dated, source], { env: { SOURCE_DATE_EPOCH: '1700000000' } }).status).toBe(0);
    expect(readFileSync(path.join(dated, 'china-lac-policy.en-es.tmx'))).toEqual(readFileSync(path.join(out, 'china-lac-policy.en-es.tmx')));
  });

  it('reduces inline Markdown to its text and escapes it; pairs a stale translation with the text it was accepted from', () => {
    const source = copySource({
      ...REVISE_IV_2_3,
      'china-lac-policy/paper.es.md': (t) => t.replace('El Gobierno chino apoya', 'El *Gobierno* chino <apoya> & [apoya](#iv)'),
    });
    const list = units(read(path.join(exportTmx(source, '--lang', 'es').out, 'china-lac-policy.en-es.tmx')));
    expect(list).toHaveLength(94);
    const stale = list.find((u) => u.id === 'iv-2-3-p1')!;
    // The record's text, not the revised one: the Spanish translates "Chinese commercial banks".
    expect(stale.source).toContain('It encourages Chinese commercial banks');
    expect(stale.source).not.toContain('policy and commercial');
    expect(stale.target).toMatch(/^El Gobierno chino &lt;apoya&gt; &amp; apoya/);
  });

  it('leaves out segments that are missing, and stale ones never accepted', () => {
    const source = copySource({
      'china-lac-policy/paper.es.md': (t) => t.replace(/^El Gobierno chino apoya .*$/m, '{.untranslated}'),
      'china-lac-policy/paper.es.sources.yaml': (t) => t.replace(/^  foreword-p1: .*\n/gm, ''),
    });
    const r = runCli(['translations', 'status', '--json', source]);
    expect(JSON.parse(r.stdout).find((s: { language: string }) => s.language === 'es')).toMatchObject({ current: 92, stale: 1, missing: 1 });
    const list = units(read(path.join(exportTmx(source, '--lang', 'es').out, 'china-lac-policy.en-es.tmx')));
    expect(list).toHaveLength(92);
    expect(list.map((u) => u.id)).not.toContain('foreword-p1');
    expect(list.map((u) => u.id)).not.toContain('iv-2-3-p1');
  });

  it('is a usage error without --to, with another format, a language with no translation, or --only', () => {
    for (const args of [[], ['--to', 'csv'], ['--to', 'tmx', '--lang', 'fr'], ['--to', 'tmx', '--only', 'stale']]) {
      const r = runCli(['translations', 'export', ...args, '--out', tempDir(), copySource()]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain('[cli-usage]');
    }
    expect(runCli(['translations', 'export', '--to', 'csv']).stderr).toContain('use --to xliff, --to xliff2, --to tmx');
  });

  it('writes nothing from a translation that does not mirror its original: exit 1, the error at its place', () => {
    const source = copySource({ 'china-lac-policy/paper.es.md': (t) => t.replace('\n## 3. En los ámbitos cultural y social', '\n### 3. En los ámbitos cultural y social') });
    const out = tempDir();
    const r = runCli(['translations', 'export', '--to', 'tmx', '--out', out, source]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/paper\.es\.md:\d+:1: error: .*\[translation-structure\]/);
    expect(readdirSync(out)).toEqual([]);
  });

  it.skipIf(!hasTranslateToolkit())('reads back in translate-toolkit: pocount counts 94 translated units, its TMX store the same pairs', () => {
    const { out } = exportTmx(copySource());
    for (const lang of ['es', 'zh-Hans']) {
      const file = path.join(out, `china-lac-policy.en-${lang}.tmx`);
      expect(run('pocount', ['--csv', file])).toMatch(/\.tmx,\s+94, \d+, \d+, 0, 0, 0, 0, 94, \d+/);
      const pairs = JSON.parse(
        run(PYTHON, ['-c', 'import json,sys\nfrom translate.storage import tmx\ns = tmx.tmxfile.parsefile(open(sys.argv[1], "rb"))\nprint(json.dumps([[u.source, u.target] for u in s.units]))', file]),
      ) as [string, string][];
      const ours = units(read(file)).map((u) => [u.source, u.target]);
      expect(pairs).toHaveLength(94);
      const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
      expect(pairs).toEqual(ours.map(([s, t]) => [unescape(s!), unescape(t!)]));
    }
  });
});
