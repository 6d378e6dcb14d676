/**
 * Text a hostile contributor writes where the editions print it: front matter, headings and a
 * briefing packet's own text. Front-matter values are plain text in every format (no Markdown,
 * no bare-address links, in the PDF and the DOCX as in the HTML); the one link they make, the
 * source's website, must be a web address; raw HTML in a heading is left out of the heading
 * everywhere it is printed; a packet's text is checked as a document's is.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { copySource, hasPoppler, hasQpdf, ROOT, run, runCli, tempDir, type CliResult } from './helpers.js';

const FRONT = `---
title: "Title [click](https://evil.example/title) *em* <b>x</b>"
subtitle: "# Not a heading"
language: en
issuer: X
issued: 2024-01-01
source:
  publisher: P
  website: "https://ok.example/"
editorial:
  note: "See [here](https://evil.example/note), https://evil.example/bare and <script>x</script>"
---
`;
const BODY = '# One <span>raw</span> words\n\nText.\n';

let source: string;
let out: string;
let build: CliResult;

beforeAll(() => {
  source = path.join(tempDir('hostile-'), 'source');
  mkdirSync(path.join(source, 'doc'), { recursive: true });
  writeFileSync(path.join(source, 'doc', 'paper.en.md'), FRONT + BODY);
  out = path.join(tempDir(), 'dist');
  build = runCli(['build', source, '--out', out, '-q']);
}, 60_000);

const file = (ext: string) => path.join(out, 'doc', `doc.en.${ext}`);
const zipped = (ext: string, part: string) => new TextDecoder().decode(unzipSync(readFileSync(file(ext)))[part]!);

describe('front matter and headings', () => {
  it('build, with raw HTML reported at its place and nothing on the console from a library', () => {
    expect(build.status, build.stderr).toBe(0);
    expect(build.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('  hint: ') && !/^\d+ warnings?$/.test(l))).toEqual([
      expect.stringMatching(/paper\.en\.md:13:7: warning: raw HTML is not rendered in any edition and is left out \[unsupported-content\]$/),
      expect.stringMatching(/paper\.en\.md:13:16: warning: raw HTML is not rendered in any edition and is left out \[unsupported-content\]$/),
    ]);
  });

  it('link to nothing but the source\'s website, in any format', () => {
    const rels = zipped('docx', 'word/_rels/document.xml.rels');
    expect([...rels.matchAll(/Target="(https?:[^"]*)"/g)].map((m) => m[1])).toEqual(['https://ok.example/']);
    for (const ext of ['html']) {
      const hrefs = [...readFileSync(file(ext), 'utf8').matchAll(/href="(https?:[^"]*)"/g)].map((m) => m[1]);
      expect(new Set(hrefs)).toEqual(new Set(['https://ok.example/']));
    }
    const page = zipped('epub', 'EPUB/paper.xhtml');
    expect(new Set([...page.matchAll(/href="(https?:[^"]*)"/g)].map((m) => m[1]))).toEqual(new Set(['https://ok.example/']));
  });

  it.skipIf(!hasQpdf())('make the PDF\'s only web link the source\'s website', () => {
    const uris = [...run('qpdf', ['--json', '--json-key=qpdf', file('pdf')]).matchAll(/"\/URI": "u:([^"]*)"/g)].map((m) => m[1]);
    expect(uris).toEqual(['https://ok.example/']);
  });

  it.skipIf(!hasPoppler())('print front-matter values as they are written in the PDF and the DOCX', () => {
    const pdf = run('pdftotext', ['-raw', file('pdf'), '-']).replace(/\s+/g, ' ');
    const docx = zipped('docx', 'word/document.xml').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    for (const text of [pdf, docx]) {
      expect(text).toContain('# Not a heading');
      expect(text).toContain('See [here](https://evil.example/note), https://evil.example/bare and <script>x</script>');
    }
    expect(docx).toContain('Title [click](https://evil.example/title) *em* <b>x</b>');
  });

  it('leave raw HTML out of the heading in the contents, the bookmarks, the navigation and the DOCX', () => {
    const nav = zipped('epub', 'EPUB/nav.xhtml');
    expect(nav).toContain('>One raw words</a>');
    const docx = zipped('docx', 'word/document.xml').replace(/<[^>]+>/g, '');
    expect(docx).not.toContain('span');
    expect(readFileSync(file('html'), 'utf8')).not.toContain('&lt;span');
    if (hasPoppler()) expect(run('pdftotext', ['-raw', file('pdf'), '-'])).not.toContain('<span>');
  });

  it('refuse a website that is not a web address, at its place', () => {
    const bad = path.join(tempDir('hostile-'), 'source');
    cpSync(source, bad, { recursive: true });
    const paper = path.join(bad, 'doc', 'paper.en.md');
    writeFileSync(paper, readFileSync(paper, 'utf8').replace('"https://ok.example/"', '"javascript:alert(1)"'));
    const r = runCli(['check', bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('paper.en.md:9:12: error: front matter key "source.website": must be a web address beginning http:// or https:// [front-matter-schema]');
  });
});

describe('a translation\'s front matter', () => {
  it('refuses a website that is not a web address, at its place, as the original\'s', () => {
    const dir = copySource({ 'china-lac-policy/paper.es.md': (t) => t.replace('language: es\n', 'language: es\nsource:\n  publisher: P\n  website: "JavaScript:alert(1)"\n') });
    const r = runCli(['check', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('paper.es.md:8:12: error: front matter key "source.website": must be a web address beginning http:// or https:// [front-matter-schema]');
  });
});

describe('a briefing packet\'s own text', () => {
  it('is checked as a document\'s is: raw HTML and links no reader can follow are reported at their place in the packet file', () => {
    const dir = path.join(tempDir('hostile-'), 'source');
    cpSync(path.join(ROOT, 'tests', 'fixtures', 'corpus', 'packet-images'), dir, { recursive: true });
    const packet = path.join(dir, 'packets', 'charts.yaml');
    const text = readFileSync(packet, 'utf8');
    writeFileSync(packet, text.replace('(I). ![Bar chart](fields.png)"', '(I). [x](javascript:alert(1)) <b>raw</b>"'));
    const line = text.split('\n').findIndex((l) => l.includes('- en: "The first section')) + 1;
    const dist = path.join(tempDir(), 'dist');
    const r = runCli(['build', dir, '--out', dist, '-q', '-f', 'html']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`charts.yaml:${line}:44: warning: the link to "javascript:alert(1)" cannot be followed in the editions (readers do not open "javascript:" addresses); its text is kept, unlinked [unsupported-content]`);
    expect(r.stderr).toContain(`charts.yaml:${line}:69: warning: raw HTML is not rendered in any edition and is left out [unsupported-content]`);
    expect(r.stderr).toContain(`charts.yaml:${line}:75: warning: raw HTML is not rendered in any edition and is left out [unsupported-content]`);
    expect(readFileSync(path.join(dist, 'packets', 'charts.en+es.html'), 'utf8')).not.toContain('javascript:');
  });
});

describe('schemes the project config allows', () => {
  const doc = '---\ntitle: DOI\nissuer: X\nissued: 2024-01-01\nlanguage: en\n---\n# One\n\nSee [the handbook](doi:10.1000/182) and [the site](https://example.org/).\n';

  it('are links in every format, and only then', () => {
    const root = tempDir('schemes-');
    const source = path.join(root, 'source');
    mkdirSync(path.join(source, 'doc'), { recursive: true });
    writeFileSync(path.join(source, 'doc', 'paper.en.md'), doc);
    const config = path.join(root, 'editions.config.yaml');
    writeFileSync(config, 'links:\n  schemes: [doi]\n');
    const allowed = path.join(root, 'allowed');
    const r = runCli(['build', source, '--config', config, '--out', allowed, '-q']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const at = (dist: string, ext: string) => path.join(dist, 'doc', `doc.en.${ext}`);
    expect(readFileSync(at(allowed, 'html'), 'utf8')).toContain('<a href="doi:10.1000/182">the handbook</a>');
    expect(new TextDecoder().decode(unzipSync(readFileSync(at(allowed, 'epub')))['EPUB/paper.xhtml']!)).toContain('<a href="doi:10.1000/182">the handbook</a>');
    expect(new TextDecoder().decode(unzipSync(readFileSync(at(allowed, 'docx')))['word/_rels/document.xml.rels']!)).toContain('Target="doi:10.1000/182"');
    expect(readFileSync(at(allowed, 'pdf'), 'latin1')).toContain('/URI (doi:10.1000/182)');

    const plain = path.join(root, 'plain');
    const without = runCli(['build', source, '--out', plain, '-q']);
    expect(without.status, without.stderr).toBe(0);
    expect(without.stderr).toContain('paper.en.md:9:5: warning: the link to "doi:10.1000/182" cannot be followed in the editions (readers do not open "doi:" addresses); its text is kept, unlinked [unsupported-content]');
    expect(readFileSync(at(plain, 'html'), 'utf8')).not.toContain('href="doi:');
    expect(readFileSync(at(plain, 'pdf'), 'latin1')).not.toContain('/URI (doi:');
  });

  it('never include one that runs script or opens files, or one not written as a scheme, refused at its place', () => {
    const root = tempDir('schemes-');
    const config = path.join(root, 'editions.config.yaml');
    writeFileSync(config, 'links:\n  schemes: [doi, javascript, data]\n');
    const r = runCli(['check', '--config', config]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('editions.config.yaml:2:18: error: "javascript:" links run script or open local files, and are never allowed [config-content]');
    expect(r.stderr).toContain('editions.config.yaml:2:30: error: "data:" links run script or open local files, and are never allowed [config-content]');
    writeFileSync(config, 'links:\n  schemes: [doi, Doi]\n');
    expect(runCli(['check', '--config', config]).stderr).toContain('editions.config.yaml:2:18: error: config key "links.schemes.1": must be a URI scheme in lower case, without the colon, such as doi [config-schema]');
  });
});
