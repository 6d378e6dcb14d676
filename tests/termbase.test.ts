/**
 * Termbases: terms checked in translations (term-consistency), exported as TBX-Basic, and
 * merged back from a TBX into termbase.yaml (comments and order kept; bad input refused).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { termMatcher } from '../src/termbase/match.js';
import { copySource, haveTool, lineOf, read, run, runCli, tempDir } from './helpers.js';

const PYTHON = '/usr/bin/python3';
const hasTranslateToolkit = () =>
  haveTool('translate-toolkit', () => spawnSync('pocount', ['-h']).status === 0 && spawnSync(PYTHON, ['-c', 'from translate.storage import tbx']).status === 0);

const termWarnings = (stderr: string) => stderr.split('\n').filter((l) => l.endsWith('[term-consistency]'));

describe('term consistency in translations', () => {
  it('finds a term as a whole word or words, a plural on any of them, a Spanish article dropped, Chinese anywhere', () => {
    expect(termMatcher('trade')('a trademark')).toBe(false);
    expect(termMatcher('free trade agreement')('two Free Trade\nAgreements')).toBe(true);
    expect(termMatcher('diálogo estratégico')('los diálogos estratégicos')).toBe(true);
    expect(termMatcher('tratado de libre comercio')('tratados de libre comercio')).toBe(true);
    expect(termMatcher('la cooperación Sur-Sur')('de cooperación Sur-Sur')).toBe(true);
    expect(termMatcher('互利')('平等互利')).toBe(true);
  });

  it('warns where the paper translates a termbase term otherwise, unless the termbase admits the form as a variant', () => {
    // Without the termbase's variants: 16 times in Chinese (拉美 for 拉丁美洲), 3 in Spanish.
    const source = copySource({ 'china-lac-policy/termbase.yaml': (t) => t.replace(/^ {4}variants:\n {6}[\w-]+:\n {8}- .*\n/gm, '') });
    const r = runCli(['check', source]);
    expect(r.status, r.stderr).toBe(0);
    const warnings = termWarnings(r.stderr);
    expect(warnings.filter((w) => w.includes('paper.zh-Hans.md:'))).toHaveLength(16);
    expect(warnings.filter((w) => w.includes('paper.zh-Hans.md:')).every((w) => w.includes('does not use "拉丁美洲和加勒比", the termbase\'s zh-Hans for "Latin America and the Caribbean"'))).toBe(true);
    expect(warnings.filter((w) => w.includes('paper.es.md:')).map((w) => /does not use ("[^"]+")/.exec(w)![1])).toEqual(['"intercambios entre los pueblos"', '"organizaciones regionales"', '"asuntos internacionales"']);
    expect(warnings).toHaveLength(19);
    // A synonym may be the translator's choice: warnings under --strict too.
    const strict = runCli(['check', '--strict', source]);
    expect(strict.status, strict.stderr).toBe(0);
    expect(termWarnings(strict.stderr)).toHaveLength(19);
    // With them (the repository's termbase admits 拉美和加勒比 and the three coordinated Spanish forms): none.
    expect(termWarnings(runCli(['check', copySource()]).stderr)).toEqual([]);
  });

  it('reports a termbase it cannot read once, with no packet reading it too', () => {
    const source = copySource({ 'china-lac-policy/termbase.yaml': (t) => t.replace('  five-principles:', '  five-principles: [') });
    rmSync(path.join(source, 'packets'), { recursive: true });
    const r = runCli(['check', source]);
    expect(r.status).toBe(1);
    expect(r.stderr.match(/termbase\.yaml:5:9: error: termbase is not valid YAML: Implicit keys/g)).toHaveLength(1);
    expect(r.stderr).not.toContain('[term-consistency]');
  });

  it('warns once, at the translated block, when the Spanish replaces an established term', () => {
    const source = copySource({ 'china-lac-policy/paper.es.md': (t) => t.replace(/^(- Profundizar la cooperación y lograr.*?)beneficio mutuo/m, '$1provecho mutuo') });
    const es = path.join(source, 'china-lac-policy', 'paper.es.md');
    expect(read(es)).toContain('provecho mutuo');
    const line = lineOf(es, '- Profundizar la cooperación y lograr');
    for (const command of ['check', 'build']) {
      const r = runCli(command === 'check' ? ['check', source] : ['build', source, '--out', path.join(tempDir(), 'dist'), '-f', 'html', '-q']);
      expect(r.status, r.stderr).toBe(0);
      const warnings = termWarnings(r.stderr);
      expect(warnings).toHaveLength(1);
      const mutual = warnings.filter((w) => w.includes('"beneficio mutuo"'));
      expect(mutual).toHaveLength(1);
      expect(mutual[0]).toMatch(new RegExp(`china-lac-policy/paper\\.es\\.md:${line}:3: warning: iii-p3 does not use "beneficio mutuo", the termbase's es for "mutual benefit", which the original uses \\[term-consistency\\]$`));
      expect(r.stderr).toContain('hint: write "beneficio mutuo" here; or, when another form is right, add it to variants: es: of the term "mutual-benefit" in');
    }
  });
});

function exportTbx(source: string): string {
  const out = tempDir();
  const r = runCli(['termbase', 'export', '--to', 'tbx', '--out', out, source]);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toContain('wrote 29 concepts of');
  return path.join(out, 'china-lac-policy.tbx');
}

describe('termbase export --to tbx', () => {
  it('writes the termbase as well-formed TBX-Basic, a <termEntry> per term, the same bytes every time', () => {
    const source = copySource();
    const file = exportTbx(source);
    const tbx = read(file);
    expect(XMLValidator.validate(tbx)).toBe(true);
    expect(tbx).toContain('<martif type="TBX-Basic" xml:lang="en">');
    expect(tbx).not.toContain('<!DOCTYPE');
    expect(tbx.match(/<termEntry id="/g)).toHaveLength(29);
    expect(tbx).toMatch(/<termEntry id="mutual-benefit">\n\s*<langSet xml:lang="en">\n\s*<descrip type="definition">Each side gaining from what they do together\.<\/descrip>\n\s*<tig>\n\s*<term>mutual benefit<\/term>/);
    expect(readFileSync(exportTbx(source))).toEqual(readFileSync(file));
  });

  it('is a usage error without --to tbx', () => {
    for (const args of [[], ['--to', 'csv']]) {
      const r = runCli(['termbase', 'export', ...args, copySource()]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('[cli-usage]');
      expect(r.stderr).toContain('use --to tbx');
    }
  });

  it.skipIf(!hasTranslateToolkit())('reads back in translate-toolkit: 29 terms with their translations and definitions', () => {
    const file = exportTbx(copySource());
    expect(run('pocount', ['--csv', file])).toMatch(/\.tbx,\s+29, /);
    const script = 'import json,sys\nfrom translate.storage import tbx\ns = tbx.tbxfile.parsefile(open(sys.argv[1], "rb"))\nprint(json.dumps([[u.getid(), u.source, u.gettarget("es"), u.gettarget("zh-Hans"), u.getnotes("definition")] for u in s.units], ensure_ascii=False))';
    const units = JSON.parse(run(PYTHON, ['-c', script, file])) as string[][];
    expect(units).toHaveLength(29);
    expect(units.find((u) => u[0] === 'mutual-benefit')).toEqual(['mutual-benefit', 'mutual benefit', 'beneficio mutuo', '互利', 'Each side gaining from what they do together.\n双方都从合作中获益。\nQue cada parte obtenga provecho de lo que se hace en común.']);
    expect(units.find((u) => u[0] === 'lac')).toEqual(['lac', 'Latin America and the Caribbean', 'América Latina y el Caribe', '拉丁美洲和加勒比', '']);
  });
});

describe('termbase import', () => {
  const termbaseOf = (source: string) => path.join(source, 'china-lac-policy', 'termbase.yaml');

  it('changes nothing when the TBX is the termbase as exported', () => {
    const source = copySource();
    const before = read(termbaseOf(source));
    const r = runCli(['termbase', 'import', exportTbx(source), source]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('nothing to change');
    expect(read(termbaseOf(source))).toBe(before);
  });

  it('adds new concepts and changed translations, keeping the comments and the order of the rest', () => {
    const source = copySource();
    const before = read(termbaseOf(source));
    const file = exportTbx(source);
    writeFileSync(
      file,
      read(file)
        .replace('<term>beneficio mutuo</term>', '<term>provecho mutuo</term>')
        .replace('<descrip type="definition">Cooperation among developing countries, without a developed partner.</descrip>', '<descrip type="definition">Cooperation among developing countries &amp; their peoples.</descrip>')
        .replace('</body>', '<termEntry id="belt-and-road"><langSet xml:lang="en"><tig><term>Belt and Road</term></tig></langSet><langSet xml:lang="es"><descrip type="definition">La iniciativa.</descrip><tig><term>la Franja y la Ruta</term></tig></langSet></termEntry>\n</body>'),
    );
    const r = runCli(['termbase', 'import', file, source, '--json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ added: ['belt-and-road'], changed: ['south-south gloss en', 'mutual-benefit es'] });
    const after = read(termbaseOf(source));
    const expected = before
      .replace('    es: beneficio mutuo\n', '    es: provecho mutuo\n')
      .replace('en: "Cooperation among developing countries, without a developed partner."', 'en: "Cooperation among developing countries & their peoples."');
    expect(after).toBe(`${expected}  belt-and-road:\n    en: Belt and Road\n    es: la Franja y la Ruta\n    gloss:\n      es: La iniciativa.\n`);
    expect(after.startsWith('# Terms that recur in the paper')).toBe(true);
    // The merged termbase is read as any other: the Spanish now "lacks" the changed term.
    const check = runCli(['check', source]);
    expect(check.status, check.stderr).toBe(0);
    expect(termWarnings(check.stderr).filter((w) => w.includes('"provecho mutuo"')).length).toBeGreaterThan(0);
  });

  const BAD: [string, (tbx: string) => string, RegExp][] = [
    ['not well-formed', (t) => t.replace('<term>beneficio mutuo</term>', '<term>beneficio mutuo</trem>'), /the TBX is not well-formed XML/],
    ['a DOCTYPE with an external entity', (t) => t.replace('<martif', '<!DOCTYPE martif [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<martif').replace('<term>beneficio mutuo</term>', '<term>&x;</term>'), /the TBX declares a DOCTYPE, which is refused/],
    ['an entity reference', (t) => t.replace('<term>beneficio mutuo</term>', '<term>&nbsp;mutuo</term>'), /the TBX uses an entity reference "&nbsp;", which is refused/],
    ['an unknown language', (t) => t.replace(/(<termEntry id="lac">\n\s*)<langSet xml:lang="en">/, '$1<langSet xml:lang="fr">'), /the concept "lac" has terms in "fr", a language the document is not written in/],
    ['a duplicate concept', (t) => t.replace('<termEntry id="win-win">', '<termEntry id="one-china">'), /the concept "one-china" is listed twice \(first at line \d+\)/],
  ];

  it.each(BAD)('refuses a TBX with %s: file:line:col, rule termbase-tbx, exit 1, termbase.yaml untouched', (_what, edit, message) => {
    const source = copySource();
    const before = read(termbaseOf(source));
    const file = exportTbx(source);
    const broken = edit(read(file));
    writeFileSync(file, broken);
    const r = runCli(['termbase', 'import', file, source]);
    expect(r.status, r.stderr).toBe(1);
    const head = new RegExp(`^(.+\\.tbx):(\\d+):(\\d+): error: (.+) \\[termbase-tbx\\]\\n  hint: \\S`, 'm').exec(r.stderr);
    expect(head, r.stderr).not.toBeNull();
    expect(head![4]).toMatch(message);
    // The position names the line of the fault.
    const faulty = broken.split('\n')[Number(head![2]) - 1]!;
    expect(faulty).toMatch(/trem|DOCTYPE|&nbsp;|"fr"|one-china/);
    expect(read(termbaseOf(source))).toBe(before);
  });
});
