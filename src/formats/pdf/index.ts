/**
 * The print edition: measure (flow blocks of broken lines) -> paginate -> draw, on pdfkit.
 * Title page, colophon and contents come first, then the text; the outline and named
 * destinations carry the stable section IDs.
 */
import type { Root } from 'mdast';
import type PDFDocumentClass from 'pdfkit';
import { EditionsError, Report } from '../../messages.js';
import type { DocumentModel, Section } from '../../model/types.js';
import { documentContext, type DocumentContext } from '../../templating/context.js';
import { loadStrings, uiString, type Strings } from '../../templating/i18n.js';
import { escapeText } from '../../shared/xml.js';
import { shared, thumbnailKey, warnOnce, type RenderContext } from '../registry.js';
import { parallelText } from '../../model/parallel.js';
import { FlowBuilder, type BlockStyle, type Origin } from './blocks.js';
import { drawPages, type PageFurniture } from './draw.js';
import { eachBlock, type FlowBlock, type Frame } from './flow.js';
import { FontBook } from './fonts.js';
import { hyphenator } from './hyphenate.js';
import { breakLines } from './lines.js';
import { paginate } from './paginate.js';
import { pair, parallelSections, type Column, type ParallelLayout } from './parallel.js';
import { firstPageSvg } from './thumbnail.js';
import { loadTheme, PAGE_SIZES } from '../../theme/theme.js';

export async function renderPdf(model: DocumentModel, ctx: RenderContext, partner?: DocumentModel): Promise<Uint8Array> {
  const { default: PDFDocument } = (await import('pdfkit')) as { default: typeof PDFDocumentClass };
  const theme = shared(ctx, 'pdf-theme', () => loadTheme(ctx.templates));
  const strings = loadStrings(ctx.templates, model.lang);
  const partnerStrings = partner && loadStrings(ctx.templates, partner.lang);
  const context = documentContext(model, strings, ctx.build, partner && { model: partner, strings: partnerStrings! });
  const [pageWidth, pageHeight] = PAGE_SIZES[theme.page.size];
  const m = theme.page.margins;
  const textWidth = pageWidth - m.inner - m.outer;
  const date = ctx.build.date;
  const title = partner ? `${model.meta.title} / ${partner.meta.title}` : model.meta.title;

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
      Title: title,
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
  const bytes = collector(doc);
  // pdfkit declares one subset; the edition is also PDF/UA-1 (tagged, titled, language set).
  (doc as unknown as { appendXML(xml: string): void }).appendXML(
    '<rdf:Description xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" rdf:about=""><pdfuaid:part>1</pdfuaid:part></rdf:Description>',
  );

  const fonts = new FontBook(doc, theme);
  const report = new Report();
  // An image shown twice (in two cells, in both columns) is embedded once.
  const opened = new Map<Buffer, unknown>();
  const openImage = (data: Buffer) => {
    if (!opened.has(data)) opened.set(data, (doc as unknown as { openImage(data: Buffer): unknown }).openImage(data));
    return opened.get(data);
  };
  const lines = theme.lines;
  const limits = { left: lines.hyphenMin.left, right: lines.hyphenMin.right, capitalised: lines.hyphenateCapitalised };
  // Ragged right by layout: the page's own text is one column; a bilingual body's columns are side by side or alternating.
  const raggedColumns = ctx.layout === 'alternating' ? lines.raggedRight.alternating : lines.raggedRight.parallel;
  const builderFor = async (text: DocumentModel, width: number, prefix?: string, ids = true) =>
    new FlowBuilder({
      fonts,
      theme,
      report,
      lang: text.lang,
      ...(theme.body.hyphenate && { hyphenate: await hyphenator(text.lang, limits) }),
      ragged: prefix?.startsWith('c') ? raggedColumns : lines.raggedRight.single,
      definitions: text.definitions,
      contentWidth: width,
      contentHeight: pageHeight - m.top - m.bottom,
      images: text.images,
      linkSchemes: text.linkSchemes,
      openImage,
      ...(prefix && { prefix }),
      ids,
    });
  // `page` sets the full-width text in the first language; the flow is its list of blocks.
  const page = await builderFor(model, textWidth);
  const second = partner && {
    model: partner,
    strings: partnerStrings!,
    context: documentContext(partner, partnerStrings!, ctx.build),
    builder: await builderFor(partner, textWidth, 'p2:', false),
  };
  const sideBySide = (fill: (builder: FlowBuilder) => void) => {
    if (!second) return;
    fill(second.builder);
    page.blocks.push(...second.builder.blocks.splice(0));
  };

  const { edition } = ctx;
  const cover = edition.coverSheet ? 'packet/cover.md.hbs' : 'pdf/title-page.md.hbs';
  furniture(page, ctx, cover, context, titlePage(page, pageHeight * (edition.coverSheet ? 0.12 : 0.2)));
  sideBySide((b) => furniture(b, ctx, cover, second!.context, titlePage(b, 36), b.lang));
  const colophonStart = page.blocks.length;
  if (edition.colophon) {
    furniture(page, ctx, 'pdf/colophon.md.hbs', context, (node, path, origin) => page.block(node, path, 0, origin, small(page)));
    sideBySide((b) => furniture(b, ctx, 'pdf/colophon.md.hbs', second!.context, (node, path, origin) => b.block(node, path, 0, origin, small(b)), b.lang));
  }
  const tocStart = page.blocks.length;
  if (edition.contentsPage) contents(page, model, uiString(strings, 'contents'), second && { builder: second.builder, model: second.model });
  const bodyStart = page.blocks.length;
  if (second) {
    await parallelBody(page, [{ model, strings }, second], builderFor, { gutter: theme.parallel.gutter, alternating: ctx.layout === 'alternating' });
  } else {
    const origin = sourceOrigin(model.file);
    for (const s of model.sections) page.section(s, [], origin);
    page.notes(model.footnotes, uiString(strings, 'notes'), [], origin);
  }
  if (report.errorCount > 0) throw new EditionsError(report.diagnostics);
  forwardWarnings(report, ctx);

  for (const start of [colophonStart, tocStart, bodyStart]) if (page.blocks[start]) page.blocks[start]!.pageBreakBefore = true;
  // A packet's later parts start a page only when the page they leave is a third full: a short
  // section runs on after the one before instead of leaving a page of three lines.
  if (edition.partBreaks) for (const b of page.blocks.slice(bodyStart)) if ((b.columns?.[0]?.[0] ?? b).heading?.depth === 1 && b !== page.blocks[bodyStart]) b.softBreakBefore = true;

  const layout = () => paginateKeepingHyphensOffPageEnds(page.blocks, m.top, pageHeight - m.bottom);
  const pages = edition.contentsPage ? balanceContents(page.blocks.slice(tocStart, bodyStart), layout) : layout();
  const pageOf = new Map<FlowBlock, number>();
  pages.forEach((p, i) => p.placements.forEach((pl) => pageOf.has(pl.block) || pageOf.set(pl.block, i)));
  const sectionPage = new Map<string, number>();
  for (const b of eachBlock(page.blocks)) if (b.heading && !sectionPage.has(b.heading.id)) sectionPage.set(b.heading.id, pageOf.get(b)!);
  for (const b of eachBlock(page.blocks)) if (b.toc) b.toc.page = String(sectionPage.get(b.toc.dest)! + 1);

  // The catalogue page shows the first page of every PDF.
  ctx.memo.set(thumbnailKey([model, partner].filter(Boolean)), firstPageSvg(pages[0]!, [pageWidth, pageHeight], m.inner, theme.colors.text));
  const firstBodyPage = pageOf.get(eachBlock(page.blocks.slice(bodyStart)).next().value!) ?? 0;
  const otherText = new Map(partner?.allSections.map((s) => [s.id, s.text]));
  // Running heads in their short forms, each at the outer edge: a verso carries the title, a
  // recto the section in force; a parallel text carries the section in both languages, each over
  // its column; an alternating one (one column, the languages by turns) the section in the
  // first language on a verso and in the second on a recto.
  const shortTitle = model.meta['short-title'] ?? model.meta.title;
  const shortHead = (m: DocumentModel, id: string, text: string) => m.meta['short-headings']?.[id] ?? text;
  const heads = runningHeads(pages, firstBodyPage, (s, i) => {
    const recto = i % 2 === 0;
    if (!partner) return recto ? { right: shortHead(model, s.id, s.text) } : { left: shortTitle };
    const second = shortHead(partner, s.id, otherText.get(s.id) ?? s.text);
    if (ctx.layout === 'alternating') return recto ? { right: second } : { left: shortHead(model, s.id, s.text) };
    return { left: shortHead(model, s.id, s.text), right: second };
  });
  // From here the pages alone say what is drawn: the builder's blocks and their map to pages
  // let go, so that drawPages can let each page's blocks go once it is drawn.
  page.blocks.length = 0;
  pageOf.clear();
  drawPages(doc as never, pages, {
    fonts,
    size: [pageWidth, pageHeight],
    // Recto pages (odd numbers) have the inner margin on the left.
    left: (i) => (i % 2 === 0 ? m.inner : m.outer),
    top: m.top,
    bottom: pageHeight - m.bottom,
    textWidth,
    colors: theme.colors,
    // The furniture is set in the theme's own small face in every edition (a Chinese head takes
    // its characters from the fallback), so running heads and folios match from book to book.
    small: { font: fonts.key({ family: theme.small.font, bold: false, italic: false }, 'und'), size: theme.small.size },
    furniture: (i): PageFurniture => ({ heads: heads[i] ?? null, number: i === 0 ? null : String(i + 1) }),
  });
  outline(doc, model.sections, (s) => (partner && otherText.has(s.id) ? `${s.text} / ${otherText.get(s.id)}` : s.text));
  return bytes();
}

/**
 * Pagination with no hyphen on a page's last line: a paragraph that goes on over the page from
 * a hyphenated line is broken again without a hyphen there (total fit finds the next best
 * breaking), and the pages are laid out again, a few rounds at most (a new breaking may move a
 * page end). Ragged and first-fit text is left as it is.
 */
function paginateKeepingHyphensOffPageEnds(blocks: FlowBlock[], top: number, bottom: number): ReturnType<typeof paginate> {
  const forbidden = new Map<FlowBlock, Set<number>>();
  for (let round = 0; ; round++) {
    const pages = paginate(blocks, top, bottom);
    if (round === 4) return pages;
    let changed = false;
    for (const p of pages) {
      for (const pl of p.placements) {
        const end = pl.to - 1;
        if (pl.to >= pl.block.lines.length || !pl.block.lines[end]?.hyphenated || !pl.block.rebreak) continue;
        const set = forbidden.get(pl.block) ?? new Set<number>();
        if (set.has(end)) continue;
        set.add(end);
        forbidden.set(pl.block, set);
        pl.block.lines = pl.block.rebreak(set);
        changed = true;
      }
    }
    if (!changed) return pages;
  }
}

/**
 * A bilingual body: columns of half the text width (in the alternating layout, the whole width,
 * the second language's indented), one builder per language (the second without named
 * destinations: the first column's blocks carry the stable IDs), and the notes of each language
 * side by side at the end.
 */
async function parallelBody(
  page: FlowBuilder,
  texts: [{ model: DocumentModel; strings: Strings }, { model: DocumentModel; strings: Strings }],
  builderFor: (text: DocumentModel, width: number, prefix?: string, ids?: boolean) => Promise<FlowBuilder>,
  layout: ParallelLayout,
): Promise<void> {
  const half = (page.contentWidth - layout.gutter) / 2;
  const widths = layout.alternating ? [page.contentWidth, page.contentWidth - page.theme.body.indent] : [half, half];
  const parallel = parallelText(texts[0].model, texts[1].model);
  const [a, b] = await Promise.all(
    texts.map(async ({ model, strings }, i): Promise<Column> => ({
      builder: await builderFor(model, widths[i]!, `c${i + 1}:`, i === 0),
      model,
      origin: sourceOrigin(model.file),
      flag: (id: string) => {
        const key = parallel.flag(model, id);
        return key && uiString(strings, key);
      },
    })),
  );
  parallelSections(page, a!, b!, layout, parallel.sections);
  if (a!.builder.footnotesUsed.length + b!.builder.footnotesUsed.length === 0) return;
  pair(page, [], a!, b!, layout, 'notes', (side, path) =>
    side.builder.notes(side.model.footnotes, uiString(texts[side === a ? 0 : 1].strings, 'notes'), path, side.origin),
  );
}

/** Markdown from a furniture template, laid out block by block (in a section of its own language). */
function furniture(
  builder: FlowBuilder,
  ctx: RenderContext,
  name: string,
  context: DocumentContext,
  place: (node: Root['children'][number], path: ReturnType<FlowBuilder['frame']>[], origin: Origin) => void,
  lang?: string,
): void {
  const file = ctx.templates.resolve(name);
  const tree = ctx.templates.markdown(name, context);
  const sect = [builder.frame('Sect', lang ? { lang } : undefined)];
  const origin: Origin = { file, place: () => undefined };
  for (const node of tree.children) place(node, sect, origin);
}

function small(builder: FlowBuilder): BlockStyle {
  return { ...builder.bodyStyle(), size: builder.theme.body.size * 0.9, justify: false };
}

/** The title page: `space` down (a fifth of the page), issuer, title, subtitle, then the other lines. */
function titlePage(builder: FlowBuilder, space: number) {
  const theme = builder.theme;
  let spaced = false;
  return (node: Root['children'][number], path: ReturnType<FlowBuilder['frame']>[], origin: Origin) => {
    if (!spaced) {
      spaced = true;
      builder.blocks.push(spacer(space, builder.contentWidth, path));
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

/**
 * The table of contents: one linked entry per section, page numbers filled after pagination.
 * In a bilingual edition each entry has the second language's heading on a line below it.
 */
function contents(builder: FlowBuilder, model: DocumentModel, title: string, second?: { builder: FlowBuilder; model: DocumentModel }): void {
  const theme = builder.theme;
  const sect = [builder.frame('Sect')];
  const heading = builder.headingStyle(1);
  builder.blocks.push({
    tag: 'H1',
    path: sect,
    lines: breakLines(builder.runSpans(title, { font: builder.fontKey(heading.font), size: heading.size, color: heading.color }), builder.fonts, {
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
  const translated = new Map(second?.model.allSections.map((s) => [s.id, s.text]));
  for (const s of model.allSections) {
    // The preamble has no heading to list.
    if (!s.heading) continue;
    const indent = (s.depth - 1) * 16;
    const top = s.depth === 1;
    const font = { family: top ? theme.small.font : theme.body.font, bold: top, italic: false };
    const size = top ? theme.body.size : theme.body.size * 0.95;
    const width = builder.contentWidth - indent - numberColumn;
    // Wrapped lines hang: they stand 1 em in from the first.
    const hang = theme.body.size;
    const entry = (b: FlowBuilder, text: string, color: string, path: Frame[]): FlowBlock => ({
      // A TOCI holds Reference, P, Lbl, TOC or NonStruct, not a Link (ISO 32000-1 Table 333; Matterhorn 09-006).
      tag: second ? 'P' : 'Reference',
      path,
      lines: entryLines(b, text, { font: b.fontKey(font), size, color, link: { internal: s.id }, linkId: b.newLinkId() }, width, hang),
      x: indent,
      width,
      hang,
      align: 'left',
      spaceBefore: top ? 7 : 0,
      spaceAfter: 1,
      keepWithNext: false,
      unsplittable: true,
      dests: [],
    });
    if (!second) {
      builder.blocks.push({ ...entry(builder, s.text, builder.color('text'), [...toc, builder.frame('TOCI')]), toc: { dest: s.id, page: '' } });
      continue;
    }
    const item = [...toc, builder.frame('TOCI')];
    const other = entry(second.builder, translated.get(s.id) ?? '', builder.color('muted'), [...item, second.builder.frame('NonStruct', { lang: second.model.lang })]);
    builder.blocks.push({ ...entry(builder, s.text, builder.color('text'), item), toc: { dest: s.id, page: '' }, spaceAfter: 0, keepWithNext: true });
    builder.blocks.push({ ...other, spaceBefore: 0 });
  }
}

/** A contents entry's lines: on one line at `width` if it fits, else broken to leave room for the hang. */
function entryLines(b: FlowBuilder, text: string, style: Parameters<FlowBuilder['runSpans']>[1], width: number, hang: number) {
  const spans = b.runSpans(text, style);
  const lines = breakLines(spans, b.fonts, { width, justify: false, leading: 1.3 });
  return lines.length === 1 ? lines : breakLines(spans, b.fonts, { width: width - hang, justify: false, leading: 1.3 });
}

/** Fewest entries a contents page after the first may hold. */
const CONTENTS_MIN_ENTRIES = 3;

/**
 * Lays out the edition (`layout`) so that no contents page after the first holds fewer than
 * three entries: first the contents are tightened (less space above the part entries), then, if
 * a runt is left, the page before gives the last one entries (a break before one of its own).
 */
function balanceContents(toc: readonly FlowBlock[], layout: () => ReturnType<typeof paginate>): ReturnType<typeof paginate> {
  const entries = new Set(toc.filter((b) => b.toc));
  const perPage = (pages: ReturnType<typeof paginate>) =>
    pages.map((p) => p.placements.filter((pl) => entries.has(pl.block) && pl.from === 0).map((pl) => pl.block)).filter((list) => list.length > 0);
  const runt = (pages: ReturnType<typeof paginate>) => {
    const list = perPage(pages);
    return list.length > 1 && list.at(-1)!.length < CONTENTS_MIN_ENTRIES ? list : undefined;
  };
  let pages = layout();
  if (!runt(pages)) return pages;
  for (const b of toc) if (b.toc && b.spaceBefore > 0) b.spaceBefore = Math.round(b.spaceBefore * 0.4 * 10) / 10;
  pages = layout();
  for (let tries = 0; tries < 4; tries++) {
    const list = runt(pages);
    if (!list) return pages;
    const [before, last] = [list.at(-2)!, list.at(-1)!];
    const move = CONTENTS_MIN_ENTRIES - last.length;
    if (before.length - move < CONTENTS_MIN_ENTRIES) return pages;
    before[before.length - move]!.pageBreakBefore = true;
    pages = layout();
  }
  return pages;
}

/**
 * The running heads of each page from the level-1 section in force (the first one starting on
 * the page, else the last one started): `heads` gives the left and right text for it.
 */
function runningHeads(pages: ReturnType<typeof paginate>, firstBodyPage: number, heads: (s: Section, page: number) => PageFurniture['heads']): PageFurniture['heads'][] {
  let current: Section | undefined;
  return pages.map((page, i) => {
    const starts = page.placements.find((p) => p.block.heading?.depth === 1 && p.from === 0)?.block.heading;
    const inForce = current;
    for (const p of page.placements) if (p.block.heading?.depth === 1 && p.block.dests.includes(p.block.heading.id)) current = p.block.heading;
    const section = starts ?? inForce;
    if (i < firstBodyPage || !section) return null;
    return heads(section, i);
  });
}

/** Bookmarks nested as the sections are, each pointing at its section's named destination. */
function outline(doc: PDFKit.PDFDocument, sections: readonly Section[], title: (s: Section) => string): void {
  type Item = { addItem(title: string, options?: object): Item; outlineData: Record<string, unknown> };
  const add = (parent: Item, s: Section) => {
    if (!s.heading) return;
    const item = parent.addItem(title(s), s.depth === 1 && s.children.length > 0 ? { expanded: true } : undefined);
    // A named destination, not pdfkit's page destination (whose left coordinate is wrong).
    item.outlineData.Dest = new String(s.id);
    for (const c of s.children) add(item, c);
  };
  const root = (doc as unknown as { outline: Item }).outline;
  for (const s of sections) add(root, s);
}

/**
 * This edition's warnings, into the build's report. A text set in several PDFs (alone, beside
 * its translation, in a packet) would repeat them: each is passed on once per build.
 */
function forwardWarnings(report: Report, ctx: RenderContext): void {
  for (const d of report.diagnostics) warnOnce(ctx, d);
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

/** The size of the blocks the PDF's bytes are gathered in. */
const BLOCK = 1 << 20;

/**
 * Gathers the bytes pdfkit writes, from the start, into blocks of BLOCK bytes; the returned
 * function ends the document and gives them as one buffer. pdfkit writes a buffer of its own for
 * every line of every object (about 1.5 million for the PDF of a 19 MB source, each with some 190
 * bytes of bookkeeping), and its stream, read only once the document ended, kept them all until
 * then: 0.4 GB beside an 80 MB PDF. The bytes and their order are the same.
 */
function collector(doc: PDFKit.PDFDocument): () => Promise<Uint8Array> {
  const blocks: Uint8Array[] = [];
  let block = new Uint8Array(BLOCK);
  let used = 0;
  let total = 0;
  doc.on('data', (chunk: Uint8Array) => {
    total += chunk.length;
    for (let at = 0; at < chunk.length; ) {
      if (used === block.length) {
        blocks.push(block);
        block = new Uint8Array(BLOCK);
        used = 0;
      }
      const n = Math.min(chunk.length - at, block.length - used);
      block.set(chunk.subarray(at, at + n), used);
      used += n;
      at += n;
    }
  });
  return () =>
    new Promise((resolve, reject) => {
      doc.on('end', () => {
        const out = Buffer.allocUnsafe(total);
        let at = 0;
        for (const b of [...blocks, block.subarray(0, used)]) {
          out.set(b, at);
          at += b.length;
        }
        // The document may outlive its render a while (its stream's last events hold it): the
        // blocks, a second copy of the PDF, go now.
        blocks.length = 0;
        block = new Uint8Array(0);
        resolve(out);
      });
      doc.on('error', reject);
      doc.end();
    });
}
