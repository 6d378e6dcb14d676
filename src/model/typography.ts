/**
 * Smart typography by language, applied to a built model's text just before it is rendered:
 * straight quotes and apostrophes become the language's curly quotes (retext-smartypants), in the
 * text and in the front-matter values every edition prints.
 *
 * It runs after the load, so translation records never see it: staleness.ts hashes the text as
 * written (`editions translations status` and `accept` read the sources untouched), and the
 * statuses a build reads were worked out when the documents were loaded. Code spans and code
 * blocks keep their straight quotes, and so do URLs.
 *
 * The quotes are the house style's, a UI string per language: four characters, the opening and
 * closing double quotes, then the single ones (`quotes: "“”‘’"`), the closing single also being
 * the apostrophe; or six, with the quotes of a quotation inside a double one between (Spanish
 * `quotes: "«»“”‘’"`: «la cita “interior”», as the RAE's Ortografía nests them, while a single
 * quote outside any, for a word's meaning, stays ‘ ’). A language without one takes the
 * defaults below.
 */
import type { Nodes, Root, RootContent } from 'mdast';
import { retext } from 'retext';
import smartypants from 'retext-smartypants';
import type { Templates } from '../templating/engine.js';
import { loadStrings, type Strings } from '../templating/i18n.js';
import type { DocumentModel } from './types.js';

/** U+2060 WORD JOINER: no line break here (UAX #14's WJ), and nothing drawn. */
export const WORD_JOINER = '\u2060';

/**
 * A citation of the original numbering: a part's Roman numeral, then section numbers and a
 * parenthesised subsection number, each ending in a full stop ("IV.2.(3)", "IV.2", "III.").
 */
const CITATION = /(?<![\p{L}\p{N}])[IVXLCDM]+\.(?:\d+\.)*(?:\d+|\(\d+\))?(?![\p{L}\p{N}])/gu;

/**
 * `text` with a word joiner after each full stop and before each parenthesis inside a citation
 * (IV.2.(3)), where UAX #14 would allow a line break: a citation is never split across lines.
 * Only citations with more than one part are glued; text with joiners already comes out the same.
 */
export function glueCitations(text: string): string {
  if (!/[IVXLCDM]\./.test(text)) return text;
  return text.replace(CITATION, (c) => (/\.[\d(]/.test(c) ? c.replace(/\.(?=[\d(])/g, `.${WORD_JOINER}`) : c));
}

export interface QuoteStyle {
  open: { double: string; single: string };
  close: { double: string; single: string };
  /** The quotes of a quotation written in single quotes inside a double one, where they differ. */
  nested?: { open: string; close: string };
}

/**
 * English “ ” ‘ ’; Spanish « » as Spanish publishers print them (the RAE's Ortografía of 2010
 * recommends the angular quotes first in printed text, then “ ” inside them, ‘ ’ for meanings),
 * with ’ as the apostrophe; Chinese the full-width “ ” ‘ ’ of GB/T 15834 (the same code points,
 * set by the CJK font).
 */
const DEFAULTS: Record<string, string> = { en: '“”‘’', es: '«»“”‘’', zh: '“”‘’' };

/** The quotes of `strings`' language: its `quotes` string, else the language's default, else English. */
export function quoteStyle(strings: Strings, lang: string): QuoteStyle {
  const given = [...(strings.quotes ?? DEFAULTS[lang.split('-')[0]!] ?? DEFAULTS.en!)];
  const chars = given.length === 4 || given.length === 6 ? given : [...DEFAULTS.en!];
  const [od, cd] = chars;
  const [os, cs] = chars.slice(-2);
  return { open: { double: od!, single: os! }, close: { double: cd!, single: cs! }, ...(chars.length === 6 && { nested: { open: chars[2]!, close: chars[3]! } }) };
}

/** Where smartypants closes a single quote (or sets an apostrophe): told apart after it. */
const SINGLE_CLOSE = '\ue000';

/**
 * Sets a style's nested quotes: a single quote opened inside a double one takes the nested
 * quotes, one opened outside keeps the single ones; a closing mark between two letters, or with
 * no single quote open, is the apostrophe. Text nodes are read in order, as one run.
 */
function nestQuotes(node: Nodes, style: QuoteStyle & { nested: { open: string; close: string } }, state = { doubles: 0, singles: [] as boolean[] }): void {
  if (node.type === 'text') {
    const chars = [...node.value];
    node.value = chars
      .map((ch, i) => {
        if (ch === style.open.double) state.doubles++;
        else if (ch === style.close.double) state.doubles = Math.max(0, state.doubles - 1);
        else if (ch === style.open.single) {
          state.singles.push(state.doubles > 0);
          return state.doubles > 0 ? style.nested.open : ch;
        } else if (ch === SINGLE_CLOSE) {
          const inWord = /\p{L}/u.test(chars[i - 1] ?? '') && /\p{L}/u.test(chars[i + 1] ?? '');
          if (inWord || state.singles.length === 0) return style.close.single;
          return state.singles.pop() ? style.nested.close : style.close.single;
        }
        return ch;
      })
      .join('');
  } else if ('children' in node) for (const c of node.children) nestQuotes(c, style, state);
}

const processors = new Map<string, (text: string) => string>();

/** Quotes only: dashes, ellipses and backticks stay as the source writes them. */
function curler(style: QuoteStyle): (text: string) => string {
  const key = JSON.stringify(style);
  let run = processors.get(key);
  if (!run) {
    const processor = retext().use(smartypants, { openingQuotes: style.open, closingQuotes: style.close, dashes: false, ellipses: false, backticks: false });
    run = (text) => String(processor.processSync(text));
    processors.set(key, run);
  }
  return run;
}

/** Blocks whose text starts fresh: a quote at their start opens, so a space stands before each. */
const BLOCKS = new Set(['paragraph', 'heading', 'tableCell']);

/**
 * Curls the quotes of the text under `root` as one string, so that a quote pairs across
 * emphasis, links and blocks: each text node's value, a code span's as letters (its quotes
 * neither curl nor pair), a space before each block; code blocks are left out. One pass of
 * smartypants over the whole run, then each text node takes its slice back (a quote keeps the
 * string's length). This is remark-smartypants' way, without its second pass over every text
 * node, which with dashes and ellipses off changes nothing and took half of a large build's
 * time (measured: 1.4 of 2.9 s for the HTML of the paper at 100x).
 */
function curlTree(root: Root, style: QuoteStyle): void {
  const texts: { node: { value: string }; at: number }[] = [];
  let all = '';
  const visit = (node: Nodes) => {
    if (BLOCKS.has(node.type)) all += ' ';
    if (node.type === 'text') {
      texts.push({ node, at: all.length });
      all += node.value;
    } else if (node.type === 'inlineCode') all += 'A'.repeat(node.value.length);
    else if ('children' in node) for (const c of node.children) visit(c as Nodes);
  };
  visit(root);
  if (!/["']/.test(all)) return;
  const curled = curler(style)(all);
  for (const { node, at } of texts) node.value = curled.slice(at, at + node.value.length);
}

/** Curls the quotes of `nodes` in place, as one run of text (a quote may open in one block and close in the next). */
export function curlNodes(nodes: readonly Nodes[], style: QuoteStyle): void {
  if (nodes.length === 0) return;
  const root: Root = { type: 'root', children: nodes as RootContent[] };
  if (style.nested) {
    curlTree(root, { ...style, close: { ...style.close, single: SINGLE_CLOSE } });
    nestQuotes(root, { ...style, nested: style.nested });
  } else curlTree(root, style);
  glueText(root);
}

/** Glues the citations of every text node under `node` (not code: a code span or block is `inlineCode` or `code`). */
function glueText(node: Nodes): void {
  if (node.type === 'text') node.value = glueCitations(node.value);
  else if ('children' in node) for (const child of node.children) glueText(child);
}

/** `text` with its quotes curled; plain text (front matter, headings' printed text: no joiners in bookmarks and metadata). */
export function curlText(text: string, style: QuoteStyle): string {
  if (!/["']/.test(text)) return text;
  const node = { type: 'text' as const, value: text };
  curlNodes([{ type: 'paragraph', children: [node] }], style);
  return node.value;
}

const done = new WeakSet<DocumentModel>();

/**
 * Curls every text of `model` once: its sections' headings, contents and printed titles, its
 * footnotes and the front-matter values the editions print. Shared nodes (a packet's chosen
 * sections are the documents') come out the same when curled twice: no straight quote is left.
 */
export function applyTypography(model: DocumentModel, strings: Strings): void {
  if (done.has(model)) return;
  done.add(model);
  const style = quoteStyle(strings, model.lang);
  for (const s of model.allSections) {
    curlNodes([...(s.heading ? [s.heading] : []), ...s.content], style);
    s.title = curlText(s.title, style);
    s.text = curlText(s.text, style);
  }
  curlNodes(model.footnotes, style);
  const { meta } = model;
  meta.title = curlText(meta.title, style);
  if (meta.subtitle) meta.subtitle = curlText(meta.subtitle, style);
  meta.issuer = curlText(meta.issuer, style);
  if (meta.description) meta.description = curlText(meta.description, style);
  meta.keywords = meta.keywords.map((k) => curlText(k, style));
  if (meta.source) meta.source.publisher = curlText(meta.source.publisher, style);
  if (meta.translation) meta.translation.translator = curlText(meta.translation.translator, style);
  if (meta.editorial) {
    meta.editorial.note = curlText(meta.editorial.note, style);
    for (const r of meta.editorial.repairs) r.change = curlText(r.change, style);
  }
  const { packet } = model;
  if (packet) {
    packet.purpose = curlText(packet.purpose, style);
    packet.audience = curlText(packet.audience, style);
    packet.classification = curlText(packet.classification, style);
    if (packet.preparedBy) packet.preparedBy = curlText(packet.preparedBy, style);
  }
}

/** Every model of a build, each with its language's quotes from `templates`' UI strings. */
export function typesetModels(models: readonly DocumentModel[], templates: Templates): void {
  for (const m of models) applyTypography(m, loadStrings(templates, m.lang));
}
