/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * Issue 15, the HTML part: every HTML output of both shared builds (each edition and packet, each
 * catalogue page), checked by axe-core in headless Chromium at 1280 and 375 px; and each bilingual
 * page read as a reader reads it: pair by pair, the original before its translation, each in its
 * own language, in the DOM, on the screen (side by side when wide, stacked when narrow) and from
 * the keyboard. One browser for the file and one page, reused: resized, not reloaded, between
 * the two widths. In CI a missing Chromium is a failure (helpers.haveTool).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, hasChromium, sharedBuild } from './helpers.js';

const WIDTHS = [1280, 375] as const;
const HEIGHT = 900;

/** Every HTML output of both shared builds, by its build and its path there. */
const FILES = (['repository', 'corpus'] as const).flatMap((build) => {
  const { out } = sharedBuild(build);
  return readdirSync(out, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((f) => ({ name: `${build}/${f}`, file: path.join(out, f) }));
});
/** The bilingual pages: `name.first+second.html`. */
const BILINGUAL = FILES.filter((f) => path.basename(f.file).includes('+'));

const chromium = hasChromium();
let browser: Browser;
let page: Page;
/** What the page asked for that is not in a file of its own build (a font, a script, a beacon). */
let requests: string[] = [];

beforeAll(async () => {
  if (!chromium) return;
  const { chromium: launcher } = await import('playwright-core');
  browser = await launcher.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  page = await browser.newPage({ viewport: { width: WIDTHS[0], height: HEIGHT } });
  page.on('request', (req) => {
    if (!/^(file|data):/.test(req.url())) requests.push(req.url());
  });
  // axe-core in every page the tab opens, before the page's own content.
  await page.context().addInitScript({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
});

afterAll(async () => {
  await browser?.close();
});

async function open(file: string, width: number = WIDTHS[0]): Promise<void> {
  requests = [];
  await page.setViewportSize({ width, height: HEIGHT });
  await page.goto(`file://${file}`);
}

/**
 * axe's findings on the page as it is now laid out: its default rules, which are the WCAG 2.0,
 * 2.1 and 2.2 A and AA rules and the best practices (the AAA and experimental ones are off).
 */
async function axeViolations(): Promise<string[]> {
  return page.evaluate(async () => {
    type Result = { violations: { id: string; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] };
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<Result> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ['violations'] });
    return violations.flatMap((v) => v.nodes.map((n) => `${v.id} at ${n.target.map(String).join(' ')}: ${v.help}`));
  });
}

describe.skipIf(!chromium)('axe-core in headless Chromium', () => {
  it('checks every HTML output of both builds: the editions, the packets, the catalogue pages', () => {
    const names = FILES.map((f) => f.name);
    expect(names).toContain('repository/index.html');
    expect(names).toContain('corpus/index.html');
    expect(names).toContain('repository/china-lac-policy/china-lac-policy.en+zh-Hans.html');
    expect(names).toContain('corpus/packets/scope-and-training.es+en.html');
    expect(FILES.length).toBeGreaterThanOrEqual(50);
    expect(BILINGUAL.length).toBeGreaterThanOrEqual(19);
  });

  // (A loop, not it.each: it.each cuts a long name short in the title.)
  for (const { name, file } of FILES) it(`reports no violations in ${name} at 1280 and 375 px, and it fetches nothing from outside`, async () => {
    await open(file, WIDTHS[0]);
    const found: string[] = [];
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: HEIGHT });
      // Laid out again at the new width before axe looks.
      expect(await page.evaluate(() => innerWidth)).toBe(width);
      found.push(...(await axeViolations()).map((v) => `${name} at ${width} px: ${v}`));
    }
    expect(found).toEqual([]);
    // It reads as it is: nothing fetched from outside its own build.
    expect(requests).toEqual([]);
  });

  it('lands a table-of-contents link on its section: IV.2.(3) scrolls to the top', async () => {
    await open(FILES.find((f) => f.name === 'repository/china-lac-policy/china-lac-policy.en.html')!.file);
    await page.click('nav.toc a[href="#iv-2-3"]');
    expect(await page.evaluate(() => location.hash)).toBe('#iv-2-3');
    const top = await page.evaluate(() => document.getElementById('iv-2-3')!.getBoundingClientRect().top);
    expect(Math.abs(top)).toBeLessThan(40);
  });
});

/** What the keyboard can reach: links, form controls, media controls, anything given a tabindex. */
const FOCUSABLE = 'a[href], button, input, select, textarea, [tabindex], summary, audio[controls], video[controls], [contenteditable]';

/** A box on the page, as measured. */
type Box = { left: number; right: number; top: number; bottom: number };

describe.skipIf(!chromium)('a bilingual page, read in order', () => {
  for (const { name, file } of BILINGUAL) it(`${name}: each pair, the original then its translation, each in its own language`, async () => {
    const [first, second] = path.basename(file, '.html').split('.').at(-1)!.split('+') as [string, string];
    // The single-language editions built beside it, where they were (a packet has none; an
    // incomplete translation's edition is not built): each side must read as its block there.
    const single = (lang: string) => {
      const f = file.replace(/\.[^.]+\.html$/, `.${lang}.html`);
      return existsSync(f) ? readFileSync(f, 'utf8') : null;
    };
    await open(file);
    const found = await page.evaluate(
      ({ first, second, singles }) => {
        const text = (e: Element) => {
          const copy = e.cloneNode(true) as Element;
          // Note references are numbered per page; the flag is the bilingual page's own; a block
          // nested in a block there (a list in a list item, with an ID of its own) is a pair of its own here.
          copy.querySelectorAll('sup, .flag, [id]').forEach((s) => s.remove());
          return (copy.textContent ?? '').replace(/\s+/g, ' ').trim();
        };
        const main = document.querySelector('main')!;
        const problems: string[] = [];
        const pairs = [...main.querySelectorAll('.pair')];
        const langs = pairs.flatMap((p) => [...p.children].map((c) => (c.classList.contains('side') ? c.getAttribute('lang') : `not a side: ${c.tagName}`)));
        // The two languages interleave, pair by pair: first, second, first, second...
        const want = pairs.flatMap(() => [first, second]);
        if (langs.join(' ') !== want.join(' ')) problems.push(`the sides read ${langs.join(' ')}`);
        for (const side of main.querySelectorAll('.side')) {
          if (side.getAttribute('xml:lang') !== side.getAttribute('lang')) problems.push(`a side has lang ${side.getAttribute('lang')} but xml:lang ${side.getAttribute('xml:lang')}`);
        }
        // No text in the body outside a side: every word is in one of the two languages, marked.
        const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          if (n.textContent!.trim() && !n.parentElement!.closest('.side')) problems.push(`text outside a side: ${n.textContent!.trim().slice(0, 40)}`);
        }
        // Each side reads as its block in that language's own edition.
        const parser = new DOMParser();
        const docs = singles.map((s) => (s ? parser.parseFromString(s, 'text/html') : null));
        let compared = 0;
        for (const pair of pairs) {
          const id = pair.id || (pair.classList.contains('heading-pair') ? pair.parentElement!.id : '');
          if (!id) continue;
          [...pair.children].forEach((side, i) => {
            const doc = docs[i];
            const there = doc?.getElementById(id);
            if (!doc || !there || !text(side)) return;
            const block = pair.classList.contains('heading-pair') ? there.querySelector(':scope > h1, :scope > h2, :scope > h3, :scope > h4, :scope > h5, :scope > h6')! : there;
            compared++;
            if (text(side) !== text(block)) problems.push(`${id}, side ${i + 1}: "${text(side).slice(0, 60)}" is not the ${[first, second][i]} edition's "${text(block).slice(0, 60)}"`);
          });
        }
        return { problems, pairs: pairs.length, compared, anySingle: docs.some(Boolean) };
      },
      { first, second, singles: [single(first), single(second)] },
    );
    expect(found.problems).toEqual([]);
    expect(found.pairs).toBeGreaterThan(2);
    if (found.anySingle) expect(found.compared).toBeGreaterThan(2);
  });

  for (const { name, file } of BILINGUAL) it(`${name}: side by side at 1280 px, stacked in reading order at 375 px`, async () => {
    await open(file);
    const measure = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('main .pair')].map((p) =>
          [...p.querySelectorAll(':scope > .side')].map((s) => {
            const r = s.getBoundingClientRect();
            return { left: r.left, right: r.right, top: r.top + scrollY, bottom: r.bottom + scrollY, empty: !s.textContent!.trim() };
          }),
        ),
      );
    const problems: string[] = [];
    const check = (width: number, pairs: (Box & { empty: boolean })[][]) => {
      let end = -Infinity;
      pairs.forEach((sides, n) => {
        const [a, b] = sides as [Box & { empty: boolean }, Box & { empty: boolean }];
        const where = `${width} px, pair ${n + 1}`;
        if (width === 1280) {
          // Two columns: the original on the left, its translation beside it, on the same line.
          if (!(a.right <= b.left)) problems.push(`${where}: the translation is not right of the original`);
          if (Math.abs(a.top - b.top) > 1) problems.push(`${where}: the two sides start at ${a.top} and ${b.top}`);
          if (Math.min(a.top, b.top) < end - 1) problems.push(`${where}: starts above the pair before it ends`);
          end = Math.max(a.bottom, b.bottom);
        } else {
          // One column: the original, then its translation under it, then the next pair.
          if (Math.abs(a.left - b.left) > 1 || b.right > width + 1) problems.push(`${where}: the sides are not one column in the viewport`);
          if (!a.empty && !b.empty && !(b.top >= a.bottom - 1)) problems.push(`${where}: the translation is not below the original`);
          if (a.top < end - 1) problems.push(`${where}: starts above the pair before it ends`);
          end = Math.max(a.bottom, b.bottom);
        }
      });
    };
    check(1280, await measure());
    await page.setViewportSize({ width: 375, height: HEIGHT });
    const narrow = await measure();
    check(375, narrow);
    // Nothing wider than the narrow screen: no sideways scrolling to read a column.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(problems).toEqual([]);
    expect(narrow.length).toBeGreaterThan(2);
  });

  for (const { name, file } of BILINGUAL) it(`${name}: Tab walks every link in reading order, each visibly focused, and on out of the page`, async () => {
    await open(file);
    // The focusable elements in DOM order (those shown), and none put out of it by a positive tabindex.
    const focusable = await page.evaluate((selector) => {
      const all = [...document.querySelectorAll<HTMLElement>(selector)];
      return {
        positive: all.filter((e) => e.tabIndex > 0).map((e) => e.outerHTML.slice(0, 80)),
        order: all.filter((e) => e.tabIndex >= 0 && e.getClientRects().length > 0).map((e) => e.outerHTML.slice(0, 120)),
      };
    }, FOCUSABLE);
    expect(focusable.positive).toEqual([]);
    expect(focusable.order.length).toBeGreaterThan(3);
    /** Where the focus is: its place among the focusable elements, its pair and side, its box and ring. */
    const focused = () =>
      page.evaluate((selector) => {
        const e = document.activeElement as HTMLElement | null;
        if (!e || e === document.body) return null;
        const shown = [...document.querySelectorAll<HTMLElement>(selector)].filter(
          (f) => f.tabIndex >= 0 && f.getClientRects().length > 0,
        );
        const style = getComputedStyle(e);
        const r = e.getBoundingClientRect();
        const pairs = [...document.querySelectorAll('main .pair')];
        const pair = e.closest('main .pair');
        const side = e.closest('.side');
        return {
          index: shown.indexOf(e),
          html: e.outerHTML.slice(0, 120),
          focusVisible: e.matches(':focus-visible'),
          // A ring the reader can see: an outline or a box shadow.
          ring: (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1) || style.boxShadow !== 'none',
          inView: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth && r.width > 0,
          pair: pair ? pairs.indexOf(pair) : -1,
          side: side && pair ? [...pair.children].indexOf(side) : -1,
          top: r.top + scrollY,
          left: r.left,
        };
      }, FOCUSABLE);
    type Stop = NonNullable<Awaited<ReturnType<typeof focused>>>;
    const stops: Stop[] = [];
    // Tab until the focus leaves the page or comes round to the first stop again (Chromium does
    // either), and no further than once past every element: a trap would keep it in a loop.
    for (let i = 0; i <= focusable.order.length; i++) {
      await page.keyboard.press('Tab');
      const stop = await focused();
      if (!stop || (stops.length > 0 && stop.index === stops[0]!.index)) break;
      stops.push(stop);
    }
    // Every focusable element, each once, in DOM order: none skipped, none out of place.
    expect(stops.map((s) => focusable.order[s.index] ?? s.html)).toEqual(focusable.order);
    // First the skip link, shown when focused (in view, below), leading to the text.
    expect(stops[0]!.html).toContain('class="skip"');
    const problems: string[] = [];
    stops.forEach((s, i) => {
      if (!s.focusVisible || !s.ring) problems.push(`${s.html}: no visible focus ring`);
      if (!s.inView) problems.push(`${s.html}: focused out of view`);
      const before = stops[i - 1];
      // In the text, each stop follows the one before as the page is read: a later pair, or the
      // same pair's same or later side; and on the screen, the same side below, or the next side right.
      if (before && s.pair >= 0 && before.pair >= 0) {
        if (s.pair < before.pair || (s.pair === before.pair && s.side < before.side)) problems.push(`${s.html}: focused after ${before.html}, which reads after it`);
        if (s.pair === before.pair && s.side === before.side && s.top < before.top - 30) problems.push(`${s.html}: above ${before.html}`);
        if (s.pair === before.pair && s.side > before.side && !(s.left > before.left)) problems.push(`${s.html}: in the translation, but not right of ${before.html}`);
      }
    });
    expect(problems).toEqual([]);
    // And back: Shift+Tab from the last stop walks the same way backwards.
    await page.evaluate(([selector, n]) => {
      const shown = [...document.querySelectorAll<HTMLElement>(selector)].filter(
        (f) => f.tabIndex >= 0 && f.getClientRects().length > 0,
      );
      shown[n]!.focus();
    }, [FOCUSABLE, stops.length - 1] as const);
    const back: number[] = [];
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Shift+Tab');
      back.push((await focused())?.index ?? -1);
    }
    expect(back).toEqual([stops.length - 2, stops.length - 3, stops.length - 4]);
  });
});
