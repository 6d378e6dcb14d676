/// <reference lib="dom" />
/**
 * The built outputs, checked by the real clients: the W3C Nu checker for HTML, epubcheck for
 * EPUB, and axe-core in headless Chromium for accessibility. In CI a missing tool is a failure
 * (see helpers.haveTool); locally the tests that need it are skipped.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, EPUBCHECK_JAR, hasChromium, hasEpubcheck, hasVnu, sharedBuild, tempDir, VNU_JAR } from './helpers.js';

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

describe.skipIf(!hasChromium())('axe-core in headless Chromium', () => {
  it.each([
    ['china-lac-policy.en.html', 1280],
    ['china-lac-policy.en.html', 375],
    ['china-lac-policy.en+zh-Hans.html', 1280],
    ['china-lac-policy.en+es.html', 375],
    ['kitchen-sink.en.html', 1280],
    ['economic-trade.en+es.html', 1280],
    ['political.en+zh-Hans.html', 375],
    ['index.html', 1280],
  ])('reports no violations in %s at %i px', async (name, width) => {
    const { chromium } = await import('playwright-core');
    const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      const requests: string[] = [];
      page.on('request', (req) => {
        if (!req.url().startsWith('file:')) requests.push(req.url());
      });
      await page.goto(`file://${byExt('.html').find((f) => path.basename(f) === name)}`);
      await page.addScriptTag({ content: axeSource });
      const violations = await page.evaluate(async () => {
        const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; help: string; nodes: unknown[] }[] }> } }).axe.run();
        return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`);
      });
      expect(violations).toEqual([]);
      // It reads as it is: nothing fetched from outside the file.
      expect(requests).toEqual([]);
      // And its links land: the table of contents entry for IV.2.(3) scrolls to the section.
      if (name === 'china-lac-policy.en.html') {
        await page.click('nav.toc a[href="#iv-2-3"]');
        expect(await page.evaluate(() => location.hash)).toBe('#iv-2-3');
        const top = await page.evaluate(() => document.getElementById('iv-2-3')!.getBoundingClientRect().top);
        expect(Math.abs(top)).toBeLessThan(40);
      }
    } finally {
      await browser.close();
    }
  });
});
