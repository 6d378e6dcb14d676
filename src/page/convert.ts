/**
 * How one language's text becomes hast: the handlers, the footnote labels in that language, and
 * where a node no handler knows is reported. The single-language page and each side of a
 * bilingual page convert their text with these options, once each, so that footnotes are
 * numbered in reading order and reference links and images find their definitions.
 */
import type { Element, ElementContent } from 'hast';
import type { FootnoteReference, Text as Text_ } from 'mdast';
import { defaultHandlers, type Handler, type Handlers, type Options } from 'mdast-util-to-hast';
import type { DocumentModel } from '../model/types.js';
import { cjkRuns, CJK } from '../shared/scripts.js';
import { uiString, type Strings } from '../templating/i18n.js';
import { htmlHandlers, type ImageSource } from './handlers.js';

/** One language's text and what converting it needs. */
export interface Text {
  model: DocumentModel;
  strings: Strings;
  images: ImageSource;
  /** Reports an mdast node that no handler knows (see unknown.ts). */
  unknown: Handler;
  /** The language of CJK characters quoted in this text (absent when the text is CJK itself). */
  quoted?: string;
}

/** mdast-util-to-hast's fixed id of the footnotes heading, which the note marks refer to. */
export const FOOTNOTE_LABEL = 'footnote-label';

/** The options for a single-language page: mdast-util-to-hast's own note ids (`user-content-fn-…`). */
export function pageOptions(text: Text): Options {
  return {
    handlers: { ...htmlHandlers(text.images), ...(text.quoted && { text: quotedText(text.quoted) }) } as Handlers,
    footnoteLabel: uiString(text.strings, 'footnotes'),
    footnoteBackLabel: (referenceIndex: number, rereferenceIndex: number) =>
      `${uiString(text.strings, 'footnoteBack')} ${referenceIndex + 1}${rereferenceIndex > 1 ? `-${rereferenceIndex}` : ''}`,
    unknownHandler: text.unknown,
  };
}

/**
 * Text with its CJK runs in spans of their language (`Xiamen (<span lang="zh-Hans">厦门</span>)`),
 * so that a browser picks a Chinese font and a screen reader a Chinese voice for them.
 */
function quotedText(lang: string): Handler {
  return (state, node: Text_) => {
    const result = defaultHandlers.text(state, node);
    if (result.type !== 'text' || !CJK.test(result.value)) return result;
    return cjkRuns(result.value).map(
      (run): ElementContent =>
        run.cjk ? { type: 'element', tagName: 'span', properties: { lang, xmlLang: lang }, children: [{ type: 'text', value: run.text }] } : { type: 'text', value: run.text },
    );
  };
}

/**
 * The id prefix of one side's notes on a bilingual page: its language tag (`en-fn-1`,
 * `zh-Hans-fnref-1`), a valid XML id start that differs between the two sides.
 */
function notePrefix(model: DocumentModel): string {
  return `${model.lang}-`;
}

/**
 * The options for one side of a bilingual page. Its notes' ids carry the side's prefix, and the
 * notes heading is shown (two lists numbered from 1 follow each other, so each is named in its
 * language), with an id of its own that the side's marks describe themselves by.
 */
export function sideOptions(text: Text): Options {
  const prefix = notePrefix(text.model);
  const page = pageOptions(text);
  const footnoteReference: Handler = (state, node: FootnoteReference) => {
    const sup = defaultHandlers.footnoteReference(state, node);
    const mark = sup.children.find((c): c is Element => c.type === 'element');
    if (mark) mark.properties.ariaDescribedBy = [noteLabelId(text.model)];
    return sup;
  };
  return {
    ...page,
    handlers: { ...page.handlers, footnoteReference } as Handlers,
    clobberPrefix: prefix,
    footnoteLabelProperties: {},
  };
}

/** The id of one side's notes heading. */
export function noteLabelId(model: DocumentModel): string {
  return `${notePrefix(model)}${FOOTNOTE_LABEL}`;
}
