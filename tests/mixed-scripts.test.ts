/**
 * Chinese quoted in an English text is marked with its language in the HTML and EPUB (a span
 * with lang) and in the DOCX (w:eastAsia on its runs, Noto Serif SC as the East Asian font), as
 * the PDF sets it in the CJK fallback font with a Lang (tests/pdf-corpus.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasVnu, ROOT, runCli, tempDir, VNU_JAR } from './helpers.js';

const SOURCE = path.join(ROOT, 'tests', 'fixtures', 'corpus', 'mixed-scripts');
const MARKDOWN = readFileSync(path.join(SOURCE, 'paper.en.md'), 'utf8');
/** Every run of Chinese characters in the source's body (after the front matter). */
const QUOTED = [...MARKDOWN.slice(MARKDOWN.indexOf('\n---', 4)).matchAll(/[\u3400-\u9fff]+/g)].map((m) => m[0]);

let out: string;
beforeAll(() => {
  out = path.join(tempDir(), 'dist');
  const r = runCli(['build', SOURCE, '--out', out, '--format', 'html,epub,docx', '-q']);
  expect(r.status, r.stderr).toBe(0);
});
const file = (ext: string) => path.join(out, 'mixed-scripts', `mixed-scripts.en.${ext}`);

describe('Chinese quoted in an English text', () => {
  it('is in the source more than once (the fixture is what it says)', () => {
    expect(QUOTED.length).toBeGreaterThanOrEqual(3);
  });

  it('is a span of its language wherever it stands in the HTML body, and in the EPUB', () => {
    const html = readFileSync(file('html'), 'utf8');
    const body = html.slice(html.indexOf('<main'));
    const spans = [...body.matchAll(/<span lang="zh-Hans" xml:lang="zh-Hans">([^<]+)<\/span>/g)].map((m) => m[1]);
    // Each quoted run is marked; no Chinese character stands outside a span (attributes aside).
    for (const q of QUOTED) expect(spans).toContain(q);
    expect(body.replace(/<span lang="zh-Hans" xml:lang="zh-Hans">[^<]+<\/span>/g, '').replace(/"[^"]*"/g, '')).not.toMatch(/[\u3400-\u9fff]/);
    const page = Object.entries(unzipSync(readFileSync(file('epub')))).find(([name]) => name.endsWith('.xhtml') && !name.endsWith('nav.xhtml'))!;
    expect(new TextDecoder().decode(page[1])).toContain(`<span lang="zh-Hans" xml:lang="zh-Hans">${QUOTED[0]}</span>`);
  });

  it.skipIf(!hasVnu())('leaves the page valid for the Nu checker', () => {
    const r = spawnSync('java', ['-jar', VNU_JAR, '--errors-only', file('html')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('carries w:eastAsia on every DOCX run that quotes it, and Noto Serif SC as the East Asian font', () => {
    const parts = unzipSync(readFileSync(file('docx')));
    const xml = new TextDecoder().decode(parts['word/document.xml']);
    const runs = [...xml.matchAll(/<w:r>(?:(?!<\/w:r>).)*?<w:t[^>]*>([^<]*)<\/w:t><\/w:r>/g)];
    const quoting = runs.filter((r) => /[\u3400-\u9fff]/.test(r[1]!));
    expect(quoting.length).toBeGreaterThanOrEqual(QUOTED.length);
    for (const r of quoting) expect(r[0]).toContain('<w:lang w:val="en-US" w:eastAsia="zh-CN"/>');
    expect(runs.filter((r) => !/[\u3400-\u9fff]/.test(r[1]!)).every((r) => !r[0].includes('w:eastAsia'))).toBe(true);
    expect(new TextDecoder().decode(parts['word/styles.xml'])).toContain('w:eastAsia="Noto Serif SC"');
  });
});
