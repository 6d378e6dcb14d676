/**
 * Smart typography read back from every format: curly quotes by language in the text, the
 * title and the colophon; straight quotes only in code; translation records untouched.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { curlText, glueCitations, quoteStyle } from '../src/model/typography.js';
import { Templates } from '../src/templating/engine.js';
import { loadStrings } from '../src/templating/i18n.js';
import { readdirSync } from 'node:fs';
import { hasPoppler, run, runCli, tempDir } from './helpers.js';

const EN = `---
title: "The Port's \\"Open Door\\""
issuer: Test Office
issued: 2020-01-01
language: en
editorial:
  note: The editors wrote "sic" where the copy's text was faulty.
---

# I. The "Open Door" Policy

The port's rule is "first come, first served", as the 'old hands' say; see [the "notice"](https://example.org) and *"the 'inner' quote"*.

- A list item's "quoted" word.

Code keeps its quotes: \`a = "x"\`.

\`\`\`
print('hi')
\`\`\`
`;

const ES = `---
title: La política de "puertas abiertas" del puerto
issuer: Oficina de prueba
issued: 2020-01-01
language: es
translation: { of: en, translator: Equipo de prueba, status: unofficial }
---

# I. La política de "puertas abiertas"

La regla del puerto es "el primero que llega, el primero que es atendido", como dicen los 'veteranos'; véase [el "aviso"](https://example.org) y *"la cita 'interior'"*.

- Una palabra "entre comillas" de la lista.

El código conserva sus comillas: \`a = "x"\`.

\`\`\`
print('hi')
\`\`\`
`;

/** Straight quotes in the code of each text: `a = "x"` and print('hi'). */
const IN_CODE = 4;

let out: string;
let source: string;

beforeAll(() => {
  source = path.join(tempDir(), 'source');
  mkdirSync(path.join(source, 'quotes'), { recursive: true });
  writeFileSync(path.join(source, 'quotes', 'paper.en.md'), EN);
  writeFileSync(path.join(source, 'quotes', 'paper.es.md'), ES);
  out = path.join(tempDir(), 'dist');
  const r = runCli(['build', source, '--out', out, '-q']);
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
});

const straight = (t: string) => (t.match(/["']/g) ?? []).length;
const htmlText = (s: string) =>
  s
    .replace(/<(script|style|code|pre)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;|&apos;/g, "'");
const docxText = (file: string) =>
  [...strFromU8(unzipSync(readFileSync(file))['word/document.xml']!).matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
    .map((m) => m[1])
    .join(' ')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'");
const epubText = (file: string) =>
  Object.entries(unzipSync(readFileSync(file)))
    .filter(([n]) => n.endsWith('.xhtml'))
    .map(([, b]) => htmlText(strFromU8(b)))
    .join(' ');

describe('curly quotes', () => {
  it('takes each language its house quotes: English “ ” ‘ ’, Spanish « » with “ ” inside and ‘ ’ for meanings, Chinese “ ” ‘ ’', () => {
    const templates = new Templates();
    const curl = (lang: string, text: string) => curlText(text, quoteStyle(loadStrings(templates, lang), lang));
    expect(curl('en', `"The port's 'rule'"`)).toBe('“The port’s ‘rule’”');
    expect(curl('es', `"La 'regla' del puerto"`)).toBe('«La “regla” del puerto»');
    // Outside a quotation, single quotes stay single (a word's meaning); an apostrophe stays one, inside or out.
    expect(curl('es', `'ojo' significa 'vista'; O'Higgins`)).toBe('‘ojo’ significa ‘vista’; O’Higgins');
    expect(curl('es', `"dijo 'la ley de O'Higgins' ayer", y 'fin'`)).toBe('«dijo “la ley de O’Higgins” ayer», y ‘fin’');
    expect(curl('zh-Hans', '"开放"政策')).toBe('“开放”政策');
    // A language with no strings of its own takes English quotes.
    expect(curlText('"a"', quoteStyle({ locale: 'fr' }, 'xx'))).toBe('“a”');
  });

  it('glues each citation of the original numbering with word joiners, where a line could break', () => {
    expect(glueCitations('(IV.2.(3)) and IV.2, III. and I.')).toBe('(IV.\u20602.\u2060(3)) and IV.\u20602, III. and I.');
    expect(glueCitations(glueCitations('IV.3.(11)'))).toBe('IV.\u20603.\u2060(11)');
    expect(glueCitations('VIVID. 2.5 and X.')).toBe('VIVID. 2.5 and X.');
  });

  it('leaves no straight quote in the HTML, EPUB and DOCX text but in code', () => {
    for (const lang of ['en', 'es', 'en+es']) {
      const html = htmlText(readFileSync(path.join(out, `quotes/quotes.${lang}.html`), 'utf8'));
      expect(straight(html), `${lang}.html`).toBe(0);
      expect(straight(epubText(path.join(out, `quotes/quotes.${lang}.epub`))), `${lang}.epub`).toBe(0);
      expect(straight(docxText(path.join(out, `quotes/quotes.${lang}.docx`))), `${lang}.docx`).toBe(IN_CODE * lang.split('+').length);
    }
    const en = htmlText(readFileSync(path.join(out, 'quotes/quotes.en.html'), 'utf8'));
    expect(en).toContain('The port’s rule is “first come, first served”, as the ‘old hands’ say');
    expect(en).toContain('The Port’s “Open Door”');
    expect(en).toContain('The editors wrote “sic” where the copy’s text was faulty.');
    const es = htmlText(readFileSync(path.join(out, 'quotes/quotes.es.html'), 'utf8'));
    expect(es).toContain('La regla del puerto es «el primero que llega, el primero que es atendido», como dicen los ‘veteranos’');
    // Across an emphasis: the quotation inside the quotation takes the Spanish inner quotes.
    expect(es).toContain('«la cita “interior”»');
    expect(es).toContain('La política de «puertas abiertas» del puerto');
    // Code keeps its straight quotes.
    expect(readFileSync(path.join(out, 'quotes/quotes.en.html'), 'utf8')).toMatch(/<code>a = (&quot;|")x(&quot;|")<\/code>/);
  });

  it.skipIf(!hasPoppler())('leaves no straight quote in the PDF text but in code', () => {
    for (const lang of ['en', 'es', 'en+es']) {
      const text = run('pdftotext', ['-enc', 'UTF-8', path.join(out, `quotes/quotes.${lang}.pdf`), '-']);
      expect(straight(text), `${lang}.pdf`).toBe(IN_CODE * lang.split('+').length);
      expect(text).toContain(lang === 'es' ? '«puertas abiertas»' : '“Open Door”');
    }
  });

  it("leaves the translation records' hashes as they were: the status before and after a build is the same", () => {
    const before = runCli(['translations', 'status', '--json', source]);
    const again = runCli(['build', source, '--out', path.join(tempDir(), 'dist'), '-q']);
    expect(again.status).toBe(0);
    const after = runCli(['translations', 'status', '--json', source]);
    expect(after.stdout).toBe(before.stdout);
    const accepted = runCli(['translations', 'accept', path.join(source, 'quotes', 'paper.es.md')]);
    expect(accepted.status).toBe(0);
    // The record hashes the text as written, straight quotes and all.
    const record = readFileSync(path.join(source, 'quotes', 'paper.es.sources.yaml'), 'utf8');
    expect(runCli(['translations', 'status', '--json', source]).stdout).toMatch(/"current": ?\d/);
    expect(record).toMatch(/i-p1: [0-9a-f]{16}/);
  });
});

describe("the repository's paper and packets", () => {
  it.skipIf(!hasPoppler())('have no straight quote in the text of any of their 28 outputs (HTML, EPUB, PDF, DOCX), and no citation split across lines in a PDF', () => {
    const dist = path.join(tempDir(), 'dist');
    expect(runCli(['build', '--out', dist, '-q']).status).toBe(0);
    const files = ['china-lac-policy', 'packets'].flatMap((d) => readdirSync(path.join(dist, d)).map((f) => path.join(dist, d, f)));
    expect(files).toHaveLength(28);
    const counts = files.map((f) => {
      const text = f.endsWith('.html')
        ? htmlText(readFileSync(f, 'utf8'))
        : f.endsWith('.epub')
          ? epubText(f)
          : f.endsWith('.docx')
            ? docxText(f)
            : run('pdftotext', ['-enc', 'UTF-8', f, '-']);
      return `${path.basename(f)} ${straight(text)}`;
    });
    expect(counts).toEqual(files.map((f) => `${path.basename(f)} 0`));
    // No citation split across lines: a line ending inside one ("(IV.2.") and the next going on with it ("(3))").
    for (const f of files.filter((f) => f.endsWith('.pdf'))) {
      const xml = execFileSync('pdftotext', ['-bbox-layout', f, '-'], { maxBuffer: 1 << 28 }).toString();
      const lines = [...xml.matchAll(/<line[^>]*>([\s\S]*?)<\/line>/g)].map((m) => [...m[1]!.matchAll(/<word[^>]*>([^<]*)<\/word>/g)].map((w) => w[1]).join(' '));
      const split = lines.filter((l, i) => /(^|[\s(（])[IVXLC]+\.(\d+\.)*$/.test(l) && /^(\d+\.|\(\d+\))/.test(lines[i + 1] ?? ''));
      expect(split, path.basename(f)).toEqual([]);
      // The joiners glue the lines; they are not in the text layer, which reads IV.2.(3) as written.
      expect(xml, path.basename(f)).not.toContain('\u2060');
    }
  });
});
