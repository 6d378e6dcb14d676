/** Bilingual editions: each block beside its translation, paired by stable ID; stale text flagged. */
import { readFileSync, writeFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DocumentModel } from '../src/model/types.js';
import { repositoryBuild, copySource, hasPoppler, read, REVISE_IV_2_3, run, runCli, SOURCE, tempDir } from './helpers.js';

let out: string;
let models: DocumentModel[];

beforeAll(async () => {
  ({ out, models } = await repositoryBuild());
});

describe.each(['zh-Hans', 'es'])('the English + %s edition', (lang) => {
  const page = () => read(path.join(out, `china-lac-policy/china-lac-policy.en+${lang}.html`));

  it('pairs every block of the English with its translation, each side in its own language', () => {
    const html = page();
    const translation = models.find((m) => m.lang === lang)!;
    for (const b of translation.canonical!.blocks) {
      const pair = new RegExp(`<div class="pair" id="${b.id}"><div class="side" lang="en" xml:lang="en">[\\s\\S]*?</div><div class="side" lang="${lang}" xml:lang="${lang}">`);
      expect(html, b.id).toMatch(pair);
    }
    for (const s of translation.allSections) expect(html).toContain(`<section id="${s.id}">`);
  });

  it('shows both titles and the translation notice, and both headings in the contents', () => {
    const html = page();
    const translation = models.find((m) => m.lang === lang)!;
    expect(html).toContain(`<p class="parallel-title" lang="${lang}" xml:lang="${lang}">${translation.meta.title}</p>`);
    expect(html).toMatch(/<p class="notice" lang="[^"]+" xml:lang="[^"]+">/);
    expect(html).toContain(`<span class="parallel" lang="${lang}" xml:lang="${lang}">${translation.allSections[5]!.text}</span>`);
  });
});

describe('bilingual settings in editions.config.yaml', () => {
  it('put the translation first and alternate the languages when asked', async () => {
    const project = tempDir();
    writeFileSync(
      path.join(project, 'editions.config.yaml'),
      `sources: [${JSON.stringify(SOURCE)}]\nout: public\nformats: [html, docx, pdf]\nbilingual:\n  - languages: [zh-Hans, en]\n    layout: alternating\n`,
    );
    const r = runCli(['build', '-q'], { cwd: project });
    expect(r.status, r.stderr).toBe(0);
    const manifest = JSON.parse(read(path.join(project, 'public/manifest.json'))) as { outputs: { path: string; languages: string[]; edition: string }[] };
    const bilingual = manifest.outputs.filter((o) => o.edition === 'bilingual').map((o) => [o.path, o.languages.join('+')]);
    expect(bilingual).toEqual([
      ['china-lac-policy/china-lac-policy.en+es.docx', 'en+es'],
      ['china-lac-policy/china-lac-policy.en+es.html', 'en+es'],
      ['china-lac-policy/china-lac-policy.en+es.pdf', 'en+es'],
      ['china-lac-policy/china-lac-policy.zh-Hans+en.docx', 'zh-Hans+en'],
      ['china-lac-policy/china-lac-policy.zh-Hans+en.html', 'zh-Hans+en'],
      ['china-lac-policy/china-lac-policy.zh-Hans+en.pdf', 'zh-Hans+en'],
    ]);
    if (hasPoppler()) {
      // One column: each Chinese block, then its English, indented.
      const text = run('pdftotext', ['-raw', path.join(project, 'public/china-lac-policy/china-lac-policy.zh-Hans+en.pdf'), '-']).replace(/\u00ad-?\n/g, '').replace(/\s+/g, ' ');
      const zh = text.indexOf('拉美和加勒比地区历史悠久');
      const en = text.indexOf('Latin America and the Caribbean have a long history');
      const nextZh = text.indexOf('本地区国家积极探索适合本国国情的发展道路');
      expect(zh).toBeGreaterThan(0);
      expect(en).toBeGreaterThan(zh);
      expect(nextZh).toBeGreaterThan(en);
      // One running head a page, at its outer edge: the section in Chinese on a verso (an even
      // page, at the left), in English on a recto (at the right).
      const file = path.join(project, 'public/china-lac-policy/china-lac-policy.zh-Hans+en.pdf');
      const pages = Number(/^Pages: +(\d+)$/m.exec(run('pdfinfo', [file]))![1]);
      const heads = Array.from({ length: pages }, (_, i) => {
        const first = run('pdftotext', ['-layout', '-f', String(i + 1), '-l', String(i + 1), file, '-']).split('\n').find((l) => l.trim()) ?? '';
        return { page: i + 1, head: first.trim(), left: !/^\s{20}/.test(first) };
      }).filter((h) => /^(第|[一二三四五]、|[IV]+\. |Foreword|前言)/.test(h.head) || /^[一二三四五]、/.test(h.head));
      expect(heads.length).toBeGreaterThan(10);
      for (const h of heads) {
        const chinese = /\p{Script=Han}/u.test(h.head);
        expect({ page: h.page, chinese, left: h.left }, h.head).toEqual({ page: h.page, chinese: h.page % 2 === 0, left: h.page % 2 === 0 });
      }
    }
    const html = read(path.join(project, 'public/china-lac-policy/china-lac-policy.zh-Hans+en.html'));
    expect(html).toContain('<body class="bilingual alternating">');
    expect(html).toMatch(/<html xmlns="http:\/\/www.w3.org\/1999\/xhtml" lang="zh-Hans"/);
    expect(html).toMatch(/<div class="pair" id="i-p1"><div class="side" lang="zh-Hans" xml:lang="zh-Hans">[\s\S]*?<\/div><div class="side" lang="en" xml:lang="en">/);
    expect(read(path.join(project, 'public/china-lac-policy/china-lac-policy.en+es.html'))).toContain('<body class="bilingual">');
  });

  it('are checked like the rest of the config', () => {
    const project = tempDir();
    writeFileSync(path.join(project, 'editions.config.yaml'), `sources: [${JSON.stringify(SOURCE)}]\nbilingual:\n  - languages: [zh-Hans, en]\n    layout: interleaved\n`);
    const r = runCli(['check'], { cwd: project });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/editions\.config\.yaml:4:13: error: config key "bilingual\.0\.layout": .*\[config-schema\]/);
  });
});

describe('the catalogue page', () => {
  it('links every output in the manifest, grouped by edition, with a first-page picture of each PDF', () => {
    const dir = path.join(tempDir(), 'dist');
    expect(runCli(['build', '--out', dir, '-q']).status).toBe(0);
    const index = read(path.join(dir, 'index.html'));
    const manifest = JSON.parse(read(path.join(dir, 'manifest.json'))) as { outputs: { path: string; format: string }[] };
    for (const o of manifest.outputs) expect(index).toContain(`<a href="${o.path}">${o.format.toUpperCase()}</a>`);
    expect(index.match(/<h3>[^<]+<\/h3>/g)).toEqual([
      '<h3>English</h3>',
      '<h3>Spanish</h3>',
      '<h3>Chinese</h3>',
      '<h3>English and Spanish</h3>',
      '<h3>English and Chinese</h3>',
      '<h3>Briefing packet: English and Spanish</h3>',
      '<h3>Briefing packet: English and Chinese</h3>',
    ]);
    const pictures = [...index.matchAll(/<img src="data:image\/svg\+xml;base64,([^"]+)" alt="First page of ([^"]+)"/g)];
    expect(pictures.map((m) => m[2])).toEqual([
      'China’s Policy Paper on Latin America and the Caribbean (English)',
      'Documento sobre la Política de China hacia América Latina y el Caribe (Spanish)',
      '中国对拉丁美洲和加勒比政策文件 (Chinese)',
      'China’s Policy Paper on Latin America and the Caribbean (English and Spanish)',
      'China’s Policy Paper on Latin America and the Caribbean (English and Chinese)',
      'Economic and Trade Cooperation (Briefing packet: English and Spanish)',
      'Policy Goals and Political Cooperation (Briefing packet: English and Chinese)',
    ]);
    expect(Buffer.from(pictures[0]![1]!, 'base64').toString()).toContain(">China’s Policy Paper on Latin America ");
  });
});

describe('a stale translation in a bilingual edition', () => {
  it('is flagged on the page in a draft build, and fails a --strict build', () => {
    const source = copySource(REVISE_IV_2_3);
    const draft = path.join(tempDir(), 'dist');
    expect(runCli(['build', source, '--out', draft, '--format', 'html,pdf,docx', '-q']).status).toBe(0);
    const html = read(path.join(draft, 'china-lac-policy/china-lac-policy.en+es.html'));
    expect(html).toMatch(/<div class="pair" id="iv-2-3-p1">[\s\S]*?<p class="flag">Esta traducción se hizo a partir de un texto anterior del original\.<\/p><\/div><\/div>/);
    expect((html.match(/class="flag"/g) ?? []).length).toBe(1);
    // The economic packet sets IV.2.(3) from the same translation: flagged there too.
    const packet = read(path.join(draft, 'packets/economic-trade.en+es.html'));
    expect(packet.match(/<p class="flag">Esta traducción se hizo a partir de un texto anterior del original\.<\/p>/g)).toHaveLength(1);
    const docx = new TextDecoder().decode(unzipSync(readFileSync(path.join(draft, 'china-lac-policy/china-lac-policy.en+es.docx')))['word/document.xml']!);
    expect(docx.match(/Esta traducción se hizo a partir de un texto anterior del original\./g)).toHaveLength(1);
    if (hasPoppler()) {
      const text = run('pdftotext', ['-raw', path.join(draft, 'china-lac-policy/china-lac-policy.en+es.pdf'), '-']).replace(/\s+/g, ' ');
      expect(text.match(/Esta traducción se hizo a partir de un texto anterior del original\./g)).toHaveLength(1);
    }
    const strict = runCli(['build', source, '--out', path.join(tempDir(), 'dist'), '--strict']);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('[translation-stale]');
  });
});
