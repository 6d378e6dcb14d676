/**
 * The print edition: measure (flow blocks of broken lines) -> paginate -> draw, on pdfkit.
 * Title page, colophon and contents come first, then the text; the outline and named
 * destinations carry the stable section IDs.
 */
import type { Definition, Nodes, Root } from 'mdast';
import type PDFDocumentClass from 'pdfkit';
import { EditionsError, Report } from '../../messages.js';
import type { DocumentModel, Section } from '../../model/types.js';
import { parseMarkdown } from '../../source/parse.js';
import { documentContext, type DocumentContext } from '../../templating/context.js';
import { loadStrings, uiString } from '../../templating/i18n.js';
import { escapeText } from '../html/xhtml.js';
import { shared, type RenderContext } from '../registry.js';
import { FlowBuilder, type BlockStyle, type Origin } from './blocks.js';
import { drawPages, type PageFurniture } from './draw.js';
import type { FlowBlock } from './flow.js';
import { FontBook, fontKey } from './fonts.js';
import { hyphenator } from './hyphenate.js';
import { breakLines } from './lines.js';
import { paginate } from './paginate.js';
import { firstPageSvg } from './thumbnail.js';
import { loadTheme, PAGE_SIZES } from './theme.js';

export async function renderPdf(model: DocumentModel, ctx: RenderContext): Promise<Uint8Array> {
  const { default: PDFDocument } = (await import('pdfkit')) as { default: typeof PDFDocumentClass };
  const theme = shared(ctx, 'pdf-theme', () => loadTheme(ctx.templates));
  const strings = loadStrings(ctx.templates, model.lang);
  const context = documentContext(model, strings, ctx.build);
  const [pageWidth, pageHeight] = PAGE_SIZES[theme.page.size];
  const m = theme.page.margins;
  const textWidth = pageWidth - m.inner - m.outer;
  const date = ctx.build.date;

  const doc = new PDFDocument({
    autoFirstPage: false,
    tagged: true,
    lang: model.lang,
    displayTitle: true,
    pdfVersion: '1.7',
    subset: 'PDF/A-2a',
    // No standard-14 font: every font is embedded.
    font: null as unknown as string,
    info: {
      Title: model.meta.title,
      Author: model.meta.issuer,
      Subject: model.meta.description ?? model.meta.title,
      Keywords: model.meta.keywords.join(', '),
      CreationDate: date,
      ModDate: date,
      Creator: ctx.build.generator,
      Producer: ctx.build.generator,
    },
  });
  escapeXmp(doc);
  // pdfkit declares one subset; the edition is also PDF/UA-1 (tagged, titled, language set).
  (doc as unknown as { appendXML(xml: string): void }).appendXML(
    '<rdf:Description xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" rdf:about=""><pdfuaid:part>1</pdfuaid:part></rdf:Description>',
  );

  const fonts = new FontBook(doc, theme, model.lang);
  const report = new Report();
  const builder = new FlowBuilder(
    fonts,
    theme,
    report,
    theme.body.hyphenate ? await hyphenator(model.lang) : undefined,
    definitionsOf(model),
    textWidth,
    pageHeight - m.top - m.bottom,
    model.images,
    (data) => (doc as unknown as { openImage(data: Buffer): unknown }).openImage(data),
  );

  furniture(builder, ctx, 'pdf/title-page.md.hbs', context, titlePage(builder, pageHeight));
  const colophonStart = builder.blocks.length;
  furniture(builder, ctx, 'pdf/colophon.md.hbs', context, (node, path, origin) => builder.block(node, path, 0, origin, small(builder)));
  const tocStart = builder.blocks.length;
  contents(builder, model, uiString(strings, 'contents'));
  const bodyStart = builder.blocks.length;
  const origin = sourceOrigin(model.file);
  for (const s of model.sections) builder.section(s, [], origin);
  builder.notes(model.footnotes, uiString(strings, 'notes'), [], origin);
  if (report.errorCount > 0) throw new EditionsError(report.diagnostics);

  for (const start of [colophonStart, tocStart, bodyStart]) if (builder.blocks[start]) builder.blocks[start]!.pageBreakBefore = true;

  const pages = paginate(builder.blocks, m.top, pageHeight - m.bottom);
  const pageOf = new Map<FlowBlock, number>();
  pages.forEach((p, i) => p.placements.forEach((pl) => pageOf.has(pl.block) || pageOf.set(pl.block, i)));
  const sectionPage = new Map<string, number>();
  for (const b of builder.blocks) if (b.heading) sectionPage.set(b.heading.id, pageOf.get(b)!);
  for (const b of builder.blocks) if (b.toc) b.toc.page = String(sectionPage.get(b.toc.dest)! + 1);

  // The catalogue page shows the first page of every PDF.
  ctx.memo.set(`thumbnail:${model.file}`, firstPageSvg(pages[0]!, [pageWidth, pageHeight], m.inner, theme.colors.text));
  const firstBodyPage = pageOf.get(builder.blocks[bodyStart]!) ?? 0;
  const heads = runningHeads(pages, firstBodyPage, model.meta.title);
  drawPages(doc as never, pages, {
    fonts,
    size: [pageWidth, pageHeight],
    // Recto pages (odd numbers) have the inner margin on the left.
    left: (i) => (i % 2 === 0 ? m.inner : m.outer),
    top: m.top,
    bottom: pageHeight - m.bottom,
    textWidth,
    colors: theme.colors,
    small: { font: fontKey({ family: theme.small.font, bold: false, italic: false }), size: theme.small.size },
    furniture: (i): PageFurniture => ({ heads: heads[i] ?? null, number: i === 0 ? null : String(i + 1) }),
  });
  outline(doc, model.sections);
  return collect(doc);
}

/** Markdown from a furniture template, laid out block by block. */
function furniture(
  builder: FlowBuilder,
  ctx: RenderContext,
  name: string,
  context: DocumentContext,
  place: (node: Root['children'][number], path: ReturnType<FlowBuilder['frame']>[], origin: Origin) => void,
): void {
  const file = ctx.templates.resolve(name);
  const tree = parseMarkdown(ctx.templates.render(name, context));
  const sect = [builder.frame('Sect')];
  const origin: Origin = { file, place: () => undefined };
  for (const node of tree.children) place(node, sect, origin);
}

function small(builder: FlowBuilder): BlockStyle {
  return { ...builder.bodyStyle(), size: builder.theme.body.size * 0.9, justify: false };
}

/** The title page: a third of the page down, issuer, title, subtitle, then the other lines. */
function titlePage(builder: FlowBuilder, pageHeight: number) {
  const theme = builder.theme;
  let spaced = false;
  return (node: Root['children'][number], path: ReturnType<FlowBuilder['frame']>[], origin: Origin) => {
    if (!spaced) {
      spaced = true;
      builder.blocks.push(spacer(pageHeight * 0.2, builder.contentWidth, path));
    }
    const sans = { family: theme.small.font, bold: false, italic: false };
    if (node.type === 'heading') {
      const title: BlockStyle = {
        font: { ...sans, bold: true },
        size: node.depth === 1 ? theme.title.size : theme.title.size * 0.55,
        leading: theme.title.leading,
        color: builder.color(node.depth === 1 ? theme.title.color : 'text'),
        justify: false,
        spaceBefore: 6,
        spaceAfter: node.depth === 1 ? 18 : 30,
      };
      builder.text(node.children, title, origin, { tag: node.depth === 1 ? 'H1' : 'P', path });
    } else if (node.type === 'paragraph') {
      const line: BlockStyle = { font: sans, size: theme.body.size * 1.1, leading: 1.4, color: builder.color('muted'), justify: false, spaceBefore: 0, spaceAfter: 8 };
      builder.text(node.children, line, origin, { tag: 'P', path });
    } else {
      builder.block(node, path, 0, origin);
    }
  };
}

function spacer(height: number, width: number, path: FlowBlock['path']): FlowBlock {
  return {
    tag: 'Artifact',
    path,
    lines: [{ frags: [], width: 0, extraPerSpace: 0, height, ascent: 0 }],
    x: 0,
    width,
    align: 'left',
    spaceBefore: 0,
    spaceAfter: 0,
    keepWithNext: false,
    unsplittable: true,
    dests: [],
  };
}

/** The table of contents: one linked entry per section, page numbers filled after pagination. */
function contents(builder: FlowBuilder, model: DocumentModel, title: string): void {
  const theme = builder.theme;
  const sect = [builder.frame('Sect')];
  const heading = builder.headingStyle(1);
  builder.blocks.push({
    tag: 'H1',
    path: sect,
    lines: breakLines([{ text: title, font: fontKey(heading.font), size: heading.size, color: heading.color }], builder.fonts, {
      width: builder.contentWidth,
      justify: false,
      leading: heading.leading,
    }),
    x: 0,
    width: builder.contentWidth,
    align: 'left',
    spaceBefore: 0,
    spaceAfter: heading.spaceAfter + 4,
    keepWithNext: true,
    unsplittable: true,
    dests: ['contents'],
  });
  const toc = [...sect, builder.frame('TOC')];
  const numberColumn = 36;
  for (const s of model.allSections) {
    const indent = (s.depth - 1) * 16;
    const top = s.depth === 1;
    const font = { family: top ? theme.small.font : theme.body.font, bold: top, italic: false };
    const size = top ? theme.body.size : theme.body.size * 0.95;
    const width = builder.contentWidth - indent - numberColumn;
    builder.blocks.push({
      tag: 'TOCI',
      path: toc,
      lines: breakLines(
        [{ text: s.text, font: fontKey(font), size, color: builder.color('text'), link: { internal: s.id }, linkId: builder.newLinkId() }],
        builder.fonts,
        { width, justify: false, leading: 1.3 },
      ),
      x: indent,
      width,
      align: 'left',
      spaceBefore: top ? 7 : 0,
      spaceAfter: 1,
      keepWithNext: false,
      unsplittable: true,
      dests: [],
      toc: { dest: s.id, page: '' },
    });
  }
}

/** Left: the document title; right: the level-1 section in force (the first one starting on the page). */
function runningHeads(pages: ReturnType<typeof paginate>, firstBodyPage: number, title: string): ([string, string] | null)[] {
  let current = '';
  return pages.map((page, i) => {
    const starts = page.placements.find((p) => p.block.heading?.depth === 1 && p.from === 0)?.block.heading;
    const inForce = current;
    for (const p of page.placements) if (p.block.heading?.depth === 1) current = p.block.heading.text;
    if (i < firstBodyPage) return null;
    return [title, starts?.text ?? inForce];
  });
}

/** Bookmarks nested as the sections are, each pointing at its section's named destination. */
function outline(doc: PDFKit.PDFDocument, sections: readonly Section[]): void {
  type Item = { addItem(title: string, options?: object): Item; outlineData: Record<string, unknown> };
  const add = (parent: Item, s: Section) => {
    const item = parent.addItem(s.text, s.depth === 1 && s.children.length > 0 ? { expanded: true } : undefined);
    // A named destination, not pdfkit's page destination (whose left coordinate is wrong).
    item.outlineData.Dest = new String(s.id);
    for (const c of s.children) add(item, c);
  };
  const root = (doc as unknown as { outline: Item }).outline;
  for (const s of sections) add(root, s);
}

function definitionsOf(model: DocumentModel): Map<string, Definition> {
  const defs = new Map<string, Definition>();
  const visit = (node: Nodes) => {
    if (node.type === 'definition') defs.set(node.identifier.toLowerCase(), node);
    if ('children' in node) node.children.forEach((c) => visit(c as Nodes));
  };
  for (const s of model.allSections) s.content.forEach((c) => visit(c));
  return defs;
}

/** Positions in the source file, down to the character inside a text node. */
function sourceOrigin(file: string): Origin {
  return {
    file,
    place(node, offset = 0) {
      const start = node.position?.start;
      if (!start) return undefined;
      if (!('value' in node) || typeof node.value !== 'string') return { line: start.line, column: start.column };
      const before = node.value.slice(0, offset);
      const nl = before.lastIndexOf('\n');
      const line = start.line + (before.match(/\n/g)?.length ?? 0);
      return { line, column: nl === -1 ? start.column + offset : offset - nl };
    },
  };
}

/**
 * pdfkit writes the title, author, subject and keywords into the XMP metadata unescaped, so a
 * title with "&" or "<" would make the metadata invalid XML: escape them there (the Info
 * dictionary, written earlier, keeps the plain text).
 */
function escapeXmp(doc: PDFKit.PDFDocument): void {
  const d = doc as unknown as { _addInfo(): void; info: Record<string, unknown> };
  const original = d._addInfo.bind(d);
  d._addInfo = () => {
    const plain = d.info;
    d.info = Object.fromEntries(Object.entries(plain).map(([k, v]) => [k, typeof v === 'string' ? escapeText(v) : v]));
    try {
      original();
    } finally {
      d.info = plain;
    }
  };
}

function collect(doc: PDFKit.PDFDocument): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
