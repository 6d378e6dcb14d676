/**
 * A packet's glossary, read back from the HTML: each term with its one-line gloss from the
 * termbase in each language, and links to the paragraphs of the chosen sections that use it.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../src/model/types.js';
import { occurrences } from '../src/packets/model.js';
import { read, sharedBuild } from './helpers.js';

let out: string;
beforeAll(() => {
  out = sharedBuild('repository').out;
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

describe('the Chinese side of the political packet', () => {
  const zh = () =>
    [...read(path.join(out, 'packets/political.en+zh-Hans.html')).matchAll(/<div class="side" lang="zh-Hans"[^>]*>([\s\S]*?)<\/div>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, '').replace(/\u2060/g, ''));
  it('numbers its headings as the Chinese edition does, not with the Roman citations', () => {
    const sides = zh();
    for (const h of ['三、中国对拉美和加勒比的政策', '四、（一）政治领域', '1．高层交往', '2．立法机构交往', '6．地方政府交往', '五、中国与拉美和加勒比地区组织的关系']) expect(sides).toContain(h);
    expect(sides.filter((s) => /^(III|IV|V)\b/.test(s))).toEqual([]);
  });

  it('cites sections in its key points and background by the Chinese edition\'s numbers, though the packet writes the original\'s', () => {
    const sides = zh();
    const text = sides.join('\n');
    expect(text).toContain('增进政治互信（第三部分）。');
    expect(text).toContain('保持密切的高层交往（四（一）1），加强中国全国人民代表大会');
    expect(text).toContain('第二部分回顾了双方关系的发展历程');
    expect(text).toContain('第三部分阐述中国的政策及其目标，四（一）分六个方面提出政治领域合作，第五部分论述');
    // No Roman citation is left on the Chinese side (the English keeps them).
    expect(sides.filter((s) => /(?<![A-Za-z])[IVX]+(?![A-Za-z])/.test(s))).toEqual([]);
  });

  it('writes its sources entry in Chinese bibliographic style', () => {
    const entry = zh().find((s) => s.startsWith('中华人民共和国政府：'))!;
    expect(entry).toMatch(/^中华人民共和国政府：《中国对拉丁美洲和加勒比政策文件》，2008年11月5日。文本由USC US-China Institute转载（2009年4月20日）（https:\/\/china\.usc\.edu）。译者：本版编辑组。非官方译文/);
    expect(entry).not.toMatch(/\. |。 /);
    expect(entry).toContain('所收章节：三、四（一）、五');
  });
});

describe('finding a glossary term in the chosen paragraphs', () => {
  const blocks = (...texts: string[]): Block[] =>
    texts.map((value, i) => ({ id: `p${i + 1}`, sectionId: 's', kind: 'paragraph', node: { type: 'paragraph', children: [{ type: 'text', value }] } }));
  const found = (term: string, ...texts: string[]) => occurrences(term, blocks(...texts)).map((b) => b.id);

  it('finds whole words only, in any case, across a line break, and a plural', () => {
    expect(found('trade', 'A trademark law.', 'Trade grew.', 'Free trade, fair trade.')).toEqual(['p2', 'p3']);
    expect(found('free trade agreement', 'Free trade\nagreements were signed.', 'A free trade agreementary.')).toEqual(['p1']);
    expect(found('tax', 'Taxes rose.', 'A taxi.')).toEqual(['p1']);
  });

  it('drops the Spanish article the termbase writes, and reads a term written with signs literally', () => {
    expect(found('la cooperación Sur-Sur', 'Promover la cooperación Sur-Sur.', 'Ampliar cooperación Sur-Sur.', 'La cooperación Sur-Surera.')).toEqual(['p1', 'p2']);
    expect(found('C++ (ISO)', 'Written in C++ (ISO) only.', 'Written in C (ISO).')).toEqual(['p1']);
  });

  it('finds a Chinese term inside a run of characters, which has no spaces between words', () => {
    expect(found('互利共赢', '中国将在互利共赢的基础上积极考虑。', '互利合作。')).toEqual(['p1']);
  });
});
