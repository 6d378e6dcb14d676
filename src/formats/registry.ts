/**
 * The formats, as data: a name, a file extension and a media type, and a renderer loaded only
 * when a build asks for that format (pdfkit and docx are slow to import).
 */
import type { Diagnostic, Report } from '../messages.js';
import type { EditionSpec } from '../editions/spec.js';
import type { DocumentModel } from '../model/types.js';
import type { BuildInfo } from '../templating/context.js';
import type { Templates } from '../templating/engine.js';

export interface RenderContext {
  templates: Templates;
  build: BuildInfo;
  /** Work shared between formats of one build (the EPUB packs the HTML edition's page). */
  memo: Map<string, unknown>;
  /** What the edition has around its text (cover, colophon, contents, part breaks). */
  edition: EditionSpec;
  /** A bilingual edition's layout: the two languages side by side, or alternating block by block. */
  layout?: 'side-by-side' | 'alternating';
  /**
   * Where a renderer reports what it had to change or leave out (as warnings, at their place in
   * the source); the build prints them with the model's. Optional: a renderer must not need it.
   */
  report?: Report;
}

/** Renders `model`; with `partner`, the bilingual edition of the two. */
export type Renderer = (model: DocumentModel, ctx: RenderContext, partner?: DocumentModel) => Promise<Uint8Array> | Uint8Array;

export interface Format {
  name: FormatName;
  ext: string;
  mediaType: string;
  load(): Promise<Renderer>;
}

export const FORMAT_NAMES = ['html', 'epub', 'pdf', 'docx'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

export const FORMATS: Record<FormatName, Format> = {
  html: {
    name: 'html',
    ext: 'html',
    mediaType: 'text/html',
    load: async () => (await import('./html/index.js')).renderHtml,
  },
  epub: {
    name: 'epub',
    ext: 'epub',
    mediaType: 'application/epub+zip',
    load: async () => (await import('./epub/index.js')).renderEpub,
  },
  pdf: {
    name: 'pdf',
    ext: 'pdf',
    mediaType: 'application/pdf',
    load: async () => (await import('./pdf/index.js')).renderPdf,
  },
  docx: {
    name: 'docx',
    ext: 'docx',
    mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    load: async () => (await import('./docx/index.js')).renderDocx,
  },
};

/** Where the PDF renderer leaves the picture of an edition's first page for the catalogue. */
export function thumbnailKey(texts: readonly (DocumentModel | undefined)[]): string {
  return `thumbnail:${texts.map((t) => t?.file ?? '').join('+')}`;
}

/**
 * Adds `d` to the build's report once, however many outputs meet it: a text is set in several
 * formats and editions, and the same warning at the same place is said once.
 */
export function warnOnce(ctx: RenderContext, d: Diagnostic): void {
  const seen = shared(ctx, 'render-warnings', () => new Set<string>());
  const key = JSON.stringify([d.ruleId, d.file, d.place?.line, d.place?.column, d.message]);
  if (seen.has(key)) return;
  seen.add(key);
  ctx.report?.add(d);
}

/** Memoises `make` under `key` for the rest of the build. */
export function shared<T>(ctx: RenderContext, key: string, make: () => T): T {
  if (!ctx.memo.has(key)) ctx.memo.set(key, make());
  return ctx.memo.get(key) as T;
}
