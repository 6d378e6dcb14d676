/** Renders a document folder in-process, with the dates the build would use and no SOURCE_DATE_EPOCH. */
import { editionSpec } from '../src/editions/spec.js';
import { unzipSync } from 'fflate';
import { buildInfo } from '../src/build/dates.js';
import { renderEpub } from '../src/formats/epub/index.js';
import { dataUrls } from '../src/formats/html/index.js';
import { renderPage } from '../src/page/index.js';
import type { RenderContext } from '../src/formats/registry.js';
import { Report } from '../src/messages.js';
import { loadDocuments } from '../src/model/load.js';
import type { DocumentModel } from '../src/model/types.js';
import { Templates } from '../src/templating/engine.js';
import { typesetModels } from '../src/model/typography.js';

export interface Rendered {
  model: DocumentModel;
  html: string;
  epub: Uint8Array;
  /** The EPUB's entries, in zip order. */
  epubFiles: Map<string, string>;
}

export async function renderFolder(dir: string, templateDirs: string[] = []): Promise<Rendered> {
  const report = new Report();
  const [model] = await loadDocuments([dir], report);
  if (!model || report.errorCount > 0) throw new Error(`cannot render ${dir}: ${report.diagnostics.map((d) => d.message).join('; ')}`);
  const templates = new Templates(templateDirs);
  // The typography a build gives the text (curly quotes by language): the goldens are what a build writes.
  typesetModels([model], templates);
  const ctx: RenderContext = { templates, build: buildInfo(model, {}), memo: new Map(), edition: editionSpec(model, 'print') };
  const epub = renderEpub(model, ctx);
  const epubFiles = new Map(Object.entries(unzipSync(epub)).map(([k, v]) => [k, new TextDecoder().decode(v)]));
  return { model, html: renderPage(model, ctx, { images: dataUrls }), epub, epubFiles };
}
