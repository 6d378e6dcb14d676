/**
 * What the docx library cannot be asked for, done on the finished package: headers and footers,
 * a table of contents filled in and wrapped as a document part, unique bookmark and drawing ids,
 * list levels 6-8, the language in core.xml, and everything that made two builds differ (dates,
 * random relationship ids, zip entry times).
 */
import { unzipSync } from 'fflate';
import { escapeAttribute, escapeText } from '../../shared/xml.js';
import { runLanguage } from './builders.js';
import { byCodePoint } from '../../shared/order.js';
import { zip } from '../../shared/zip.js';
import { bookmarkPages } from './layout.js';
import { embedFonts, packageText, type EmbeddableFont } from './embed.js';

export interface TocEntry {
  /** The bookmark name of the section (its stable ID, shortened where Word needs it). */
  bookmark: string;
  text: string;
  depth: number;
}

export interface PackageOptions {
  title: string;
  lang: string;
  date: Date;
  generator: string;
  contentsTitle: string;
  /** "Page {page} of {pages}" */
  pageOf: string;
  toc: readonly TocEntry[];
  /** Text of the paragraph that marks where the contents go. */
  tocMarker: string;
  /** Right edge of the text area in twips, for the page numbers' tab stop. */
  tabStop: number;
  /** The language of CJK characters quoted in the text (BCP 47), when the text is not CJK. */
  quoted?: string;
  /** The fonts the styles may name, embedded as subsets where the package names them. */
  fonts?: readonly EmbeddableFont[];
}

/** A run's w:lang: the text's language, and the quoted CJK characters' where it has some. */
function langElement(text: string, o: Pick<PackageOptions, 'lang' | 'quoted'>): string {
  const { value, eastAsia } = runLanguage({ value: o.lang }, text, o.quoted);
  return `<w:lang w:val="${escapeAttribute(value)}"${eastAsia ? ` w:eastAsia="${escapeAttribute(eastAsia)}"` : ''}/>`;
}

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';
const R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export async function finishPackage(docx: ArrayBuffer, o: PackageOptions): Promise<Uint8Array> {
  const files = unzipSync(new Uint8Array(docx));
  const text = (name: string) => new TextDecoder().decode(files[name]);
  const put = (name: string, value: string) => {
    files[name] = new TextEncoder().encode(value);
  };

  let document = text('word/document.xml');
  // Its bytes are written anew below: they go now, not after the layout (53 MB for a 19 MB source).
  files['word/document.xml'] = new Uint8Array(0);
  document = renumberBookmarks(document);
  document = renumberDrawings(document);
  document = insertToc(document, o);
  let rels = text('word/_rels/document.xml.rels');
  ({ document, rels } = stableRelationshipIds(document, rels));
  rels = rels.replace(
    '</Relationships>',
    `<Relationship Id="rIdEditionsHeader" Type="${R}/header" Target="header-editions.xml"/>` +
      `<Relationship Id="rIdEditionsFooter" Type="${R}/footer" Target="footer-editions.xml"/></Relationships>`,
  );
  document = document.replace(/<w:sectPr([^>]*)>([\s\S]*?)<\/w:sectPr>/g, (_, attrs: string, inner: string) => {
    // The title page has no running head or page number (titlePg with no first-page parts).
    const withTitlePage = /<w:docGrid/.test(inner) ? inner.replace('<w:docGrid', '<w:titlePg/><w:docGrid') : `${inner}<w:titlePg/>`;
    return `<w:sectPr${attrs}><w:headerReference w:type="default" r:id="rIdEditionsHeader"/><w:footerReference w:type="default" r:id="rIdEditionsFooter"/>${withTitlePage}</w:sectPr>`;
  });
  if (o.fonts) document = withPageNumbers(document, bookmarkPages({ document, styles: text('word/styles.xml'), fonts: o.fonts }), o);
  put('word/document.xml', document);
  // Two lines at least on each side of a page's end, in Word as in LibreOffice (which assumes it);
  // the contents' page numbers are laid out so.
  put('word/styles.xml', text('word/styles.xml').replace(/(<w:pPrDefault><w:pPr>)/, '$1<w:widowControl/>'));
  if (files['word/numbering.xml']) put('word/numbering.xml', bodyFontBullets(text('word/numbering.xml')));
  if (/<w:ilvl w:val="[6-8]"\/>/.test(document)) put('word/numbering.xml', withNineLevels(text('word/numbering.xml')));
  put('word/_rels/document.xml.rels', rels);
  put('word/header-editions.xml', header(o.title, o));
  put('word/footer-editions.xml', footer(o.pageOf, o.lang));
  put(
    '[Content_Types].xml',
    text('[Content_Types].xml').replace(
      '</Types>',
      '<Override PartName="/word/header-editions.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>' +
        '<Override PartName="/word/footer-editions.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>',
    ),
  );
  put('docProps/core.xml', coreProperties(text('docProps/core.xml'), o));
  // A hard line break in a justified paragraph leaves the line before it ragged, not stretched
  // across the measure (Word's doNotExpandShiftReturn, which LibreOffice reads as well).
  put('word/settings.xml', text('word/settings.xml').replace('<w:compat>', '<w:compat><w:doNotExpandShiftReturn/>'));
  if (o.fonts) await embedInto(files, o.fonts);

  // The same entries in the same order, dated by the build date.
  const names = Object.keys(files).sort((a, b) => order(a) - order(b) || byCodePoint(a, b));
  return zip(
    names.map((name) => ({ path: name, data: files[name]!, ...(name.startsWith('word/fonts/') && { fast: true, recurs: true }) })),
    o.date,
  );
}

/**
 * Embeds the fonts that the styles or the text name (w:ascii="Source Serif 4" ...), cut to the
 * characters of the document, its notes, header and footer, and asks Word to keep them
 * (w:embedTrueTypeFonts, w:saveSubsetFonts).
 */
async function embedInto(files: Record<string, Uint8Array>, fonts: readonly EmbeddableFont[]): Promise<void> {
  const text = (name: string) => (files[name] ? new TextDecoder().decode(files[name]) : '');
  const parts = Object.keys(files).filter((n) => /^word\/[^/]+\.xml$/.test(n)).map(text);
  const named = new Set(parts.flatMap((p) => [...p.matchAll(/w:(?:ascii|hAnsi|eastAsia|cs)="([^"]+)"/g)].map((m) => m[1]!)));
  const used = fonts.filter((f) => named.has(escapeAttribute(f.name)));
  if (used.length === 0) return;
  const embedded = await embedFonts(used, packageText(parts));
  Object.assign(files, embedded.files);
  files['word/fontTable.xml'] = new TextEncoder().encode(embedded.fontTable);
  files['word/_rels/fontTable.xml.rels'] = new TextEncoder().encode(embedded.rels);
  const settings = text('word/settings.xml');
  const flags = '<w:embedTrueTypeFonts/><w:saveSubsetFonts/>';
  files['word/settings.xml'] = new TextEncoder().encode(
    settings.includes('<w:displayBackgroundShape/>') ? settings.replace('<w:displayBackgroundShape/>', `<w:displayBackgroundShape/>${flags}`) : settings.replace(/(<w:settings\b[^>]*>)/, `$1${flags}`),
  );
}

/** [Content_Types].xml first, as Word writes it; the rest by name. */
function order(name: string): number {
  return name === '[Content_Types].xml' ? 0 : name.startsWith('_rels/') ? 1 : 2;
}

/** docx 9.7.1 gives every bookmark w:id="1" (its issue #3478): number them in order. */
function renumberBookmarks(xml: string): string {
  let next = 0;
  const open: number[] = [];
  return xml.replace(/<w:bookmark(Start|End)\b[^>]*>/g, (tag, kind: string) => {
    const id = kind === 'Start' ? (open.push(++next), next) : (open.pop() ?? next);
    return tag.replace(/w:id="\d+"/, `w:id="${id}"`);
  });
}

/** docx 9.7.1 gives every drawing w:docPr id="1" as well; ids must be unique in the document. */
function renumberDrawings(xml: string): string {
  let next = 0;
  return xml.replace(/<wp:docPr id="\d+"/g, () => `<wp:docPr id="${++next}"`);
}

/**
 * remark-docx's bullets (● ○ ■) are not in the body fonts: LibreOffice and Word set them from a
 * fallback font, large and heavy. The body font's bullet and en dash instead, as the PDF sets them.
 */
function bodyFontBullets(numbering: string): string {
  const bullets: Record<string, string> = { '●': '\u2022', '○': '\u2013', '■': '\u2022' };
  return numbering.replace(/<w:lvlText w:val="([●○■])"\/>/g, (_, b: string) => `<w:lvlText w:val="${bullets[b]}"/>`);
}

/**
 * remark-docx defines six list levels (0-5) and Word has nine: a list the builders set at level
 * 6-8 needs them. Each missing level is a copy of the one three above it (the bullets repeat
 * every three levels; a numbered level shows its own number), indented one step further.
 * Only a document that uses those levels is changed.
 */
function withNineLevels(numbering: string): string {
  return numbering.replace(/(<w:abstractNum\b[^>]*>)([\s\S]*?)(<\/w:abstractNum>)/g, (all, open: string, inner: string, close: string) => {
    const levels = new Map([...inner.matchAll(/<w:lvl w:ilvl="(\d)"[\s\S]*?<\/w:lvl>/g)].map((m) => [Number(m[1]), m[0]]));
    let added = '';
    for (let level = 6; level <= 8; level++) {
      const model = levels.get(level - 3);
      if (levels.has(level) || !model) continue;
      const copy = model
        .replace(/w:ilvl="\d"/, `w:ilvl="${level}"`)
        .replace(/%(\d)/g, (_, n: string) => `%${Number(n) + 3}`)
        .replace(/w:left="\d+"/, `w:left="${400 * (level + 1)}"`);
      added += copy;
    }
    return added ? `${open}${inner}${added}${close}` : all;
  });
}

/** Hyperlink relationships get random ids from docx: give them ids by order of appearance. */
function stableRelationshipIds(document: string, rels: string): { document: string; rels: string } {
  const renames = new Map<string, string>();
  let n = 0;
  const newRels = rels.replace(/Id="([^"]+)"/g, (m, id: string) => {
    if (/^rId\d+$/.test(id)) return m;
    const stable = `rIdLink${++n}`;
    renames.set(id, stable);
    return `Id="${stable}"`;
  });
  const newDocument = document.replace(/r:id="([^"]+)"/g, (m, id: string) => (renames.has(id) ? `r:id="${renames.get(id)}"` : m));
  return { document: newDocument, rels: newRels };
}

/**
 * The contents as Word writes them after "Update field": a TOC field whose result is already
 * there, one hyperlinked entry per section with a PAGEREF to its bookmark, inside a
 * table-of-contents document part (so LibreOffice shows the entries, not the field code).
 * LibreOffice does not compute PAGEREF fields when it opens the file (FINDINGS.md): their
 * results are written afterwards from our own layout of the body (withPageNumbers).
 */
function insertToc(document: string, o: PackageOptions): string {
  const marker = new RegExp(`<w:p\\b(?:(?!<w:p\\b)[\\s\\S])*?${o.tocMarker}[\\s\\S]*?</w:p>`);
  if (!marker.test(document)) return document;
  const run = (t: string) => `<w:r><w:rPr>${langElement(t, o)}</w:rPr><w:t xml:space="preserve">${escapeText(t)}</w:t></w:r>`;
  const fld = (type: 'begin' | 'separate' | 'end') => `<w:r><w:fldChar w:fldCharType="${type}"/></w:r>`;
  const instr = (code: string) => `<w:r><w:instrText xml:space="preserve">${code}</w:instrText></w:r>`;
  const entries = o.toc.map((e, i) => {
    const first = i === 0 ? `${fld('begin')}${instr(' TOC \\o "1-3" \\h \\z \\u ')}${fld('separate')}` : '';
    const last = i === o.toc.length - 1 ? fld('end') : '';
    const pageRef = `${fld('begin')}${instr(` PAGEREF ${e.bookmark} \\h `)}${fld('separate')}${fld('end')}`;
    return (
      `<w:p><w:pPr><w:pStyle w:val="TOC${Math.min(e.depth, 3)}"/><w:tabs><w:tab w:val="right" w:leader="dot" w:pos="${o.tabStop}"/></w:tabs></w:pPr>` +
      `${first}<w:hyperlink w:anchor="${escapeAttribute(e.bookmark)}" w:history="1">${run(e.text)}<w:r><w:tab/></w:r>${pageRef}</w:hyperlink>${last}</w:p>`
    );
  });
  const sdt =
    '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>' +
    `<w:p><w:pPr><w:pStyle w:val="TOCHeading"/><w:pageBreakBefore/></w:pPr>${run(o.contentsTitle)}</w:p>` +
    entries.join('') +
    '</w:sdtContent></w:sdt>';
  return document.replace(marker, sdt);
}

/**
 * Each PAGEREF's cached result: the page our own layout of the body sets its bookmark on
 * (layout.ts), what Word would write on "Update field" and what LibreOffice shows as it is.
 */
function withPageNumbers(document: string, pages: ReadonlyMap<string, number>, o: Pick<PackageOptions, 'lang' | 'quoted'>): string {
  return document.replace(
    /(<w:instrText xml:space="preserve"> PAGEREF (\S+) \\h <\/w:instrText><\/w:r><w:r><w:fldChar w:fldCharType="separate"\/><\/w:r>)(<w:r><w:fldChar w:fldCharType="end"\/>)/g,
    (all, start: string, name: string, end: string) => {
      const page = pages.get(name);
      return page === undefined ? all : `${start}<w:r><w:rPr>${langElement(String(page), o)}</w:rPr><w:t>${page}</w:t></w:r>${end}`;
    },
  );
}

function header(title: string, o: Pick<PackageOptions, 'lang' | 'quoted'>): string {
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:hdr xmlns:w="${W}" xmlns:r="${R}">` +
    `<w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr><w:r><w:rPr>${langElement(title, o)}</w:rPr><w:t xml:space="preserve">${escapeText(title)}</w:t></w:r></w:p></w:hdr>`
  );
}

/** "Page X of Y" with PAGE and NUMPAGES fields where the UI string has {page} and {pages}. */
function footer(pageOf: string, lang: string): string {
  const rPr = `<w:rPr><w:lang w:val="${escapeAttribute(lang)}"/></w:rPr>`;
  const field = (code: string) =>
    `<w:r>${rPr}<w:fldChar w:fldCharType="begin"/></w:r><w:r>${rPr}<w:instrText xml:space="preserve"> ${code} </w:instrText></w:r>` +
    `<w:r>${rPr}<w:fldChar w:fldCharType="separate"/></w:r><w:r>${rPr}<w:t>1</w:t></w:r><w:r>${rPr}<w:fldChar w:fldCharType="end"/></w:r>`;
  const runs = pageOf
    .split(/(\{page\}|\{pages\})/)
    .filter(Boolean)
    .map((part) => (part === '{page}' ? field('PAGE') : part === '{pages}' ? field('NUMPAGES') : `<w:r>${rPr}<w:t xml:space="preserve">${escapeText(part)}</w:t></w:r>`))
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:ftr xmlns:w="${W}" xmlns:r="${R}">` +
    `<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>${runs}</w:p></w:ftr>`
  );
}

/** The build date for created and modified (never the wall clock), and the language. */
function coreProperties(xml: string, o: PackageOptions): string {
  const stamp = o.date.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return xml
    .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${stamp}$2`)
    .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${stamp}$2`)
    .replace(/<cp:lastModifiedBy>[^<]*<\/cp:lastModifiedBy>/, `<cp:lastModifiedBy>${escapeText(o.generator)}</cp:lastModifiedBy>`)
    .replace('</cp:coreProperties>', `<dc:language>${escapeText(o.lang)}</dc:language></cp:coreProperties>`);
}
