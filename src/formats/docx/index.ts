/**
 * The DOCX edition: remark-docx for the body (through builder overrides), docx for the pieces
 * around it, then the package finished by hand (package.ts): headers, footers, contents, and
 * the same bytes for the same source.
 */
// remark-docx calls iterator helpers (Map#entries().reduce) that Node 20 lacks: polyfill first.
import 'core-js/actual/iterator/index.js';
import type { Heading, Paragraph as MdParagraph, Nodes, Root, RootContent } from 'mdast';
import { unified } from 'unified';
import remarkDocx from 'remark-docx';
import { AlignmentType, Paragraph, TextRun } from 'docx';
import type { DocumentModel, Section } from '../../model/types.js';
import { toString } from 'mdast-util-to-string';
import { documentContext, type DocumentContext } from '../../templating/context.js';
import { languageName, loadStrings, uiString, type Strings } from '../../templating/i18n.js';
import { eachParallelSection, parallelText, type ParallelSection, type ParallelText } from '../../model/parallel.js';
import { shared, warnOnce, type RenderContext } from '../registry.js';
import { loadTheme, PAGE_SIZES, sharedFontLanguage } from '../../theme/theme.js';
import { bookmarkNames } from './bookmarks.js';
import { buildersPlugin, languageOf, pageBreak, runLanguage, type BuilderWarning, type NotesNode, type ParallelNode, type TextData } from './builders.js';
import { cjkFallbackLanguage } from '../../shared/scripts.js';
import { finishPackage } from './package.js';
import { docxStyles, fontsOf } from './styles.js';

const TOC_MARKER = 'EDITIONS-CONTENTS-GO-HERE';
/**
 * Before the second text's footnote identifiers: a NUL never stands in a Markdown label
 * (micromark replaces it), so no identifier of the first text can take the same key.
 */
const SECOND_NOTES = '\u0000second:';
/** Points to twentieths of a point. */
const twips = (pt: number) => Math.round(pt * 20);

export async function renderDocx(model: DocumentModel, ctx: RenderContext, partner?: DocumentModel): Promise<Uint8Array> {
  const theme = shared(ctx, 'pdf-theme', () => loadTheme(ctx.templates));
  // A bilingual edition with Chinese needs its East Asian font names.
  const fontLang = sharedFontLanguage(theme, [model.lang, ...(partner ? [partner.lang] : [])]);
  const { names: fonts, files: fontFiles } = shared(ctx, `docx-fonts:${fontLang}`, () => fontsOf(theme, fontLang));
  const quoted = cjkFallbackLanguage(theme.fallbackFontPaths);
  const strings = loadStrings(ctx.templates, model.lang);
  const context = documentContext(model, strings, ctx.build);
  const second = partner && { model: partner, strings: loadStrings(ctx.templates, partner.lang) };
  const secondContext = second && documentContext(partner, second.strings, ctx.build);
  const lang = languageOf(model.lang);
  const [pageWidth, pageHeight] = PAGE_SIZES[theme.page.size];
  const m = theme.page.margins;

  const headingIds = new WeakMap<Heading, string>();
  const bookmark = bookmarkNames([...model.allSections.map((s) => s.id), ...model.blocks.map((b) => b.id)]);
  // A section without a heading (the preamble) has its bookmark on its first block.
  const opens = new Map<string, string>();
  for (const s of model.allSections) {
    const first = !s.heading && model.blocks.find((b) => b.sectionId === s.id);
    if (first) opens.set(first.id, s.id);
  }
  const body: RootContent[] = [];
  const walk = (s: Section) => {
    if (s.heading) headingIds.set(s.heading, s.id);
    body.push(...(s.heading ? [s.heading] : []), ...withoutRawHtml(s.content));
    s.children.forEach(walk);
  };
  if (second) {
    model.allSections.forEach((s) => s.heading && headingIds.set(s.heading, s.id));
    const paired = parallelText(model, second.model);
    const parallel = (sections: readonly ParallelSection[]) =>
      parallelBody(paired, strings, second.strings, ctx.layout ?? 'side-by-side', sections) as unknown as RootContent;
    // Where each part starts a page (a briefing packet's key points, background, each chosen
    // section, glossary, sources), as in the print edition: a table of its own after a page break.
    const parts = ctx.edition.partBreaks ? paired.sections.map((s) => eachParallelSection([s])) : [eachParallelSection(paired.sections)];
    parts.forEach((part, i) => body.push(...(i > 0 ? [{ type: 'editionsPageBreak' } as unknown as RootContent] : []), parallel(part)));
  } else {
    model.sections.forEach(walk);
  }

  const run = (text: string, options: Record<string, unknown> = {}) =>
    new TextRun({ text, language: runLanguage(lang, text, quoted), ...options });
  const custom = {
    // A line of the packet cover in a paragraph style of its own (Title, Subtitle), in its language.
    editionsStyled: (node: StyledLine) => [
      new Paragraph({
        style: node.style,
        // Not justified: a title wrapped over two lines would be spread out.
        alignment: AlignmentType.LEFT,
        ...(node.spaceBefore && { spacing: { before: twips(node.spaceBefore) } }),
        children: [new TextRun({ text: node.text, language: runLanguage(languageOf(node.lang), node.text, quoted) })],
      }),
    ],
    editionsContents: () => [new Paragraph({ alignment: AlignmentType.LEFT, children: [run(TOC_MARKER)] })],
    editionsPageBreak: () => [pageBreak()],
  };

  // A cover sheet is in both languages; a title page names the second in its subtitle.
  const front: RootContent[] = ctx.edition.coverSheet
    ? [
        ...coverLines(ctx, context, pageHeight * 0.12, 'packet/cover.md.hbs'),
        ...(secondContext ? coverLines(ctx, secondContext, 36, 'packet/cover.md.hbs') : []),
        { type: 'editionsPageBreak' } as unknown as RootContent,
      ]
    : [
        // The print edition's title page template (overridable as it is), in each language.
        ...coverLines(ctx, context, pageHeight * 0.2, 'pdf/title-page.md.hbs'),
        ...(secondContext ? coverLines(ctx, secondContext, 36, 'pdf/title-page.md.hbs') : []),
        { type: 'editionsPageBreak' } as unknown as RootContent,
        ...(ctx.edition.colophon ? colophon(ctx, context) : []),
      ];
  const root: Root = {
    type: 'root',
    children: [
      ...front,
      ...(ctx.edition.contentsPage
        ? [{ type: 'editionsContents' } as unknown as RootContent, { type: 'editionsPageBreak' } as unknown as RootContent]
        : []),
      ...body,
      notes(model.footnotes),
      ...(partner ? [notes(partner.footnotes, partner.lang)] : []),
    ],
  };

  const processor = unified().use(remarkDocx, {
    title: model.meta.title,
    subject: model.meta.description ?? model.meta.title,
    creator: model.meta.issuer,
    keywords: model.meta.keywords.join(', '),
    description: model.meta.description ?? '',
    size: { width: twips(pageWidth), height: twips(pageHeight) },
    margin: { top: twips(m.top), bottom: twips(m.bottom), left: twips(m.inner), right: twips(m.outer) },
    spacing: twips(theme.body.paragraphSpacing),
    thematicBreak: 'line',
    styles: docxStyles(theme, fonts, lang),
    plugins: [
      buildersPlugin({
        headingIds,
        opens,
        bookmark,
        lang: model.lang,
        text: textData(model, ''),
        ...(partner && { partner: textData(partner, SECOND_NOTES) }),
        monoFont: fonts.mono,
        custom,
        ...(ctx.report && { warn: warner(ctx) }),
        ...(quoted && { quoted }),
      }),
    ],
  });
  // remark-docx's compiler returns a promise of the package (its CompileResultMap entry).
  const docx = await (processor.stringify(root) as unknown as Promise<ArrayBuffer>);

  return finishPackage(docx, {
    title: model.meta.title,
    lang: lang.value,
    ...(quoted && !lang.eastAsia && { quoted }),
    date: ctx.build.date,
    generator: ctx.build.generator,
    contentsTitle: uiString(strings, 'contents'),
    pageOf: uiString(strings, 'pageOf'),
    toc: model.allSections.filter((s) => s.heading).map((s) => ({ bookmark: bookmark(s.id), text: s.text, depth: s.depth })),
    tocMarker: TOC_MARKER,
    tabStop: twips(pageWidth - m.inner - m.outer),
    fonts: fontFiles,
  });
}

/** The bilingual body of `sections`: each heading and block of `first` beside the same ID's in `second`. */
function parallelBody(
  parallel: ParallelText,
  firstStrings: Strings,
  secondStrings: Strings,
  layout: ParallelNode['layout'],
  sections: readonly ParallelSection[],
): ParallelNode {
  const [first, second] = parallel.texts;
  const rows: ParallelNode['rows'] = [];
  // A stale or missing translation is flagged under its block (a --strict build stops before).
  const flagged = (model: DocumentModel, strings: Strings, id: string, nodes: RootContent[]): RootContent[] => {
    const key = parallel.flag(model, id);
    if (!key) return nodes;
    return [...nodes, { type: 'paragraph', children: [{ type: 'emphasis', children: [{ type: 'text', value: uiString(strings, key) }] }] }];
  };
  const side = (model: DocumentModel, strings: Strings, id: string, nodes: RootContent[]) => flagged(model, strings, id, withoutRawHtml(nodes));
  const heading = (s: Section | undefined) => (s?.heading ? [s.heading] : []);
  for (const s of sections) {
    // Headings as they are: their bookmarks are found by the node itself. The preamble has none.
    if (s.original.heading) rows.push({ first: flagged(first, firstStrings, s.id, heading(s.first)), second: flagged(second, secondStrings, s.id, heading(s.second)) });
    for (const { id, original, first: a, second: b } of s.rows) {
      const item = original.item;
      rows.push({ first: side(first, firstStrings, id, a ? [a.node] : []), second: side(second, secondStrings, id, b ? [b.node] : []), ...(item && { item }) });
    }
  }
  return {
    type: 'editionsParallel',
    layout,
    languages: [first.lang, second.lang],
    header: [languageName(firstStrings, first.lang), languageName(secondStrings, second.lang)],
    rows,
  };
}

/** What the builders read from one text. */
function textData(model: DocumentModel, notePrefix: string): TextData {
  return { file: model.file, images: model.images, definitions: model.definitions, linkSchemes: model.linkSchemes, notePrefix };
}

/** A text's footnotes, for footnotes.xml; `secondLang` for a bilingual edition's second text. */
function notes(footnotes: DocumentModel['footnotes'], secondLang?: string): RootContent {
  const node: NotesNode = { type: 'editionsNotes', children: footnotes, ...(secondLang && { secondLang }) };
  return node as unknown as RootContent;
}

/**
 * The builders' warnings into the build's report, each once: a text rendered in several
 * editions (its own, a packet) would otherwise report the same place again.
 */
function warner(ctx: RenderContext): (w: BuilderWarning) => void {
  return ({ message, hint, file, place }) => warnOnce(ctx, { severity: 'warning', ruleId: 'unsupported-content', message, file, hint, ...(place && { place }) });
}

/** Raw HTML is reported by the model; remark-docx would write it as a bare run (schema-invalid). */
function withoutRawHtml(nodes: readonly RootContent[]): RootContent[] {
  const keep = (n: Nodes): boolean => n.type !== 'html';
  const strip = (n: Nodes): Nodes => ('children' in n ? ({ ...n, children: (n.children as Nodes[]).filter(keep).map(strip) } as Nodes) : n);
  return nodes.filter(keep).map((n) => strip(n) as RootContent);
}

interface StyledLine {
  type: 'editionsStyled';
  style: 'Title' | 'Subtitle';
  text: string;
  lang: string;
  spaceBefore?: number;
}

/**
 * A cover template's Markdown for one language (the packet's cover sheet, or the title page the
 * print edition has): its "#" and "##" lines in the Title and Subtitle styles (not headings,
 * which belong to the text and its contents), the first paragraph small above them, the rest as
 * written, each field of a paragraph (a line ended by a hard break) a paragraph of its own.
 */
function coverLines(ctx: RenderContext, context: DocumentContext, spaceBefore: number, template: string): RootContent[] {
  const nodes = ctx.templates.markdown(template, context).children;
  return nodes.flatMap((n, i): RootContent[] => {
    if (n.type === 'heading') {
      const line: StyledLine = { type: 'editionsStyled', style: n.depth === 1 ? 'Title' : 'Subtitle', text: toString(n), lang: context.lang };
      return [line as unknown as RootContent];
    }
    if (i === 0) return [{ type: 'editionsStyled', style: 'Subtitle', text: toString(n), lang: context.lang, spaceBefore } as unknown as RootContent];
    return [{ type: 'editionsLang', lang: context.lang, children: fieldLines([n]) } as unknown as RootContent];
  });
}

/**
 * A paragraph of fields ("Issued by: ...", a hard break, "Date of issue: ...") as one ragged
 * paragraph a field: a hard break in a justified paragraph stretches the line before it across
 * the measure, in LibreOffice and in Word (FINDINGS.md).
 */
function fieldLines(nodes: readonly RootContent[]): RootContent[] {
  return nodes.flatMap((n): RootContent[] => {
    if (n.type !== 'paragraph' || !n.children.some((c) => c.type === 'break')) return [n];
    const lines: MdParagraph['children'][] = [[]];
    for (const c of n.children) {
      if (c.type === 'break') lines.push([]);
      else lines.at(-1)!.push(c);
    }
    return lines
      .filter((l) => l.length > 0)
      .map((children, i, all): RootContent => ({ type: 'paragraph', data: { ragged: true, ...(i < all.length - 1 && { tight: true }) }, children }));
  });
}

/**
 * The colophon is the print edition's Markdown template; its headings become bold lines, so
 * that only the document's own sections are headings (navigation pane, contents).
 */
function colophon(ctx: RenderContext, context: DocumentContext): RootContent[] {
  return fieldLines(
    ctx.templates.markdown('pdf/colophon.md.hbs', context).children.map((n) =>
      n.type === 'heading' ? ({ type: 'paragraph', children: [{ type: 'strong', children: n.children }] } as RootContent) : n,
    ),
  );
}
