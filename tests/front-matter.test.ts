import { describe, expect, it } from 'vitest';
import { formatDiagnostic, Report } from '../src/messages.js';
import { parseSource } from '../src/source/parse.js';

const FILE = '/docs/x/paper.en.md';

function check(front: string) {
  const report = new Report();
  const parsed = parseSource(`---\n${front}---\n\n# I. One\n\nText.\n`, FILE, report);
  return { meta: parsed.meta, lines: report.diagnostics.map((d) => formatDiagnostic(d, '/docs')) };
}

const GOOD = 'title: T\nissuer: Office\nissued: 2008-11-05\nlanguage: en\n';

describe('front matter', () => {
  it('accepts the required keys and fills defaults', () => {
    const { meta, lines } = check(GOOD);
    expect(lines).toEqual([]);
    expect(meta).toMatchObject({ title: 'T', issuer: 'Office', issued: '2008-11-05', language: 'en', keywords: [] });
  });

  it('canonicalises the language tag', () => {
    expect(check(GOOD.replace('language: en', 'language: zh-hans')).meta?.language).toBe('zh-Hans');
  });

  it('names an unknown key at its line, with the key it probably meant', () => {
    expect(check(`${GOOD}keywrds: [a]\n`).lines).toEqual([
      'x/paper.en.md:6:1: error: unknown front matter key "keywrds" [front-matter-schema]\n  hint: did you mean "keywords"?',
    ]);
  });

  it('names a key written twice, at the second, in a top-level and a nested map', () => {
    const { meta, lines } = check(`${GOOD}title: U\nsource:\n  publisher: P\n  publisher: Q\n`);
    expect(meta).toBeUndefined();
    expect(lines.map((l) => l.split('\n')[0])).toEqual([
      'x/paper.en.md:6:1: error: front matter is not valid YAML: Map keys must be unique [front-matter-yaml]',
      'x/paper.en.md:9:3: error: front matter is not valid YAML: Map keys must be unique [front-matter-yaml]',
    ]);
  });

  it('names an unknown nested key at its own line', () => {
    const { lines } = check(`${GOOD}source:\n  publisher: P\n  republised: 2009-04-20\n`);
    expect(lines[0]).toMatch(/^x\/paper\.en\.md:8:3: error: unknown front matter key "source\.republised"/);
    expect(lines[0]).toContain('did you mean "republished"?');
  });

  it('points at a malformed date and says how to write it', () => {
    expect(check(GOOD.replace('2008-11-05', 'November 5, 2008')).lines).toEqual([
      'x/paper.en.md:4:9: error: front matter key "issued": expected a date written YYYY-MM-DD [front-matter-schema]\n  hint: write it as issued: 2008-11-05',
    ]);
  });

  it('reports a missing required key', () => {
    expect(check(GOOD.replace('issuer: Office\n', '')).lines[0]).toContain('front matter lacks the required key "issuer"');
  });

  it('reports a bad language tag', () => {
    expect(check(GOOD.replace('language: en', 'language: english!')).lines[0]).toMatch(/5:11: error: .*not a BCP 47 language tag/);
  });

  it('reports malformed YAML at its position', () => {
    const { meta, lines } = check(`${GOOD}keywords: [a, b\n`);
    expect(meta).toBeUndefined();
    expect(lines[0]).toMatch(/^x\/paper\.en\.md:\d+:\d+: error: front matter is not valid YAML: .* \[front-matter-yaml\]/);
  });

  it('reports a file without front matter', () => {
    const report = new Report();
    parseSource('# I. One\n', FILE, report);
    expect(report.diagnostics[0]).toMatchObject({ ruleId: 'front-matter-schema', place: { line: 1, column: 1 } });
  });
});
