/**
 * What an edition is made of around its text: its cover, colophon, contents and part breaks.
 * Renderers read this instead of asking what kind of document they were given, so a new kind
 * of edition is a new spec, not a branch in every format.
 */
import type { DocumentModel } from '../model/types.js';
import type { EditionName } from './plan.js';

export interface EditionSpec {
  /** A briefing packet's cover sheet (classification, purpose, audience) instead of a title page. */
  coverSheet: boolean;
  /** The colophon: who issued the text, where it comes from, what the editors changed. */
  colophon: boolean;
  /**
   * A contents page in the print and Word editions. (The HTML page and the EPUB list their
   * sections whenever they have headings: there the list is how a reader moves about.)
   */
  contentsPage: boolean;
  /**
   * Each top-level part (a packet's key points, background, each chosen section) starts a page,
   * unless the page it would leave is under a third full: then it runs on (the PDF).
   */
  partBreaks: boolean;
}

/**
 * The spec of `edition` for `model`. A briefing packet opens with its cover sheet, has no
 * colophon (its sources page says where the text comes from) and no contents page (its bookmarks
 * list its sections), and starts each part on a page; a document has a title page and a
 * colophon, and a contents page when it has headings.
 */
export function editionSpec(model: DocumentModel, edition: EditionName): EditionSpec {
  const briefing = edition === 'briefing';
  return {
    coverSheet: briefing,
    colophon: !briefing,
    contentsPage: !briefing && model.allSections.some((s) => s.heading),
    partBreaks: briefing,
  };
}
