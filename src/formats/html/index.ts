/** The EPUB-ready HTML edition: one self-contained XHTML5 page per document and language. */
import type { DocumentModel } from '../../model/types.js';
import type { ImageSource } from '../../page/handlers.js';
import { renderPage } from '../../page/index.js';
import type { RenderContext } from '../registry.js';

export function renderHtml(model: DocumentModel, ctx: RenderContext, partner?: DocumentModel): Uint8Array {
  return new TextEncoder().encode(renderPage(model, ctx, { ...(partner && { partner }), images: dataUrls }));
}

/** Each image as a data URL, so that the page is one file that opens anywhere. */
export function dataUrls(model: DocumentModel): ImageSource {
  return (url) => {
    const image = model.images.get(url);
    return image && { src: `data:${image.mediaType};base64,${image.data.toString('base64')}`, width: image.width, height: image.height };
  };
}
