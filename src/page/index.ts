/**
 * The XHTML5 page of a text (or of a bilingual edition's two): what the HTML edition is, and
 * what the EPUB packs. It is shared by those two formats, so it lives outside both folders.
 */
import { XMLValidator } from 'fast-xml-parser';
import type { DocumentModel } from '../model/types.js';
import { EditionsError, fail, type Diagnostic } from '../messages.js';
import { cjkFallbackLanguage, isCjkLanguage } from '../shared/scripts.js';
import { loadTheme } from '../theme/theme.js';
import { documentContext } from '../templating/context.js';
import { loadStrings } from '../templating/i18n.js';
import { shared, warnOnce, type RenderContext } from '../formats/registry.js';
import { renderBilingualBody } from './bilingual.js';
import { renderBody } from './body.js';
import type { Text } from './convert.js';
import type { ImageSource } from './handlers.js';
import { unknownNodeHandler } from './unknown.js';

export interface PageOptions {
  /** The second language of a bilingual edition. */
  partner?: DocumentModel;
  /**
   * Where each text's images come from: the HTML edition embeds them as data URLs (one
   * self-contained file); the EPUB points at the files it packs.
   */
  images: (text: DocumentModel) => ImageSource;
}

/** The page as XHTML text. */
export function renderPage(model: DocumentModel, ctx: RenderContext, { partner, images }: PageOptions): string {
  const quoted = cjkFallbackLanguage(shared(ctx, 'pdf-theme', () => loadTheme(ctx.templates)).fallbackFontPaths);
  const text = (m: DocumentModel): Text => ({
    model: m,
    strings: loadStrings(ctx.templates, m.lang),
    images: images(m),
    unknown: unknownNodeHandler(m.file, reportOnce(ctx)),
    ...(!isCjkLanguage(m.lang) && quoted && { quoted }),
  });
  const first = text(model);
  const second = partner && text(partner);
  const page = ctx.templates.render('html/page.hbs', {
    ...documentContext(model, first.strings, ctx.build, second),
    edition: ctx.edition,
    body: second ? renderBilingualBody(first, second) : renderBody(first),
    alternating: ctx.layout === 'alternating',
    style: ctx.templates.read('html/style.css'),
  });
  checkWellFormed(page, ctx);
  return page;
}

/**
 * Where the page's warnings go: the build's report, each once (the EPUB and the bilingual
 * editions convert the same text again). Without a report they stop the render, so that
 * nothing is left out unsaid.
 */
function reportOnce(ctx: RenderContext): (warning: Diagnostic) => void {
  return (warning) => {
    if (!ctx.report) throw new EditionsError({ ...warning, severity: 'error' });
    warnOnce(ctx, warning);
  };
}

/**
 * The page must parse as XML (the EPUB is read that way). Our own output always does; a
 * template override that breaks it is caught here, before anything is written.
 */
export function checkWellFormed(xhtml: string, ctx: Pick<RenderContext, 'templates'>): void {
  const result = XMLValidator.validate(xhtml);
  if (result === true) return;
  const { line, col, msg } = result.err;
  const overrides = ctx.templates.dirs.slice(0, -1);
  fail('template-output', `the page made from the templates is not well-formed XHTML at its line ${line}, column ${col}: ${msg}`, {
    hint:
      overrides.length > 0
        ? `check the templates you override in ${overrides.join(', ')}: close every element (<br />) and escape & and <`
        : 'close every element (<br />) and escape & and <',
  });
}
