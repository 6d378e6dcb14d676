/**
 * EPUB 3 built from the HTML edition's page: the same XHTML, a package document, a navigation
 * document made from the section tree, and schema.org accessibility metadata.
 */
import { createHash } from 'node:crypto';
import type { DocumentModel } from '../../model/types.js';
import { documentContext } from '../../templating/context.js';
import { loadStrings } from '../../templating/i18n.js';
import type { ImageSource } from '../../page/handlers.js';
import { checkWellFormed, renderPage } from '../../page/index.js';
import type { RenderContext } from '../registry.js';
import { zip } from '../../shared/zip.js';

const CONTAINER = `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles>
<rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
</rootfiles>
</container>
`;

/** The content document's name inside the EPUB. */
const PAGE = 'paper.xhtml';

export function renderEpub(model: DocumentModel, ctx: RenderContext, partner?: DocumentModel): Uint8Array {
  // Images are packed as files named by their content, so each is stored once.
  const images = [...model.images.values(), ...(partner?.images.values() ?? [])].map((image) => {
    const name = `${createHash('sha256').update(image.data).digest('hex').slice(0, 16)}.${image.mediaType === 'image/png' ? 'png' : 'jpg'}`;
    return { image, href: `images/${name}`, id: `img-${name.replace('.', '-')}` };
  });
  // A URL names a file beside the source of the text that wrote it: each text resolves its own.
  const packed = new Map(images.map((i) => [i.image, i]));
  const source = (text: DocumentModel): ImageSource => (url) => {
    const asset = text.images.get(url);
    const i = asset && packed.get(asset);
    return i && { src: i.href, width: i.image.width, height: i.image.height };
  };
  const page = renderPage(model, ctx, { ...(partner && { partner }), images: source });
  const strings = loadStrings(ctx.templates, model.lang);
  const partnerStrings = partner && { model: partner, strings: loadStrings(ctx.templates, partner.lang) };
  const unique = [...new Map(images.map((i) => [i.href, i])).values()];
  const context = {
    ...documentContext(model, strings, ctx.build, partnerStrings),
    edition: ctx.edition,
    identifier: identifierFor(model, partner),
    modified: ctx.build.date.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    page: PAGE,
    images: unique.map((i) => ({ id: i.id, href: i.href, mediaType: i.image.mediaType })),
    a11y: accessibility(page, unique.map((i) => i.image.data)),
  };
  const nav = ctx.templates.render('epub/nav.xhtml.hbs', context);
  checkWellFormed(nav, ctx);
  const opf = ctx.templates.render('epub/package.opf.hbs', context);
  checkWellFormed(opf, ctx);
  return zip(
    [
      { path: 'mimetype', data: 'application/epub+zip', store: true },
      { path: 'META-INF/container.xml', data: CONTAINER },
      { path: 'EPUB/package.opf', data: opf },
      { path: 'EPUB/nav.xhtml', data: nav },
      { path: `EPUB/${PAGE}`, data: page },
      // Compressed images do not shrink: store them.
      ...unique.map((i) => ({ path: `EPUB/${i.href}`, data: i.image.data, store: true })),
    ],
    ctx.build.date,
  );
}

/**
 * The package document's EPUB Accessibility 1.1 claims, made from the page as written and the
 * images packed: each claim only where it holds for this edition.
 */
export interface Accessibility {
  /** schema:accessMode: textual, and visual when the page shows an image. */
  modes: string[];
  /** schema:accessModeSufficient: each a comma-separated set of modes that conveys it all. */
  sufficient: string[];
  /** schema:accessibilityFeature */
  features: string[];
  /** schema:accessibilityHazard */
  hazards: string[];
  /** The i18n keys of the summary's sentences after the first (accessibilityStructure). */
  summary: string[];
}

export function accessibility(page: string, images: readonly Uint8Array[]): Accessibility {
  const imgs = [...page.matchAll(/<img\b[^>]*>/g)].map((m) => m[0]);
  // An empty alt is no description: the Markdown gave none (nothing marks an image decorative).
  const described = imgs.every((tag) => /\salt="[^"]*[^\s"][^"]*"/.test(tag));
  const tables = [...page.matchAll(/<table\b[\s\S]*?<\/table>/g)].map((m) => m[0]);
  const features = ['structuralNavigation', 'tableOfContents', 'readingOrder', 'displayTransformability', 'unlocked'];
  if (imgs.length > 0 && described) features.push('alternativeText');
  if (page.includes('<math')) features.push('MathML');
  const summary = [imgs.length === 0 ? 'accessibilityNoImages' : described ? 'accessibilityImagesDescribed' : 'accessibilityImagesUndescribed'];
  if (tables.length > 0 && tables.every((t) => t.includes('<th'))) summary.push('accessibilityTables');
  return {
    modes: imgs.length > 0 ? ['textual', 'visual'] : ['textual'],
    sufficient: imgs.length === 0 ? ['textual'] : described ? ['textual', 'textual,visual'] : ['textual,visual'],
    features,
    // Text and still images: no sound, no motion, nothing that flashes; an animated PNG might.
    hazards: images.some(animated) ? ['noSoundHazard', 'unknownFlashingHazard', 'unknownMotionSimulationHazard'] : ['none'],
    summary,
  };
}

/** Whether a PNG is animated (APNG: an acTL chunk before the first IDAT); a JPEG never is. */
function animated(data: Uint8Array): boolean {
  const png = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (png.length < 8 || png.readUInt32BE(0) !== 0x89504e47) return false;
  for (let at = 8; at + 8 <= png.length; ) {
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'acTL') return true;
    if (type === 'IDAT' || type === 'IEND') return false;
    at += 12 + png.readUInt32BE(at);
  }
  return false;
}

/** A UUID (version 5 layout) from the document and language: the same for every build. */
export function identifierFor(model: DocumentModel, partner?: DocumentModel): string {
  const h = createHash('sha1').update(`policy-editions:${model.id}:${model.lang}${partner ? `+${partner.lang}` : ''}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
