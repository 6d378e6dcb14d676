/**
 * XLIFF export and import (issue 13): round trips that change no byte, files translate-toolkit
 * reads, a translator's edits that land in their blocks only with their inline Markdown intact,
 * and every bad file refused at its line:col with the Markdown untouched.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Code, Nodes, Paragraph } from 'mdast';
import { describe, expect, it } from 'vitest';
import { parseMarkdown } from '../src/source/parse.js';
import { encodeBlock } from '../src/translations/inline.js';
import { literalMarkdown } from '../src/translations/literal.js';
import { copySource, CORPUS, haveTool, read, REVISE_IV_2_3, ROOT, run, runCli, tempDir } from './helpers.js';

const hasTranslateToolkit = () => haveTool('translate-toolkit', () => spawnSync('pocount', ['--help']).status === 0);

const VERSIONS = [
  { to: 'xliff', suffix: '.xlf' },
  { to: 'xliff2', suffix: '.xliff2.xlf' },
] as const;
const LANGS = ['es', 'zh-Hans'] as const;

/** Every file of the copied document, by name: what an import may change. */
function snapshot(source: string): Map<string, Buffer> {
  const dir = path.join(source, 'china-lac-policy');
  return new Map(readdirSync(dir).map((f) => [f, readFileSync(path.join(dir, f))]));
}

/** Runs the CLI in the folder that holds `source` (so that its default source/ is the copy). */
const cli = (source: string, args: string[]) => runCli(['translations', ...args], { cwd: path.dirname(source) });
const xliffOf = (source: string, lang: string, suffix: string) => path.join(path.dirname(source), 'translations', 'china-lac-policy', `paper.${lang}${suffix}`);

/** Inline Markdown in one paragraph of the English and of the Spanish, recorded as accepted. */
function inlineSource(): string {
  const source = copySource({
    'china-lac-policy/paper.en.md': (t) =>
      `${t
        .replace('on the basis of the Five Principles of Peaceful Coexistence', 'on the basis of the *Five Principles of Peaceful Coexistence*[^fp]')
        .replace('win-win strategy of opening-up', '**win-win** strategy of [opening-up](https://example.org/open "Open")')}\n[^fp]: The principles of 1954.\n`,
    'china-lac-policy/paper.es.md': (t) =>
      `${t
        .replace('sobre la base de los Cinco Principios de Coexistencia Pacífica', 'sobre la base de los _Cinco Principios de Coexistencia Pacífica_[^fp]')
        .replace('estrategia de apertura de ganancia compartida', 'estrategia de [apertura](https://example.org/abrir) de __ganancia compartida__')}\n[^fp]: Los principios de 1954.\n`,
  });
  const accepted = runCli(['translations', 'accept', path.join(source, 'china-lac-policy', 'paper.es.md')]);
  if (accepted.status !== 0) throw new Error(accepted.stderr);
  return source;
}

describe('round trip', () => {
  for (const { to, suffix } of VERSIONS) {
    it(`exports both translations as ${to} and imports them unedited without changing a byte`, () => {
      const source = inlineSource();
      const before = snapshot(source);
      const exported = cli(source, ['export', '--to', to]);
      expect(exported.status, exported.stderr).toBe(0);
      for (const lang of LANGS) {
        expect(exported.stdout).toContain(`wrote 94 units of ${lang} to translations/china-lac-policy/paper.${lang}${suffix}`);
        const imported = cli(source, ['import', xliffOf(source, lang, suffix)]);
        expect(imported.status, imported.stderr).toBe(0);
        expect(imported.stdout).toContain('imported 0 changed blocks');
      }
      expect(snapshot(source)).toEqual(before);
    });
  }

  it('reads a file a CAT tool saved with CR LF line ends as the same file', () => {
    const source = inlineSource();
    const before = snapshot(source);
    cli(source, ['export', '--to', 'xliff2', '--lang', 'es']);
    const file = xliffOf(source, 'es', '.xliff2.xlf');
    writeFileSync(file, read(file).replace(/\n/g, '\r\n'));
    const imported = cli(source, ['import', file]);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('imported 0 changed blocks');
    expect(snapshot(source)).toEqual(before);
  });

  it('writes one unit per stable ID in reading order, the source as the original, codes holding the Markdown', () => {
    const source = inlineSource();
    cli(source, ['export', '--to', 'xliff', '--lang', 'es']);
    const x = read(xliffOf(source, 'es', '.xlf'));
    const ids = [...x.matchAll(/<trans-unit id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toHaveLength(94);
    expect(ids.slice(0, 5)).toEqual(['foreword', 'foreword-p1', 'foreword-p2', 'foreword-p3', 'i']);
    expect(x).toContain('<file original="paper.en.md" source-language="en" target-language="es" datatype="x-markdown" product-name="policy-editions" ed:format="1" ed:document="china-lac-policy" ed:translation="paper.es.md"');
    expect(x).toContain('<bpt id="1" ctype="bold">**</bpt>win-win<ept id="1">**</ept> strategy of <bpt id="2" ctype="link">[</bpt>opening-up<ept id="2">](https://example.org/open "Open")</ept>');
    // The target's codes are numbered as the source's they correspond to, with the translation's own Markdown.
    expect(x).toContain('<bpt id="2" ctype="link">[</bpt>apertura<ept id="2">](https://example.org/abrir)</ept> de <bpt id="1" ctype="bold">__</bpt>ganancia compartida<ept id="1">__</ept>');
    expect(x).toContain('<ph id="4" ctype="x-footnoteReference">[^fp]</ph>');
    expect(x).toContain('<note from="editions:term" annotates="general">Five Principles of Peaceful Coexistence = los Cinco Principios de Coexistencia Pacífica</note>');

    cli(source, ['export', '--to', 'xliff2', '--lang', 'es']);
    const x2 = read(xliffOf(source, 'es', '.xliff2.xlf'));
    expect(x2).toContain('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:ed="urn:policy-editions:xliff:1" version="2.1" srcLang="en" trgLang="es">');
    expect(x2).toMatch(/<pc id="1" dataRefStart="(d\d+)" dataRefEnd="\1" type="fmt" subType="xlf:b">win-win<\/pc>/);
    expect(x2).toContain('<segment state="reviewed">');
  });
});

describe('translate-toolkit', () => {
  it.skipIf(!hasTranslateToolkit())('counts the units written, and pofilter checks them by unit ID', () => {
    const source = copySource();
    cli(source, ['export', '--to', 'xliff']);
    for (const lang of LANGS) {
      const file = xliffOf(source, lang, '.xlf');
      // Filename, Translated Messages, ..., Fuzzy Messages, ..., Untranslated Messages, ..., Total Message, ...
      const row = run('pocount', ['--csv', file]).trim().split('\n').at(-1)!.split(',').map((s) => s.trim());
      expect({ translated: Number(row[1]), fuzzy: Number(row[4]), untranslated: Number(row[6]), total: Number(row[8]) }).toEqual({ translated: 94, fuzzy: 0, untranslated: 0, total: 94 });
    }

    // pofilter's checks, by unit ID, on the Spanish as exported and with a double space put into i-p1.
    const flagged = (xliff: string) => {
      const dir = tempDir();
      const po = path.join(dir, 'es.po');
      run('xliff2po', ['--progress=none', xliff, po]);
      run('pofilter', ['--progress=none', po, path.join(dir, 'flagged.po')]);
      return [...read(path.join(dir, 'flagged.po')).matchAll(/((?:^# \(pofilter\) .*\n)+)#: (\S+)$/gm)].flatMap((m) => [...m[1]!.matchAll(/\(pofilter\) (\w+):/g)].map((t) => `${m[2]} ${t[1]}`)).sort();
    };
    const file = xliffOf(source, 'es', '.xlf');
    const ids = new Set([...read(file).matchAll(/<trans-unit id="([^"]+)"/g)].map((m) => m[1]));
    const before = flagged(file);
    // Its own findings on the paper: the 21st century is "siglo XXI", HIV/AIDS "VIH/SIDA".
    expect(before).toContain('ii-p2 numbers');
    expect(before).toContain('iv-3-3-p1 acronyms');
    for (const f of before) expect(ids).toContain(f.split(' ')[0]);
    writeFileSync(file, read(file).replace(/(<trans-unit id="i-p1"[\s\S]*?<target state="translated">[^<]*?) /, '$1  '));
    expect(flagged(file)).toEqual([...before, 'i-p1 doublespacing'].sort());
  });
});

describe('a translator edits three units', () => {
  for (const { to, suffix } of VERSIONS) {
    it(`imports a ${to} file into exactly those three blocks, inline emphasis and links intact`, () => {
      const source = inlineSource();
      const es = path.join(source, 'china-lac-policy', 'paper.es.md');
      const record = es.replace(/\.md$/, '.sources.yaml');
      const before = read(es);
      const recordBefore = read(record);
      cli(source, ['export', '--to', to, '--lang', 'es']);
      const file = xliffOf(source, 'es', suffix);
      // In the targets only (the same words may be in a note), codes kept as they are.
      const inTarget = (text: string, from: string, to: string) => text.replace(new RegExp(`(<target[^>]*>[^\\n]*?)${from}`), `$1${to}`);
      const edited = [
        ['Como el mayor país en desarrollo del mundo,', 'Siendo el mayor país en desarrollo del mundo,'],
        ['ganancia compartida<', 'beneficio mutuo<'],
        ['Prólogo<', 'Preámbulo<'],
        ['La cooperación amistosa entre China y América Latina', 'La cooperación amistosa de China con América Latina'],
      ].reduce((text, [from, to]) => inTarget(text, from!, to!), read(file));
      expect(edited).not.toBe(read(file));
      writeFileSync(file, edited);
      const imported = cli(source, ['import', file]);
      expect(imported.status, imported.stderr).toBe(0);
      expect(imported.stdout).toContain('imported 3 changed blocks');

      const a = before.split('\n');
      const b = read(es).split('\n');
      expect(b).toHaveLength(a.length);
      const changed = a.flatMap((line, i) => (line === b[i] ? [] : [i]));
      expect(changed.map((i) => b[i]!.slice(0, 30))).toEqual(['# Preámbulo', 'Siendo el mayor país en desarr', 'La cooperación amistosa de Chi']);
      expect(b[changed[1]!]).toContain('estrategia de [apertura](https://example.org/abrir) de __beneficio mutuo__. ');
      expect(b[changed[1]!]).toContain('los _Cinco Principios de Coexistencia Pacífica_[^fp] y');
      // The blocks were current: their record is as it was.
      expect(read(record)).toBe(recordBefore);
      expect(runCli(['check', '--strict', source]).status).toBe(0);
    });
  }

  it('records the accepted source of an imported stale block, and not of the others', () => {
    const source = copySource({
      'china-lac-policy/paper.en.md': (t) => REVISE_IV_2_3['china-lac-policy/paper.en.md'](t).replace('The Chinese side will expand tourism', 'The Chinese side will further expand tourism'),
    });
    cli(source, ['export', '--to', 'xliff', '--lang', 'es']);
    const file = xliffOf(source, 'es', '.xlf');
    writeFileSync(file, read(file).replace(/(<trans-unit id="iv-2-3-p1"[\s\S]*?<target state="needs-review-translation">)El Gobierno chino/, '$1El Gobierno de China'));
    const imported = cli(source, ['import', file, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)[0]).toMatchObject({ changed: ['iv-2-3-p1'], accepted: ['iv-2-3-p1'] });
    const check = runCli(['check', '--strict', path.join(source, 'china-lac-policy')]);
    expect([...check.stderr.matchAll(/paper\.es\.md:\d+:\d+: error: (\S+) was translated/g)].map((m) => m[1])).toEqual(['iv-2-10-p1']);
  });

  it('leaves out, with a warning at its line:col, a unit whose original changed since the export', () => {
    const source = copySource();
    cli(source, ['export', '--to', 'xliff', '--lang', 'es']);
    const file = xliffOf(source, 'es', '.xlf');
    const text = read(file).replace(/(<trans-unit id="iv-2-3-p1"[\s\S]*?<target state="translated">)El Gobierno chino/, '$1El Gobierno de China');
    writeFileSync(file, text);
    const en = path.join(source, 'china-lac-policy', 'paper.en.md');
    writeFileSync(en, REVISE_IV_2_3['china-lac-policy/paper.en.md'](read(en)));
    const es = path.join(source, 'china-lac-policy', 'paper.es.md');
    const before = read(es);
    const imported = cli(source, ['import', file]);
    expect(imported.status, imported.stderr).toBe(0);
    const line = text.split('\n').findIndex((l) => l.includes('<trans-unit id="iv-2-3-p1"')) + 1;
    expect(imported.stderr).toContain(`paper.es.xlf:${line}:7: warning: iv-2-3-p1 was not imported: its text in paper.en.md has changed since the export [xliff]`);
    expect(read(es)).toBe(before);
  });
});

describe('a table', () => {
  it('is one unit whose cells are text between codes, round-trips in both versions, and takes a translated pipe escaped', () => {
    const project = tempDir();
    cpSync(path.join(CORPUS, 'table-notes'), path.join(project, 'source', 'table-notes'), { recursive: true });
    const es = path.join(project, 'source', 'table-notes', 'paper.es.md');
    const before = read(es);
    const run = (args: string[]) => runCli(['translations', ...args], { cwd: project });
    for (const { to, suffix } of VERSIONS) {
      expect(run(['export', '--to', to]).status).toBe(0);
      const file = path.join(project, 'translations', 'table-notes', `paper.es${suffix}`);
      expect(run(['import', file]).status).toBe(0);
      expect(read(es)).toBe(before);
    }
    const file = path.join(project, 'translations', 'table-notes', 'paper.es.xlf');
    const text = read(file);
    // The header row's cells, each between codes holding the pipes (and the delimiter row).
    expect(text).toMatch(/<source><ph id="1" ctype="x-tableCell">\| <\/ph>Indicator<ph id="2" ctype="x-footnoteReference">\[\^def\]<\/ph><ph id="3" ctype="x-tableCell"> \| <\/ph>Chart<ph id="4" ctype="x-tableCell"> \| <\/ph>Remark/);
    writeFileSync(file, text.replace('</ph>Gráfico<ph', '</ph>Gráfico | barras<ph'));
    const imported = run(['import', file]);
    expect(imported.status, imported.stderr).toBe(0);
    const changed = read(es).split('\n').filter((l, i) => l !== before.split('\n')[i]);
    expect(changed).toEqual(['| Indicador[^def] | Gráfico \\| barras | Observación |']);
    expect(runCli(['check', path.join(project, 'source')]).status).toBe(0);
  });
});

/** The table-notes document with a code block, a `$$` block and a code block in a list item, in the English and the Spanish, accepted. */
function codeProject(): { project: string; es: string; translations: (args: string[]) => ReturnType<typeof runCli>; file: (suffix: string) => string } {
  const project = tempDir();
  const dir = path.join(project, 'source', 'table-notes');
  cpSync(path.join(CORPUS, 'table-notes'), dir, { recursive: true });
  const blocks = (lead: string, item: string) =>
    `\n${lead}\n\n$$\ng = (x_1 - x_0) / x_0\n$$\n\n\`\`\`sql title="growth"\nSELECT year, exports\nFROM trade;\n\`\`\`\n\n- ${item}\n\n  \`\`\`\`sh\n  editions check  # all <documents> & more\n  \`\`\`\`\n`;
  writeFileSync(path.join(dir, 'paper.en.md'), read(path.join(dir, 'paper.en.md')) + blocks('The growth rate, and the query that computes it:', 'To check the figures, run:'));
  writeFileSync(path.join(dir, 'paper.es.md'), read(path.join(dir, 'paper.es.md')) + blocks('La tasa de crecimiento, y la consulta que la calcula:', 'Para comprobar las cifras, ejecute:'));
  const translations = (args: string[]) => runCli(['translations', ...args], { cwd: project });
  const accepted = translations(['accept', path.join(dir, 'paper.es.md')]);
  if (accepted.status !== 0) throw new Error(accepted.stderr);
  return { project, es: path.join(dir, 'paper.es.md'), translations, file: (suffix) => path.join(project, 'translations', 'table-notes', `paper.es${suffix}`) };
}

describe('code blocks', () => {
  it('are units of their text, translate="no", and round-trip byte for byte in both versions', () => {
    const { es, translations, file } = codeProject();
    const before = read(es);
    for (const { to, suffix } of VERSIONS) {
      const exported = translations(['export', '--to', to]);
      expect(exported.status, exported.stderr).toBe(0);
      expect(exported.stderr).not.toContain('left out');
      const imported = translations(['import', file(suffix)]);
      expect(imported.status, imported.stderr).toBe(0);
      expect(imported.stdout).toContain('imported 0 changed blocks');
      expect(read(es)).toBe(before);
    }
    const x = read(file('.xlf'));
    expect(x).toContain('<trans-unit id="ii-p6" resname="ii-p6" approved="yes" translate="no" xml:space="preserve"');
    expect(x).toContain('<source>SELECT year, exports\nFROM trade;</source>\n        <target state="translated">SELECT year, exports\nFROM trade;</target>');
    expect(x).toContain('<source>editions check  # all &lt;documents&gt; &amp; more</source>');
    // A $$ block is a paragraph to this parser (no math extension): a unit of text, to translate.
    expect(x).toMatch(/<trans-unit id="ii-p5" resname="ii-p5" approved="yes" xml:space="preserve"[^>]*>\n {8}<source>\$\$\ng = \(x_1 - x_0\) \/ x_0\n\$\$<\/source>/);
    expect(x.match(/translate="no"/g)).toHaveLength(2);
    const x2 = read(file('.xliff2.xlf'));
    expect(x2).toContain('<unit id="ii-p6" name="ii-p6" translate="no" xml:space="preserve"');
    expect(x2).toContain('<source>SELECT year, exports\nFROM trade;</source>\n        <target>SELECT year, exports\nFROM trade;</target>');
  });

  it('imports an edited target between the block\'s own fences, its indentation and info string kept', () => {
    const { es, translations, file } = codeProject();
    const before = read(es);
    translations(['export', '--to', 'xliff']);
    const text = read(file('.xlf'))
      .replace('<target state="translated">SELECT year, exports\nFROM trade;</target>', '<target state="translated">SELECT year, exports\nFROM trade\n\nWHERE year &gt; 2020;</target>')
      // A fence shorter than the block's own is text.
      .replace('<target state="translated">editions check  # all', '<target state="translated">```\neditions check --strict  # all');
    writeFileSync(file('.xlf'), text);
    const imported = translations(['import', file('.xlf'), '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)[0]).toMatchObject({ changed: ['ii-p6', 'ii-p8'] });
    expect(read(es)).toBe(
      before
        .replace('```sql title="growth"\nSELECT year, exports\nFROM trade;\n```', '```sql title="growth"\nSELECT year, exports\nFROM trade\n\nWHERE year > 2020;\n```')
        .replace('  ````sh\n  editions check  # all', '  ````sh\n  ```\n  editions check --strict  # all'),
    );
    expect(runCli(['check', '--strict', path.dirname(es)]).status).toBe(0);
  });

  it('refuses, at the unit, a target with a line that would close the fence; nothing is written', () => {
    for (const { to, suffix } of VERSIONS) {
      const { es, translations, file } = codeProject();
      const before = read(es);
      translations(['export', '--to', to]);
      const text = read(file(suffix)).replace(/(<target[^>]*>SELECT year, exports\n)/, '$1  ```  \n');
      writeFileSync(file(suffix), text);
      const r = translations(['import', file(suffix)]);
      expect(r.status, r.stderr).toBe(1);
      const unit = to === 'xliff' ? '<trans-unit id="ii-p6"' : '<unit id="ii-p6"';
      const line = text.split('\n').findIndex((l) => l.includes(unit)) + 1;
      const column = text.split('\n')[line - 1]!.indexOf(unit) + 1;
      expect(r.stderr).toContain(`paper.es${suffix}:${line}:${column}: error: the target of ii-p6 would not read back as the text of its code block: a line of it would close the block's fence [xliff]`);
      expect(read(es)).toBe(before);
    }
  });

  it.skipIf(!hasTranslateToolkit())('are read by translate-toolkit, which leaves translate="no" units out of its counts', () => {
    const { translations, file } = codeProject();
    translations(['export', '--to', 'xliff']);
    const units = [...read(file('.xlf')).matchAll(/<trans-unit /g)].length;
    const row = run('pocount', ['--csv', file('.xlf')]).trim().split('\n').at(-1)!.split(',').map((s) => s.trim());
    expect({ translated: Number(row[1]), total: Number(row[8]) }).toEqual({ translated: units - 2, total: units - 2 });
    const dir = tempDir();
    run('xliff2po', ['--progress=none', file('.xlf'), path.join(dir, 'es.po')]);
    expect(read(path.join(dir, 'es.po'))).toContain('#: ii-p6\nmsgid ""\n"SELECT year, exports\\n"\n"FROM trade;"');
  });
});

describe('literalMarkdown', () => {
  /** The code block of `file` (its `n`th) with `target` for its content, as literalMarkdown writes it in its place. */
  const literal = (file: string, target: string, n = 0) => {
    const tree = parseMarkdown(file);
    const codes = (node: Nodes): Code[] => (node.type === 'code' ? [node] : 'children' in node ? node.children.flatMap(codes) : []);
    const code = codes(tree)[n]!;
    return literalMarkdown({ text: file, tree }, code.position!.start.offset!, code.position!.end.offset!, target);
  };

  it('keeps a block\'s fences and info string, and refuses a text that would close its fence', () => {
    expect(literal('```js title="a"\nold\n```', 'new\n\nlines')).toBe('```js title="a"\nnew\n\nlines\n```');
    expect(literal('~~~~\nold\n~~~~~  ', '~~~\n```')).toBe('~~~~\n~~~\n```\n~~~~~  ');
    expect(literal('```\nold\n```', '')).toBe('```\n```');
    expect(literal('```\nold\n```', 'a\n```')).toBeUndefined();
    expect(literal('```\nold\n```', 'a\n   ````  ')).toBeUndefined();
    expect(literal('```\nold\n```', 'a\n    ```')).toBe('```\na\n    ```\n```');
    // In a quote, each line continued with its ">".
    expect(literal('> ```\n> old\n> ```', 'a\n\nb')).toBe('```\n> a\n>\n> b\n> ```');
    // In a list item, each line with the item's indentation; a line the item's end would close refused.
    expect(literal('1.  foo\n\n    ```\n    bar\n    ```\n\n    baz\n', 'a\n\nb')).toBe('```\n    a\n\n    b\n    ```');
    expect(literal('- ```\n  old\n  ```', 'a\n```')).toBeUndefined();
    // An empty block's new lines take its fence line's indentation.
    expect(literal('- x\n\n  ```\n  ```\n', 'a')).toBe('```\n  a\n  ```');
  });

  it('writes an indented block\'s lines with its own prefix, tabs as the file has them, and fenced when it cannot be indented', () => {
    expect(literal('- foo\n\n      bar\n\n  baz\n', 'x\n  y')).toBe('    x\n        y');
    expect(literal('1.     indented code\n\n   paragraph\n\n       more code\n', 'A\nB', 1)).toBe('    A\n       B');
    // The second tab counts two columns to the item's code, two to its text.
    expect(literal('- foo\n\n\t\tbar\n', '  BAR\nbaz')).toBe('\tBAR\n\t  baz');
    expect(literal('>\t\tfoo\n', '  FOO')).toBe('\tFOO');
    // A first or last line blank, or no line at all: a fenced block in the item, its fence longer than the text's backticks.
    expect(literal('- foo\n\n      bar\n', '\nx')).toBe('```\n\n  x\n  ```');
    expect(literal('- foo\n\n      bar\n', 'a\n```\n')).toBe('````\n  a\n  ```\n\n  ````');
    expect(literal('    bar\n', '')).toBe('```\n```');
  });
});

/**
 * Every <pc> of `text` (innermost first) written as a split pair, as a CAT tool may save it:
 * dataRefStart goes to the <sc>'s dataRef, dataRefEnd to the <ec>'s; type and subType stay on the <sc>.
 */
function splitCodes(text: string): string {
  const pc = /<pc id="(\d+)" dataRefStart="(d\d+)" dataRefEnd="(d\d+)"([^>]*)>((?:(?!<\/?pc[ >])[\s\S])*?)<\/pc>/g;
  let split = text;
  while (pc.test(split)) split = split.replace(pc, '<sc id="$1" dataRef="$2"$4/>$5<ec startRef="$1" dataRef="$3"/>');
  return split;
}

describe('XLIFF 2.1 split codes', () => {
  it('reads <sc>/<ec> as the pair its <pc> is: unedited, nothing changes; an edit between them is imported', () => {
    const source = inlineSource();
    const before = snapshot(source);
    cli(source, ['export', '--to', 'xliff2', '--lang', 'es']);
    const file = xliffOf(source, 'es', '.xliff2.xlf');
    const split = splitCodes(read(file));
    expect(split).not.toContain('<pc ');
    expect(split).toMatch(/<target>[^\n]*<sc id="1" dataRef="d\d+" type="fmt" subType="xlf:b"\/>ganancia compartida<ec startRef="1" dataRef="d\d+"\/>/);
    writeFileSync(file, split);
    const unchanged = cli(source, ['import', file]);
    expect(unchanged.status, unchanged.stderr).toBe(0);
    expect(unchanged.stdout).toContain('imported 0 changed blocks');
    expect(snapshot(source)).toEqual(before);

    const es = path.join(source, 'china-lac-policy', 'paper.es.md');
    const was = read(es);
    writeFileSync(file, split.replace(/(<target>[^\n]*<sc id="1"[^>]*\/>)ganancia compartida</, '$1beneficio mutuo<'));
    const edited = cli(source, ['import', file, '--json']);
    expect(edited.status, edited.stderr).toBe(0);
    expect(JSON.parse(edited.stdout)[0].changed).toHaveLength(1);
    expect(read(es)).toBe(was.replace('de __ganancia compartida__', 'de __beneficio mutuo__'));
  });
});

describe('a code the translator leaves out', () => {
  it('imports the target, and warns at the unit that its note mark goes from the translation', () => {
    const source = inlineSource();
    cli(source, ['export', '--to', 'xliff', '--lang', 'es']);
    const file = xliffOf(source, 'es', '.xlf');
    const text = read(file);
    const unit = /<trans-unit id="([^"]+)"[^>]*>(?:(?!<\/trans-unit>)[\s\S])*?<target[^>]*>(?:(?!<\/target>)[\s\S])*?<ph id="(\d+)" ctype="x-footnoteReference">\[\^fp\]<\/ph>/.exec(text)!;
    const id = unit[1]!;
    const start = text.indexOf('<target', unit.index);
    const end = text.indexOf('</target>', start);
    writeFileSync(file, text.slice(0, start) + text.slice(start, end).replace(/<ph id="\d+" ctype="x-footnoteReference">\[\^fp\]<\/ph>/, '') + text.slice(end));
    const es = path.join(source, 'china-lac-policy', 'paper.es.md');
    expect(read(es)).toContain('_Cinco Principios de Coexistencia Pacífica_[^fp]');
    const imported = cli(source, ['import', file]);
    expect(imported.status, imported.stderr).toBe(0);
    const line = text.split('\n').findIndex((l) => l.includes(`<trans-unit id="${id}"`)) + 1;
    expect(imported.stderr).toContain(`paper.es.xlf:${line}:7: warning: the target of ${id} leaves out the note mark [^fp], which paper.es.md has there: it goes from the translation [xliff]`);
    expect(read(es)).toContain('_Cinco Principios de Coexistencia Pacífica_ ');
    expect(read(es)).not.toContain('Pacífica_[^fp]');
  });
});

describe('bad input', () => {
  /** An exported file broken by `edit`; expects it refused at the line of `at` (the first line holding it), exit 1, nothing changed. */
  function refused(to: 'xliff' | 'xliff2', edit: (text: string) => string, at: string | RegExp | { nth: number; of: string } | 'end', message: string | RegExp) {
    const source = inlineSource();
    cli(source, ['export', '--to', to, '--lang', 'es']);
    const file = xliffOf(source, 'es', to === 'xliff' ? '.xlf' : '.xliff2.xlf');
    const text = edit(read(file));
    writeFileSync(file, text);
    const before = snapshot(source);
    const r = cli(source, ['import', file]);
    expect(r.status, r.stderr).toBe(1);
    const lines = text.split('\n');
    // A file cut short is refused where it stops.
    const end = { line: lines.length, column: lines.at(-1)!.length + 1 };
    let seen = 0;
    const holds = (l: string) => (at === 'end' ? false : typeof at === 'string' ? l.includes(at) : at instanceof RegExp ? at.test(l) : l.includes(at.of) && ++seen === at.nth);
    const line = at === 'end' ? end.line : lines.findIndex(holds) + 1;
    expect(line).toBeGreaterThan(0);
    const column = at === 'end' ? end.column : (typeof at === 'string' ? lines[line - 1]!.indexOf(at) : at instanceof RegExp ? lines[line - 1]!.search(at) : lines[line - 1]!.indexOf(at.of)) + 1;
    const m = new RegExp(`paper\\.es\\.(?:xliff2\\.)?xlf:(\\d+):(\\d+): error: (.*) \\[xliff\\]\\n  hint: `).exec(r.stderr);
    expect(m, r.stderr).not.toBeNull();
    expect({ line: Number(m![1]), column: Number(m![2]) }).toEqual({ line, column });
    expect(m![3]).toMatch(message);
    expect(snapshot(source)).toEqual(before);
  }

  it('refuses a file of another document, language or mapping version', () => {
    refused('xliff', (t) => t.replace('ed:document="china-lac-policy"', 'ed:document="other-paper"'), '<file ', /is for other-paper\/paper\.es\.md, which is not among the translations/);
    refused('xliff', (t) => t.replace('target-language="es"', 'target-language="fr"'), '<file ', /into "fr", but paper\.es\.md translates paper\.en\.md from "en" into "es"/);
    refused('xliff2', (t) => t.replace('trgLang="es"', 'trgLang="pt"'), '<file ', /into "pt"/);
    refused('xliff2', (t) => t.replace('ed:format="1"', 'ed:format="2"'), '<file ', /version 2 of the editions mapping/);
  });

  it('refuses a unit whose inline code has an unknown id, is unbalanced or lacks its id', () => {
    const unit = /(<trans-unit id="foreword-p2"[\s\S]*?<target[^>]*>)([\s\S]*?)(<\/target>)/;
    const inTarget = (f: (target: string) => string) => (t: string) => t.replace(unit, (_m, a: string, b: string, c: string) => a + f(b) + c);
    refused('xliff', inTarget((t) => t.replace('<ph id="4"', '<ph id="9"')), /<ph id="9"/, /the code id="9" of foreword-p2 is not a code of the unit/);
    refused('xliff', inTarget((t) => t.replace('<ept id="1">__</ept>', '')), /<target state="translated">.*apertura/, /<bpt id="1"> is never closed by its <ept>: the codes are unbalanced/);
    refused('xliff', inTarget((t) => t.replace('<ept id="3">_</ept>', '<ept id="2">_</ept>')), /<ept id="2">_<\/ept>/, /<ept id="2"> closes <bpt id="3">: the codes are unbalanced/);
    refused('xliff', inTarget((t) => t.replace('<ph id="4" ', '<ph ')), /<ph ctype/, /a <ph> code has no id/);
    refused('xliff2', (t) => t.replace(/(<unit id="foreword-p2"[\s\S]*?<target>[\s\S]*?)<ph id="4" dataRef="d\d+"/, '$1<ph id="4" dataRef="d99"'), /<ph id="4" dataRef="d99"/, /dataRef="d99" names no <data> of the unit/);
  });

  it('refuses split codes that are isolated, unbalanced or crossed, at their line:col', () => {
    const unit = /(<unit id="foreword-p2"[\s\S]*?<target>)([^\n]*?)(<\/target>)/;
    const inTarget = (f: (target: string) => string) => (t: string) => splitCodes(t).replace(unit, (_m, a: string, b: string, c: string) => a + f(b) + c);
    refused('xliff2', inTarget((t) => t.replace(/<sc id="1"/, '<sc id="1" isolated="yes"')), '<sc id="1" isolated', /<sc> is isolated: its <ec> is in another unit/);
    refused('xliff2', inTarget((t) => t.replace(/<sc id="1"[^>]*\/>/, '')), { nth: 2, of: '<ec startRef="1"' }, /<ec startRef="1"> closes no <sc> open before it: the codes are unbalanced/);
    refused('xliff2', inTarget((t) => t.replace(/<ec startRef="1"[^>]*\/>/, '')), { nth: 2, of: '<sc id="1"' }, /<sc id="1"> is never closed by its <ec>: the codes are unbalanced/);
    // The strong's end moved into the emphasis after it: __a _b__ c_ has no Markdown.
    refused(
      'xliff2',
      inTarget((t) => t.replace(/(<ec startRef="1"[^>]*\/>)(.*?<sc id="3"[^>]*\/>)/, '$2$1')),
      { nth: 2, of: '<ec startRef="1"' },
      /<ec startRef="1"> closes <sc id="1"> while <sc id="3"> is open inside it: the codes cross/,
    );
    // A pair opened inside a link's <pc> and closed after it.
    refused(
      'xliff2',
      (t) => t.replace(/(<pc id="2"[^>]*>apertura)<\/pc> de <pc id="1" dataRefStart="(d\d+)" dataRefEnd="(d\d+)"([^>]*)>ganancia compartida<\/pc>/, '$1<sc id="1" dataRef="$2"$4/></pc> de ganancia compartida<ec startRef="1" dataRef="$3"/>'),
      '<sc id="1"',
      /<sc id="1"> is not closed by its <ec> inside the <pc id="2"> it is in: the codes cross/,
    );
  });

  it('refuses a unit whose text would make Markdown of its own', () => {
    refused('xliff', (t) => t.replace('>Prólogo<', '>Prólogo\n\n# Otro<'), { nth: 1, of: '<trans-unit id="foreword"' }, /the target of foreword would not read back as written/);
    // Each block reads back, but the translation as a whole would not align: a heading's number changed.
    refused('xliff2', (t) => t.replace('<target>I. Situación', '<target>II. Situación'), { nth: 1, of: '<unit id="i"' }, /the target of i would break paper\.es\.md: the heading is numbered II\. but translates section i/);
  });

  it('refuses a file cut short, a duplicate unit, a DOCTYPE and an unknown entity', () => {
    refused('xliff', (t) => t.slice(0, t.indexOf('<trans-unit id="ii-p2"') + 40), 'end', /the file ends .*is it cut short\?/);
    refused('xliff2', (t) => t.slice(0, t.lastIndexOf('</unit>')), 'end', /the file ends inside <unit> \(line \d+\): is it cut short\?/);
    refused(
      'xliff',
      (t) => t.replace(/(\n {6}<trans-unit id="i"[\s\S]*?<\/trans-unit>)/, '$1$1'),
      { nth: 2, of: '<trans-unit id="i"' },
      /the unit i is given twice \(first at \d+:7\)/,
    );
    refused('xliff', (t) => t.replace('<xliff ', '<!DOCTYPE xliff [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<xliff ').replace('>Prólogo<', '>&x;<'), '<!DOCTYPE', /the file has a DOCTYPE/);
    refused('xliff2', (t) => t.replace('>Prólogo<', '>&x;<'), '&x;', /the entity reference "&x;" is not one XML defines/);
  });
});

describe('missing blocks', () => {
  it('inserts a missing heading, paragraph and list item after the text before them', () => {
    const source = copySource();
    cpSync(path.join(ROOT, 'tests', 'fixtures', 'corpus', 'partial-translation'), path.join(source, 'partial-translation'), { recursive: true });
    const es = path.join(source, 'partial-translation', 'paper.es.md');
    const before = read(es);
    cli(source, ['export', '--to', 'xliff', path.join(source, 'partial-translation')]);
    const file = path.join(path.dirname(source), 'translations', 'partial-translation', 'paper.es.xlf');
    const fill = (text: string, id: string, target: string) => text.replace(new RegExp(`(<trans-unit id="${id}"[\\s\\S]*?<target state="new">)`), `$1${target}`);
    let text = read(file);
    text = fill(text, 'iii-p2', 'Su segundo párrafo, *por fin*, está traducido.');
    text = fill(text, 'iii-p3', 'Ni este elemento,');
    text = fill(text, 'ii', 'II. Antecedentes');
    writeFileSync(file, text);
    const imported = cli(source, ['import', file, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stderr).toBe('');
    expect(JSON.parse(imported.stdout)[0]).toMatchObject({ changed: ['ii', 'iii-p2', 'iii-p3'], accepted: ['ii', 'iii-p2', 'iii-p3'] });
    const anchor = 'El primer párrafo de la tercera sección está traducido.\n';
    const section = 'Tiene un segundo párrafo, también traducido.\n';
    // Asterisks typed as text stay text: emphasis is a code of the source's, and this source has none.
    expect(read(es)).toBe(before.replace(section, `${section}\n# II. Antecedentes\n`).replace(anchor, `${anchor}\nSu segundo párrafo, \\*por fin\\*, está traducido.\n\n- Ni este elemento,\n`));
    const status = JSON.parse(runCli(['translations', 'status', '--json', path.join(source, 'partial-translation')]).stdout)[0];
    const was = JSON.parse(runCli(['translations', 'status', '--json', path.join(ROOT, 'tests', 'fixtures', 'corpus', 'partial-translation')]).stdout)[0];
    expect({ current: status.current, missing: status.missing }).toEqual({ current: was.current + 3, missing: was.missing - 3 });
  });
});

describe('--only', () => {
  it('exports only the stale and missing units, stale ones with the text they were translated from', () => {
    const source = copySource(REVISE_IV_2_3);
    cpSync(path.join(ROOT, 'tests', 'fixtures', 'corpus', 'partial-translation'), path.join(source, 'partial-translation'), { recursive: true });
    const r = cli(source, ['export', '--to', 'xliff', '--only', 'stale,missing', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const status = JSON.parse(runCli(['translations', 'status', '--json'], { cwd: path.dirname(source) }).stdout) as { file: string; language: string; stale: number; missing: number }[];
    for (const s of status) {
      const document = path.basename(path.dirname(s.file));
      const x = read(path.join(path.dirname(source), 'translations', document, `paper.${s.language}.xlf`));
      const states = [...x.matchAll(/<target state="([^"]+)"/g)].map((m) => m[1]);
      expect(states.filter((st) => st === 'needs-review-translation')).toHaveLength(s.stale);
      expect(states.filter((st) => st === 'new')).toHaveLength(s.missing);
      expect(states).toHaveLength(s.stale + s.missing);
    }
    const es = read(path.join(path.dirname(source), 'translations', 'china-lac-policy', 'paper.es.xlf'));
    expect([...es.matchAll(/<trans-unit id="([^"]+)"/g)].map((m) => m[1])).toEqual(['iv-2-3-p1']);
    expect(es).toMatch(/<note from="editions:previous-source" annotates="source">[^<]*It encourages Chinese commercial banks/);
    const partial = read(path.join(path.dirname(source), 'translations', 'partial-translation', 'paper.es.xlf'));
    expect(partial).toContain('<target state="new"></target>');
    expect(cli(source, ['export', '--to', 'xliff', '--only', 'stale,late']).status).toBe(2);
  });
});

describe('inline coder', () => {
  it('protects, and reports, an inline node type it does not know', () => {
    const text = 'a ^sup^ b';
    const at = (offset: number) => ({ line: 1, column: offset + 1, offset });
    const node = {
      type: 'paragraph',
      children: [
        { type: 'text', value: 'a ', position: { start: at(0), end: at(2) } },
        { type: 'superscript', children: [], position: { start: at(2), end: at(7) } },
        { type: 'text', value: ' b', position: { start: at(7), end: at(9) } },
      ],
      position: { start: at(0), end: at(9) },
    } as unknown as Paragraph;
    const coded = encodeBlock(node, text);
    expect(coded.parts).toEqual(['a ', { kind: 'ph', id: 1, type: 'superscript', md: '^sup^' }, ' b']);
    expect(coded.unknown).toEqual([{ type: 'superscript', place: at(2) }]);
  });
});
