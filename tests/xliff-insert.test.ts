/**
 * An import adds the blocks a partial translation lacks (insert.ts): headings, paragraphs, list
 * items, quoted paragraphs and tables, written as the original writes them, each where the
 * original has it; what cannot be placed is said, and nothing is written when a block would not
 * stand as in the original.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { read, runCli, tempDir } from './helpers.js';

const FRONT = (lang: string, extra = '') => `---\ntitle: Block Kinds\nissuer: Test Office\nissued: 2020-01-01\nlanguage: ${lang}\n${extra}---\n\n`;

const ENGLISH = `${FRONT('en')}# I. Scope

The first section is translated.

# II. Measures

The second section opens with a paragraph.

- A first item,
- a second item.

1. An ordered item,
   on two lines.
2. Another ordered item.

> A quoted paragraph.
>
> Its second paragraph.

| Term | Meaning |
| --- | --- |
| trade | exchange of goods |

\`\`\`text
code stays as it is
\`\`\`

A paragraph with a note.[^n]

[^n]: The note.

## 1. Detail

The last paragraph.
`;

const SPANISH_FRONT = FRONT('es', 'translation: { of: en, translator: Prueba, status: unofficial }\n');

/** A project with the English and `spanish` (after its front matter), the Spanish accepted as it stands. */
function project(spanish: string): { dir: string; es: string } {
  const dir = tempDir();
  const doc = path.join(dir, 'source', 'kinds');
  mkdirSync(doc, { recursive: true });
  writeFileSync(path.join(doc, 'paper.en.md'), ENGLISH);
  const es = path.join(doc, 'paper.es.md');
  writeFileSync(es, SPANISH_FRONT + spanish);
  const accepted = runCli(['translations', 'accept', es], { cwd: dir });
  if (accepted.status !== 0) throw new Error(accepted.stderr);
  return { dir, es };
}

const cli = (dir: string, args: string[]) => runCli(['translations', ...args], { cwd: dir });

/**
 * The XLIFF 1.2 file with the units' targets written as a CAT tool does: the source copied, its
 * codes kept, words replaced. `[id, [[from, to], ...]]`.
 */
function translate(file: string, units: [string, [string, string][]][]): { text: string; lineOf: (id: string) => number } {
  let text = readFileSync(file, 'utf8');
  for (const [id, words] of units) {
    text = text.replace(new RegExp(`(<trans-unit id="${id}"[^>]*>\\s*<source[^>]*>)([\\s\\S]*?)(</source>[\\s\\S]*?<target state="new">)(</target>)`), (_m, open: string, source: string, between: string, close: string) => {
      let target = source;
      for (const [from, to] of words) {
        if (!target.includes(from)) throw new Error(`${id}: no "${from}" in ${source}`);
        target = target.replace(from, to);
      }
      return `${open}${source}${between}${target}${close}`;
    });
  }
  writeFileSync(file, text);
  return { text, lineOf: (id) => text.split('\n').findIndex((l) => l.includes(`<trans-unit id="${id}"`)) + 1 };
}

function exported(dir: string): string {
  const r = cli(dir, ['export', '--to', 'xliff']);
  expect(r.status, r.stderr).toBe(0);
  return path.join(dir, 'translations', 'kinds', 'paper.es.xlf');
}

const FIRST = `# I. Alcance

La primera sección está traducida.

# II. Medidas

La segunda sección comienza con un párrafo.

- Un primer elemento,
`;

describe('an import into a translation that stops short', () => {
  it('inserts list items, an ordered list, a quote, a table, a code block and a section as the original writes them', () => {
    const { dir, es } = project(FIRST);
    const file = exported(dir);
    const { lineOf } = translate(file, [
      ['ii-p3', [['a second item.', 'un segundo elemento.']]],
      ['ii-p4', [['An ordered item,\non two lines.', 'Un elemento ordenado,\nen dos líneas.']]],
      ['ii-p5', [['Another ordered item.', 'Otro elemento ordenado.']]],
      ['ii-p6', [['A quoted paragraph.', 'Un párrafo citado.']]],
      ['ii-p7', [['Its second paragraph.', 'Su segundo párrafo.']]],
      ['ii-p8', [['Term', 'Término'], ['Meaning', 'Significado'], ['trade', 'comercio'], ['exchange of goods', 'intercambio de bienes']]],
      // The note is not in the Spanish yet: this paragraph waits for it.
      ['ii-p10', [['A paragraph with a note.', 'Un párrafo con una nota.']]],
      ['ii-1', [['1. Detail', '1. Detalle']]],
      ['ii-1-p1', [['The last paragraph.', 'El último párrafo.']]],
    ]);
    const imported = cli(dir, ['import', file, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    const ids = ['ii-p3', 'ii-p4', 'ii-p5', 'ii-p6', 'ii-p7', 'ii-p8', 'ii-p9', 'ii-1', 'ii-1-p1'];
    expect(JSON.parse(imported.stdout)[0]).toMatchObject({ changed: ids, accepted: ids });
    expect(imported.stderr).toContain(`paper.es.xlf:${lineOf('ii-p10')}:7: warning: ii-p10 was not imported: its target marks the note [^n], which paper.es.md does not have [xliff]`);
    expect(read(es)).toBe(
      `${SPANISH_FRONT}${FIRST}- un segundo elemento.

1. Un elemento ordenado,
   en dos líneas.
2. Otro elemento ordenado.

> Un párrafo citado.
>
> Su segundo párrafo.

| Término | Significado |
| --- | --- |
| comercio | intercambio de bienes |

\`\`\`text
code stays as it is
\`\`\`

## 1. Detalle

El último párrafo.
`,
    );
    // The file reads as the original's blocks, each current.
    const status = JSON.parse(cli(dir, ['status', '--json']).stdout)[0];
    expect({ current: status.current, stale: status.stale, missing: status.missing }).toEqual({ current: 14, stale: 0, missing: 1 });
    const checked = runCli(['check'], { cwd: dir });
    expect(checked.status, checked.stderr).toBe(0);
    expect(checked.stderr.match(/\[translation-missing\]/g)).toHaveLength(1);
    expect(checked.stderr).toContain('warning: ii-p10 is not translated');
  });

  it("writes an inserted code block's target between the original's fences", () => {
    const { dir, es } = project(FIRST.replace('- Un primer elemento,\n', '- Un primer elemento,\n- un segundo elemento.\n\n1. Un elemento ordenado,\n   en dos líneas.\n2. Otro elemento ordenado.\n\n> Un párrafo citado.\n>\n> Su segundo párrafo.\n\n| Término | Significado |\n| --- | --- |\n| comercio | intercambio de bienes |\n'));
    const file = exported(dir);
    let text = readFileSync(file, 'utf8');
    // A code unit is translate="no": the CAT tool leaves it empty unless the translator writes it.
    expect(text).toMatch(/<trans-unit id="ii-p9"[^>]* translate="no"/);
    text = text.replace(/(<trans-unit id="ii-p9"[\s\S]*?<target state="new">)(<\/target>)/, '$1el código traducido$2');
    writeFileSync(file, text);
    const imported = cli(dir, ['import', file, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)[0]).toMatchObject({ changed: ['ii-p9'] });
    expect(read(es)).toMatch(/\| comercio \| intercambio de bienes \|\n\n```text\nel código traducido\n```\n$/);
  });

  it('leaves out the rest of a section after a block without a target, and goes on at the next heading', () => {
    const { dir, es } = project(FIRST);
    const file = exported(dir);
    const { lineOf } = translate(file, [
      ['ii-p4', [['An ordered item,\non two lines.', 'Un elemento ordenado,\nen dos líneas.']]],
      ['ii-1', [['1. Detail', '1. Detalle']]],
    ]);
    const imported = cli(dir, ['import', file, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)[0]).toMatchObject({ changed: ['ii-1'] });
    expect(imported.stderr).toContain(`paper.es.xlf:${lineOf('ii-p4')}:7: warning: ii-p4 was not imported: paper.es.md lacks ii-p3 before it, whose unit has no target [xliff]`);
    expect(imported.stderr).toContain('hint: translate ii-p3 too, or write {.untranslated} in its place in paper.es.md, then import again');
    expect(read(es)).toBe(`${SPANISH_FRONT}${FIRST}\n## 1. Detalle\n`);
  });

  it('says that nothing after a heading without a target can be placed', () => {
    const { dir } = project(FIRST.replace(/\n# II[\s\S]*$/, ''));
    const file = exported(dir);
    const { lineOf } = translate(file, [['ii-p1', [['The second section opens with a paragraph.', 'La segunda sección comienza.']]]]);
    const imported = cli(dir, ['import', file]);
    expect(imported.status, imported.stderr).toBe(0);
    expect(imported.stderr).toContain(`paper.es.xlf:${lineOf('ii-p1')}:7: warning: ii-p1 was not imported: paper.es.md lacks the heading ii before it, whose unit has no target [xliff]`);
  });

  it('replaces a placeholder with its target, keeping the list marker the translation writes', () => {
    const { dir, es } = project(FIRST.replace('- Un primer elemento,\n', '* {.untranslated}\n* un segundo elemento.\n'));
    const file = exported(dir);
    translate(file, [['ii-p2', [['A first item,', 'Un primer elemento,']]]]);
    const imported = cli(dir, ['import', file, '--json']);
    expect(imported.status, imported.stderr).toBe(0);
    expect(JSON.parse(imported.stdout)[0]).toMatchObject({ changed: ['ii-p2'] });
    expect(read(es)).toBe(SPANISH_FRONT + FIRST.replace('- Un primer elemento,\n', '* Un primer elemento,\n* un segundo elemento.\n'));
  });

  it('writes nothing when an inserted block would not stand as in the original, and says so at its unit', () => {
    // The Spanish marks its list with "*": an item written "- " after it would open a list of its own.
    const { dir, es } = project(FIRST.replace('- Un primer', '* Un primer'));
    const before = read(es);
    const file = exported(dir);
    const { lineOf } = translate(file, [['ii-p3', [['a second item.', 'un segundo elemento.']]]]);
    const imported = cli(dir, ['import', file]);
    expect(imported.status).toBe(1);
    expect(imported.stderr).toContain(`paper.es.xlf:${lineOf('ii-p3')}:7: error: ii-p3, inserted, would not stand in paper.es.md as in paper.en.md: there it is list(ii-p2)>item 2>paragraph, here list(ii-p3)>item 1>paragraph [xliff]`);
    expect(read(es)).toBe(before);
  });
});
