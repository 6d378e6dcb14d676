/**
 * The built outputs, checked by the real clients: the W3C Nu checker for HTML and epubcheck for
 * EPUB (axe-core in headless Chromium checks every HTML output in html-accessibility.test.ts).
 * In CI a missing tool is a failure (see helpers.haveTool); locally the tests that need it are
 * skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { EPUBCHECK_JAR, hasEpubcheck, hasVnu, sharedBuild, tempDir, VNU_JAR } from './helpers.js';

let out: string;
let files: string[];

beforeAll(() => {
  // The paper and the kitchen-sink fixture, which uses every construct the renderers know,
  // built once for the run (tests/global-setup.ts).
  out = sharedBuild('repository').out;
  files = readdirSync(out, { recursive: true, encoding: 'utf8' }).map((f) => path.join(out, f));
});

const byExt = (ext: string) => files.filter((f) => f.endsWith(ext)).sort();

describe.skipIf(!hasVnu())('W3C Nu checker', () => {
  it('finds no errors and no warnings in the HTML editions and the EPUB content documents', () => {
    const xhtmlDir = path.join(tempDir(), 'xhtml');
    mkdirSync(xhtmlDir);
    const targets = [...byExt('.html')];
    for (const epub of byExt('.epub')) {
      // nav.xhtml uses epub:type, which only epubcheck knows; it is checked there.
      const page = unzipSync(readFileSync(epub))['EPUB/paper.xhtml']!;
      const file = path.join(xhtmlDir, `${path.basename(epub, '.epub')}.xhtml`);
      writeFileSync(file, page);
      targets.push(file);
    }
    // The paper in English, Spanish and Chinese, its two bilingual editions, the two briefing
    // packets and the kitchen sink: HTML and EPUB each; and the catalogue page.
    expect(targets).toHaveLength(17);
    const r = spawnSync('java', ['-jar', VNU_JAR, '--format', 'json', '--also-check-css', ...targets], { encoding: 'utf8' });
    const messages = (JSON.parse(r.stderr).messages as { type: string; subType?: string; message: string; url: string; lastLine?: number }[])
      // Warnings come as type "info" with subType "warning"; plain infos are notes, not findings.
      .filter((m) => m.type !== 'info' || m.subType === 'warning')
      .map((m) => `${path.basename(m.url)}:${m.lastLine}: ${m.type}: ${m.message}`);
    expect(messages).toEqual([]);
  });
});

describe.skipIf(!hasEpubcheck())('epubcheck', () => {
  it.each([
    'china-lac-policy.en.epub',
    'china-lac-policy.es.epub',
    'china-lac-policy.zh-Hans.epub',
    'china-lac-policy.en+es.epub',
    'china-lac-policy.en+zh-Hans.epub',
    'kitchen-sink.en.epub',
    'economic-trade.en+es.epub',
    'political.en+zh-Hans.epub',
  ])('finds no errors and no warnings in %s', (name) => {
    const epub = byExt('.epub').find((f) => f.endsWith(name))!;
    const r = spawnSync('java', ['-jar', EPUBCHECK_JAR, epub], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toContain('Messages: 0 fatals / 0 errors / 0 warnings');
    expect(r.status).toBe(0);
  });
});
