/**
 * A packet's glossary, read back from the HTML: each term with its one-line gloss from the
 * termbase in each language, and links to the paragraphs of the chosen sections that use it.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { read, runCli, tempDir } from './helpers.js';

let out: string;
beforeAll(() => {
  out = path.join(tempDir(), 'dist');
  const r = runCli(['build', '--out', out, '--format', 'html', '-q']);
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
});

describe.each([
  ['economic-trade', 'en+es', 12],
  ['political', 'en+zh-Hans', 12],
])('the glossary of the %s packet', (id, langs, count) => {
  it('glosses every term in both languages and cites the paragraphs of the chosen sections that use it', () => {
    const page = read(path.join(out, `packets/${id}.${langs}.html`));
    const ids = new Set([...page.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]));
    const entries = [...page.matchAll(/<div class="side" lang="([^"]+)"[^>]*><p><strong>([^<]+)<\/strong>(.*?)<\/p><\/div>/g)].filter((m) => /glossary/.test(page.slice(page.lastIndexOf('<div class="pair" id="', m.index), m.index)));
    expect(entries).toHaveLength(count * 2);
    let cited = 0;
    for (const [, lang, term, rest] of entries) {
      // The gloss: after the language's colon, a sentence of its own.
      expect(rest, `${lang} ${term}`).toMatch(lang === 'zh-Hans' ? /^：[^<]+。/ : /^: [^<]+\./);
      const links = [...rest!.matchAll(/<a href="#([^"]+)">/g)].map((m) => m[1]!);
      for (const target of links) {
        expect(ids.has(target), `${term} cites #${target}`).toBe(true);
        // Only the chosen sections' paragraphs: not the packet's own key points or background.
        expect(target).not.toMatch(/^(key-points|background)-/);
      }
      cited += links.length > 0 ? 1 : 0;
    }
    // Most terms are found as the termbase writes them; a few are worded otherwise in the chosen
    // text (“infrastructure development”, “tratados de libre comercio”) and cite nothing.
    expect(cited).toBeGreaterThanOrEqual(count * 2 - 6);
  });
});
