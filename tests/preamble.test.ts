/** A text before its first heading (a memo's opening, or a memo with no headings) in every format. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { Report } from '../src/messages.js';
import { loadDocuments } from '../src/model/load.js';
import { EPUBCHECK_JAR, hasEpubcheck, hasPoppler, run, runCli, tempDir } from './helpers.js';

const FRONT = (title: string) => `---\ntitle: ${title}\nissuer: The Policy Unit\nissued: 2020-01-31\nlanguage: en\n---\n\n`;
const DOCS = {
  memo: `${FRONT('A Memo')}To the Minister, from the Policy Unit.\n\nA memo with no headings, and a list:\n\n- the first point;\n- the second point.\n`,
  brief: `${FRONT('A Brief')}Opening summary before any heading.\n\n# I. Background\n\nThe background, [see the opening](#preamble-p1).\n`,
};

let out: string;
beforeAll(() => {
  const src = path.join(tempDir(), 'source');
  for (const [id, text] of Object.entries(DOCS)) {
    mkdirSync(path.join(src, id), { recursive: true });
    writeFileSync(path.join(src, id, 'paper.en.md'), text);
  }
  out = path.join(src, '..', 'dist');
  const r = runCli(['build', src, '--out', out, '-q']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

const file = (id: string, ext: string) => path.join(out, id, `${id}.en.${ext}`);
const docxXml = (id: string) => new TextDecoder().decode(unzipSync(readFileSync(file(id, 'docx')))['word/document.xml']!);

describe('the preamble', () => {
  it('opens the HTML page, with its stable IDs, as a <div> (a <section> without a heading is one no reader can name)', () => {
    const brief = readFileSync(file('brief', 'html'), 'utf8');
    expect(brief).toMatch(/<div id="preamble">\s*<p id="preamble-p1">Opening summary before any heading\.<\/p>\s*<\/div>\s*<section id="i">/);
    expect(brief).toContain('<a href="#preamble-p1">see the opening</a>');
    // The contents list the headed sections only.
    expect(brief).toMatch(/<nav class="toc"[^]*href="#i"[^]*<\/nav>/);
    expect(brief).not.toMatch(/<nav class="toc"[^]*href="#preamble"[^]*<\/nav>/);
  });

  it('opens the bilingual page as a <div> of its block pairs, with no empty heading pair', () => {
    const src = path.join(tempDir(), 'source', 'brief');
    mkdirSync(src, { recursive: true });
    writeFileSync(path.join(src, 'paper.en.md'), DOCS.brief);
    const translation = `${FRONT('Un informe').replace('language: en', 'language: es\ntranslation:\n  of: en\n  translator: La Unidad\n  status: unofficial')}Resumen inicial.\n\n# I. Antecedentes\n\nLos antecedentes, [véase el inicio](#preamble-p1).\n`;
    writeFileSync(path.join(src, 'paper.es.md'), translation);
    const dist = path.join(tempDir(), 'dist');
    expect(runCli(['build', path.dirname(src), '--out', dist, '--format', 'html', '-q']).status).toBe(0);
    const page = readFileSync(path.join(dist, 'brief', 'brief.en+es.html'), 'utf8');
    expect(page).toMatch(/<main id="text">\s*<div id="preamble"><div class="pair" id="preamble-p1">/);
    expect(page).toMatch(/<\/div><\/div><\/div><section id="i"><div class="pair heading-pair">/);
  });

  it('leaves a memo without headings without a contents list in HTML, PDF and DOCX', () => {
    const memo = readFileSync(file('memo', 'html'), 'utf8');
    expect(memo).toContain('<p id="preamble-p1">To the Minister, from the Policy Unit.</p>');
    expect(memo).not.toContain('class="toc"');
    expect(docxXml('memo')).toContain('the second point.');
    expect(docxXml('memo')).not.toContain('Table of Contents');
    expect(docxXml('brief')).toContain('Table of Contents');
  });

  it.skipIf(!hasPoppler())('is printed, and a memo has no contents page', () => {
    const memo = run('pdftotext', [file('memo', 'pdf'), '-']);
    expect(memo).toContain('To the Minister, from the Policy Unit.');
    expect(memo).not.toContain('Contents');
    const brief = run('pdftotext', [file('brief', 'pdf'), '-']);
    expect(brief.indexOf('Opening summary before any heading.')).toBeLessThan(brief.lastIndexOf('I. Background'));
  });

  it.skipIf(!hasEpubcheck())('makes EPUBs that epubcheck passes, the memo with a one-entry navigation', () => {
    for (const id of Object.keys(DOCS)) {
      const r = spawnSync('java', ['-jar', EPUBCHECK_JAR, file(id, 'epub')], { encoding: 'utf8' });
      expect(r.stdout + r.stderr).toContain('0 fatals / 0 errors / 0 warnings');
    }
    const nav = new TextDecoder().decode(unzipSync(readFileSync(file('memo', 'epub')))['EPUB/nav.xhtml']!);
    expect(nav).toMatch(/<nav epub:type="toc"[^]*<li><a href="[^"]+#text">[^<]+<\/a><\/li>\s*<\/ol>/);
  });
});

describe('a translation of a text with a preamble', () => {
  const TRANSLATION = (body: string) =>
    `---\ntitle: Un resumen\nissuer: La Unidad\nissued: 2020-01-31\nlanguage: es\ntranslation:\n  of: en\n  translator: La Unidad\n  status: unofficial\n---\n\n${body}`;
  const problems = async (original: string, translation: string) => {
    const dir = path.join(tempDir(), 'brief');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'paper.en.md'), original);
    writeFileSync(path.join(dir, 'paper.es.md'), translation);
    const report = new Report();
    const models = await loadDocuments([dir], report);
    return { models, found: report.diagnostics.map((d) => `${path.basename(d.file ?? '')}:${d.place?.line ?? '-'} ${d.severity} ${d.ruleId}`) };
  };

  it('pairs its own preamble with the original\'s, and its first heading with the first section', async () => {
    const { models, found } = await problems(DOCS.brief, TRANSLATION('Resumen inicial.\n\n# I. Antecedentes\n\nLos antecedentes.\n'));
    expect(found.filter((f) => f.includes('error'))).toEqual([]);
    expect(models[1]!.blocks.map((b) => b.id)).toEqual(['preamble-p1', 'i-p1']);
  });

  it('may leave the preamble untranslated (a warning), but not add one the original lacks', async () => {
    const { found } = await problems(DOCS.brief, TRANSLATION('# I. Antecedentes\n\nLos antecedentes.\n'));
    expect(found).toContainEqual(expect.stringMatching(/^paper\.es\.md:\S+ warning translation-missing$/));
    expect(found.filter((f) => f.includes('error'))).toEqual([]);
    const extra = await problems(DOCS.brief.replace('Opening summary before any heading.\n\n', ''), TRANSLATION('Resumen.\n\n# I. Antecedentes\n\nLos antecedentes.\n'));
    expect(extra.found).toContain('paper.es.md:12 error translation-structure');
  });
});
