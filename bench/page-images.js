#!/usr/bin/env node
// The page images the README shows: the title page, a body page, a bilingual page and a briefing
// packet's key-points page, of the PDF (drawn by poppler's pdftoppm) and of the DOCX (as
// LibreOffice lays it out, converted to PDF, then drawn the same way). Not a test: run
// `node bench/page-images.js` after `npm run build`, and commit bench/pages/. Needs poppler-utils
// and LibreOffice (soffice).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const out = path.join(root, 'bench', 'pages');
mkdirSync(out, { recursive: true });

/** [image name, output file in dist/, the page to draw (1-based), or a word that page holds]. */
const PAGES = [
  ['title', 'china-lac-policy/china-lac-policy.en', 1],
  ['body', 'china-lac-policy/china-lac-policy.en', 'It encourages Chinese'],
  ['bilingual', 'china-lac-policy/china-lac-policy.en+zh-Hans', 'It encourages Chinese'],
  ['key-points', 'packets/economic-trade.en+es', 'Key points'],
];

/** The first page of `pdf` whose text holds `word` (pdftotext, page by page). */
function pageWith(pdf, word) {
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))[1]);
  for (let p = 1; p <= pages; p++) {
    const text = execFileSync('pdftotext', ['-f', String(p), '-l', String(p), pdf, '-'], { encoding: 'utf8' });
    if (text.replace(/\u00ad-?\s*/g, '').replace(/\s+/g, ' ').includes(word)) return p;
  }
  throw new Error(`no page of ${pdf} holds "${word}"`);
}

function draw(pdf, page, name) {
  const p = typeof page === 'number' ? page : pageWith(pdf, page);
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(p), '-l', String(p), '-singlefile', pdf, path.join(out, name)]);
  console.log(`${name}.png: page ${p} of ${path.relative(root, pdf)}`);
}

const work = mkdtempSync(path.join(tmpdir(), 'page-images-'));
try {
  for (const [name, stem, page] of PAGES) {
    draw(path.join(dist, `${stem}.pdf`), page, `pdf-${name}`);
    execFileSync('soffice', ['--headless', '--convert-to', 'pdf', '--outdir', work, path.join(dist, `${stem}.docx`)], { stdio: 'ignore' });
    draw(path.join(work, `${path.basename(stem)}.pdf`), page, `docx-${name}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
