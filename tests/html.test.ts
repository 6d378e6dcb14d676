import path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectGolden } from './golden.js';
import { read, ROOT, SOURCE } from './helpers.js';
import { renderFolder, type Rendered } from './render.js';

const KITCHEN_SINK = path.join(ROOT, 'tests', 'fixtures', 'docs', 'kitchen-sink');
const STYLE = /<style>\n([\s\S]*?)\n<\/style>/;

describe.each([
  ['china-lac-policy', path.join(SOURCE, 'china-lac-policy')],
  ['kitchen-sink', KITCHEN_SINK],
])('%s', (name, dir) => {
  let r: Rendered;
  beforeAll(async () => {
    r = await renderFolder(dir);
  });

  it('matches the golden HTML (the stylesheet aside: it is checked once, below)', () => {
    expectGolden(`${name}/${name}.en.html`, r.html.replace(STYLE, '<style>\n/* templates/html/style.css */\n</style>'));
  });

  it('embeds the stylesheet as it is', () => {
    expect(STYLE.exec(r.html)![1]).toBe(read(path.join(ROOT, 'templates/html/style.css')));
  });
  it('matches the golden EPUB package and navigation documents', () => {
    expectGolden(`${name}/epub/package.opf`, r.epubFiles.get('EPUB/package.opf')!);
    expectGolden(`${name}/epub/nav.xhtml`, r.epubFiles.get('EPUB/nav.xhtml')!);
  });

  it('is well-formed XML with the language on the root', () => {
    expect(XMLValidator.validate(r.html)).toBe(true);
    expect(r.html).toMatch(/^<!DOCTYPE html>\n<html xmlns="http:\/\/www.w3.org\/1999\/xhtml" lang="en" xml:lang="en" dir="ltr">/);
  });

  it('carries every section and block ID, each once', () => {
    const ids = [...r.html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    for (const s of r.model.allSections) expect(r.html).toContain(`<section id="${s.id}">`);
    for (const b of r.model.blocks) expect(ids).toContain(b.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('links every table-of-contents entry to its section', () => {
    const toc = /<nav class="toc"[\s\S]*?<\/nav>/.exec(r.html)![0];
    const targets = [...toc.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(targets).toEqual(r.model.allSections.map((s) => s.id));
  });

  it('packs the same page into the EPUB, mimetype first and stored', () => {
    expect([...r.epubFiles.keys()][0]).toBe('mimetype');
    expect(r.epubFiles.get('mimetype')).toBe('application/epub+zip');
    const header = Buffer.from(r.epub.subarray(0, 38));
    expect(header.readUInt32LE(0)).toBe(0x04034b50);
    expect(header.readUInt16LE(8)).toBe(0); // stored, not deflated
    expect(header.readUInt16LE(28)).toBe(0); // no extra field
    expect(header.subarray(30, 38).toString()).toBe('mimetype');
    // The same page, but for where images come from: data URLs in the HTML, packed files in the EPUB.
    const page = r.epubFiles.get('EPUB/paper.xhtml')!;
    const unsourced = (x: string) => x.replace(/ src="[^"]*"/g, ' src=""');
    expect(unsourced(page)).toBe(unsourced(r.html));
    for (const [, src] of page.matchAll(/ src="([^"]*)"/g)) expect(r.epubFiles.has(`EPUB/${src}`), src).toBe(true);
    for (const [, src] of r.html.matchAll(/ src="([^"]*)"/g)) expect(src).toMatch(/^data:image\/(png|jpeg);base64,/);
  });

  it('has the OPF metadata EPUB readers and catalogues need', () => {
    const opf = r.epubFiles.get('EPUB/package.opf')!;
    expect(opf).toMatch(/<dc:identifier id="uid">urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}<\/dc:identifier>/);
    expect(opf).toContain(`<dc:language>en</dc:language>`);
    expect(opf).toContain(`<dc:date>${r.model.meta.issued}</dc:date>`);
    expect(opf).toContain(`<meta property="dcterms:modified">${r.model.meta.revised ?? r.model.meta.issued}T00:00:00Z</meta>`);
    expect(opf).toContain('<meta property="schema:accessMode">textual</meta>');
  });
});

describe('the paper in HTML', () => {
  let r: Rendered;
  beforeAll(async () => {
    r = await renderFolder(path.join(SOURCE, 'china-lac-policy'));
  });

  it('nests headings under the title: h2 for I-V, h3 for the fields, h4 for the items', () => {
    expect(r.html.match(/<h1>/g)).toHaveLength(1);
    expect(r.html).toContain('<section id="iv-2-3">\n<h4>(3) Financial Cooperation</h4>');
    expect(r.html).toContain('<section id="iv-2">\n<h3>2. In the Economic Field</h3>');
    expect(r.html).toContain('<section id="foreword">\n<h2>Foreword</h2>');
    expect(r.html).toContain('<p id="iv-2-3-p1">The Chinese Government supports');
  });

  it('prints the title page and the colophon with every repair, linked to its paragraph', () => {
    expect(r.html).toContain('<p class="issued">Date of issue: <time datetime="2008-11-05">5 November 2008</time></p>');
    expect(r.html).toContain('Text as republished by USC US-China Institute on 20 April 2009');
    expect(r.html).toContain('<a href="#i-p2">I, paragraph 2</a>');
    expect(r.html).toContain('<a href="#iii-p5">III, paragraph 5</a>');
    expect(r.html).toContain('<a href="#iv-3-11-p1">IV.\u20603.\u2060(11), paragraph 1</a>: Corrected “for a on poverty alleviation”');
  });

  it('loads nothing from outside the file', () => {
    expect(r.html).not.toMatch(/<(link|script|img|iframe)\b/);
    expect(r.html).not.toMatch(/url\(/);
  });
});
