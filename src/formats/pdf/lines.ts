/**
 * Line breaking for the print edition: Unicode break opportunities (UAX #14, through the same
 * `linebreak` library pdfkit uses), soft hyphens from the language's patterns, greedy filling,
 * and justification data. Lines are drawn by draw.ts, glyph run by glyph run, so justification
 * widens the spaces without removing them from the text layer (pdfkit's own `justify` drops
 * them: "Thetwosides").
 */
import LineBreaker from 'linebreak';
import type { FontBook } from './fonts.js';
import { CJK, CJK_CHARS } from '../../shared/scripts.js';

export type Link = { internal: string } | { external: string };

/** A stretch of text in one style. */
export interface Span {
  text: string;
  font: string;
  size: number;
  color: string;
  link?: Link;
  /** A key shared by the spans of one link, so a link broken over lines stays one Link element. */
  linkId?: number;
  /** Baseline shift in points (superscript footnote marks). */
  rise?: number;
  strike?: boolean;
  /** Set in a fallback font for another language: marked with it in the structure tree. */
  lang?: string;
}

/** A piece of a line: text in one span's style, measured. */
export interface Frag {
  text: string;
  span: Span;
  width: number;
  /**
   * Places justification widens: its spaces, and in Chinese or Japanese text every CJK character
   * (CJK text has no spaces: it is justified by spacing its characters; a Latin word or a number
   * inside it keeps its letters together).
   */
  spaces: number;
  /** Set in CJK characters: widened after every glyph, not only after spaces. */
  cjk?: boolean;
  /** A hyphen added at a line break: drawn, and marked as a soft hyphen in the text layer. */
  softHyphen?: boolean;
}

export interface Line {
  frags: Frag[];
  width: number;
  /** Extra width given to each space when the line is justified. */
  extraPerSpace: number;
  /** Height of the line box and the baseline's distance from its top. */
  height: number;
  ascent: number;
  /** A code line wrapped from the line before: drawn with a continuation mark in the margin. */
  continued?: boolean;
}

export interface BreakOptions {
  width: number;
  justify: boolean;
  leading: number;
  /** Keep every space and line as written (code). */
  preserve?: boolean;
}

const SHY = '\u00ad';

/** Breaks spans into lines no wider than `options.width`. */
export function breakLines(spans: readonly Span[], fonts: FontBook, options: BreakOptions): Line[] {
  const pieces = options.preserve ? preservedPieces(spans, fonts) : piecesOf(spans, fonts);
  const lines: Line[] = [];
  let current: Piece[] = [];
  let currentWidth = 0;
  const max = options.width;

  const finish = (last: boolean) => {
    lines.push(makeLine(current, fonts, options, max, last));
    current = [];
    currentWidth = 0;
  };

  for (const piece of pieces) {
    const need = currentWidth + piece.width - piece.trailing + (piece.hyphenable ? piece.hyphenWidth : 0);
    const tooLong = piece.width - piece.trailing > max + 0.01;
    // A word longer than the line starts where it stands, unless under a quarter of the line is left.
    if (current.length > 0 && need > max + 0.01 && !(tooLong && currentWidth < max * 0.75)) finish(false);
    if (tooLong) {
      // A word longer than the line (a long URL, a code line): each part but the last fills a
      // line; what follows the word may join its last part.
      const parts = splitPiece(piece, fonts, max, max - currentWidth, options.preserve ? CODE_BREAKS : URL_BREAKS);
      parts.forEach((part, i) => {
        if (i > 0 && options.preserve) part.continued = true;
        current.push(part);
        currentWidth += part.width;
        if (i < parts.length - 1) finish(false);
      });
    } else {
      current.push(piece);
      currentWidth += piece.width;
    }
    if (piece.required) finish(true);
  }
  if (current.length > 0 || lines.length === 0) finish(true);
  return lines;
}

interface Piece {
  frags: Frag[];
  width: number;
  /** Width of the spaces at its end, which a line end drops. */
  trailing: number;
  /** Ends at a soft hyphen: breaking after it adds a hyphen. */
  hyphenable: boolean;
  hyphenWidth: number;
  /** A mandatory break follows (a hard line break). */
  required: boolean;
  /** The rest of a code line too wide for the measure. */
  continued?: boolean;
}

function piecesOf(spans: readonly Span[], fonts: FontBook): Piece[] {
  const text = spans.map((s) => s.text).join('');
  const starts: number[] = [];
  let at = 0;
  for (const s of spans) {
    starts.push(at);
    at += s.text.length;
  }
  const pieces: Piece[] = [];
  let last = 0;
  let spanIndex = 0;
  for (const bk of breaksOf(text)) {
    const frags: Frag[] = [];
    let pos = last;
    while (pos < bk.position) {
      while (spanIndex < spans.length - 1 && starts[spanIndex + 1]! <= pos) spanIndex++;
      const span = spans[spanIndex]!;
      const end = Math.min(bk.position, starts[spanIndex]! + span.text.length);
      const raw = text.slice(pos, end);
      // A hard break stays in the text layer as a space, so extracted text does not run together;
      // a word joiner (typography.ts glues citations with it) has done its work once breaks are found.
      const clean = raw.replace(/[\u00ad\u2060]/g, '').replace(/\n/g, ' ');
      if (clean) frags.push(frag(clean, span, fonts));
      pos = end;
    }
    const segment = text.slice(last, bk.position);
    last = bk.position;
    if (frags.length === 0) continue;
    const tail = frags.at(-1)!;
    const trailingSpaces = /[ \t]*$/.exec(tail.text)![0];
    const lastSpan = tail.span;
    pieces.push({
      frags,
      width: frags.reduce((w, f) => w + f.width, 0),
      trailing: trailingSpaces ? fonts.width(lastSpan.font, trailingSpaces, lastSpan.size) : 0,
      hyphenable: segment.replace(/\s+$/, '').endsWith(SHY),
      hyphenWidth: fonts.width(lastSpan.font, '-', lastSpan.size),
      required: bk.required && segment.endsWith('\n'),
    });
  }
  return pieces;
}

/** Thai, Lao, Myanmar and Khmer: written without spaces between words (UAX #14's class SA). */
const NO_SPACES = /[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\uaa60-\uaa7f]+/gu;
const WORDS = new Intl.Segmenter(undefined, { granularity: 'word' });

/**
 * The break opportunities of `text`: UAX #14's, and between the words of a script written
 * without spaces, which UAX #14 leaves to a dictionary (ICU's, through Intl.Segmenter): a Thai
 * sentence breaks between its words, not inside one.
 */
function* breaksOf(text: string): Generator<{ position: number; required: boolean }> {
  const words: number[] = [];
  for (const run of text.matchAll(NO_SPACES)) {
    for (const { index } of WORDS.segment(run[0])) if (index > 0) words.push(run.index + index);
  }
  const breaker = new LineBreaker(text);
  let w = 0;
  for (let bk = breaker.nextBreak(); bk; bk = breaker.nextBreak()) {
    while (w < words.length && words[w]! < bk.position) yield { position: words[w++]!, required: false };
    if (words[w] === bk.position) w++;
    yield bk;
  }
}

/**
 * Code: one piece per source line, spaces kept. A line may run over several spans (a comment in
 * another script is set in a fallback font).
 */
function preservedPieces(spans: readonly Span[], fonts: FontBook): Piece[] {
  const pieces: Piece[] = [];
  let frags: Frag[] = [];
  const add = (text: string, span: Span) => {
    const f = frag(text.replace(/\t/g, '    '), span, fonts);
    f.spaces = 0;
    frags.push(f);
  };
  spans.forEach((span, s) => {
    span.text.split('\n').forEach((line, i, lines) => {
      if (line) add(line, span);
      if (i === lines.length - 1 && s < spans.length - 1) return;
      // An empty line keeps its height.
      if (frags.length === 0) add(' ', span);
      pieces.push({ frags, width: frags.reduce((w, f) => w + f.width, 0), trailing: 0, hyphenable: false, hyphenWidth: 0, required: true });
      frags = [];
    });
  });
  return pieces;
}

function frag(text: string, span: Span, fonts: FontBook): Frag {
  // Chinese quoted in another language's text (a span with a language of its own) keeps its
  // characters together: the line is justified at its own language's spaces.
  const cjk = !span.lang && CJK.test(text);
  return { text, span, width: fonts.width(span.font, text, span.size), spaces: stretchPoints(text, cjk), ...(cjk && { cjk }) };
}

/** One CJK character, or a run of anything else (a Latin word, a number, spaces). */
export const CJK_OR_RUN = new RegExp(`[${CJK_CHARS}]|[^${CJK_CHARS}]+`, 'gu');

/** Full-width punctuation drawn on the left half of its em (blank on the right), and on the right half. */
const CLOSING = new Set('。，、；：！？）」』》〉】〕〗');
const OPENING = new Set('（「『《〈【〔〖');
/** Curly quotes, full-width in Chinese fonts, but outside the CJK blocks. */
const QUOTES = new Set('“”‘’');

/**
 * Whether the full-width punctuation mark `c1` gives up the blank half of its em before `c2`:
 * two marks side by side take one and a half ems, not two (the Chinese layout requirements'
 * "punctuation squeezing"), except an opening mark before a closing one.
 */
export function squeezed(c1: string, c2: string | undefined): boolean {
  if (c2 === undefined || !(CLOSING.has(c1) || OPENING.has(c1))) return false;
  if (!(CLOSING.has(c2) || OPENING.has(c2) || QUOTES.has(c2))) return false;
  return !(OPENING.has(c1) && (CLOSING.has(c2) || c2 === '”' || c2 === '’'));
}

function squeezes(text: string): number {
  const chars = [...text];
  let n = 0;
  for (let i = 0; i < chars.length - 1; i++) if (squeezed(chars[i]!, chars[i + 1])) n++;
  return n;
}

function stretchPoints(text: string, cjk = CJK.test(text)): number {
  let n = 0;
  for (const ch of text) if (ch === ' ' || (cjk && CJK.test(ch))) n++;
  return n;
}

/**
 * Where a word wider than the line breaks best: after these characters, as LaTeX's url package
 * breaks a URL or a path; code also breaks after a space.
 */
const URL_BREAKS = new Set('/.-?&=#');
const CODE_BREAKS = new Set([...URL_BREAKS, ' ', ',', ';']);
/**
 * Grapheme clusters (a letter with its accents): the smallest piece text is broken into. The
 * locale is named: left out, it would be the machine's (LC_ALL), and nothing may depend on that.
 */
export const GRAPHEMES = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Breaks a piece wider than the line into parts no wider than `width`: at the last of `breaks`
 * when that leaves at least half a line, else between grapheme clusters (never inside an
 * accented letter). Each cluster's advance is measured once and summed, so the cost is linear
 * in the word's length (measuring ever longer prefixes would be quadratic).
 */
function splitPiece(piece: Piece, fonts: FontBook, width: number, firstWidth: number, breaks: ReadonlySet<string>): Piece[] {
  const clusters: { text: string; frag: Frag }[] = [];
  // sums[i]: the advance of clusters 0..i-1.
  const sums = [0];
  for (const f of piece.frags) {
    for (const { segment } of GRAPHEMES.segment(f.text)) {
      clusters.push({ text: segment, frag: f });
      sums.push(sums.at(-1)! + fonts.width(f.span.font, segment, f.span.size));
    }
  }
  const parts: Piece[] = [];
  const part = (from: number, to: number, last: boolean): Piece => {
    const frags: Frag[] = [];
    for (let i = from; i < to; ) {
      const f = clusters[i]!.frag;
      let text = '';
      for (; i < to && clusters[i]!.frag === f; i++) text += clusters[i]!.text;
      frags.push(frag(text, f.span, fonts));
    }
    const w = frags.reduce((n, f) => n + f.width, 0);
    return last ? { ...piece, frags, width: w } : { frags, width: w, trailing: 0, hyphenable: false, hyphenWidth: 0, required: false };
  };
  let start = 0;
  let breakAfter = -1;
  // The first part fills what is left of the line the word starts on.
  let room = firstWidth;
  for (let i = 0; i < clusters.length; i++) {
    // A space may overhang: a line end drops it.
    while (sums[i + 1]! - sums[start]! > room && i > start && clusters[i]!.text.trim() !== '') {
      const cut = breakAfter >= start && sums[breakAfter + 1]! - sums[start]! >= room / 2 ? breakAfter + 1 : i;
      room = width;
      parts.push(part(start, cut, false));
      start = cut;
      breakAfter = -1;
    }
    if (breaks.has(clusters[i]!.text)) breakAfter = i;
  }
  parts.push(part(start, clusters.length, true));
  return parts;
}

function makeLine(pieces: Piece[], fonts: FontBook, options: BreakOptions, width: number, last: boolean): Line {
  const frags: Frag[] = [];
  for (const p of pieces) {
    for (const f of p.frags) {
      const prev = frags.at(-1);
      if (prev && prev.span === f.span && !prev.softHyphen) {
        prev.text += f.text;
        prev.width += f.width;
        prev.spaces += f.spaces;
        // A line that opens with a number ("2008年...") is still Chinese after it.
        if (f.cjk) prev.cjk = true;
      } else {
        frags.push({ ...f });
      }
    }
  }
  // The space at the end of a line takes no width and no justification, but stays in the text
  // layer: extracted text and screen readers then see "America and", not "Americaand".
  const tail = frags.at(-1);
  if (tail) {
    const trimmed = tail.text.replace(/[ \t]+$/, '');
    if (trimmed !== tail.text) {
      tail.width = fonts.width(tail.span.font, trimmed, tail.span.size);
      tail.spaces = stretchPoints(trimmed, tail.cjk === true);
    }
  }
  const lastPiece = pieces.at(-1);
  if (!last && lastPiece?.hyphenable && frags.length > 0) {
    const span = frags.at(-1)!.span;
    frags.push({ text: '-', span, width: fonts.width(span.font, '-', span.size), spaces: 0, softHyphen: true });
  }
  for (const f of frags) if (f.cjk) f.width -= squeezes(f.text) * 0.5 * f.span.size;
  const natural = frags.reduce((w, f) => w + f.width, 0);
  const spaces = frags.reduce((n, f) => n + f.spaces, 0);
  const justify = options.justify && !last && !options.preserve && spaces > 0;
  const main = frags.reduce<Frag | undefined>((big, f) => (!big || f.span.size > big.span.size ? f : big), undefined);
  const size = main?.span.size ?? 10;
  const height = size * options.leading;
  // Centre the font's ascender-to-descender box in the line box.
  const font = main ? fonts.get(main.span.font) : undefined;
  const asc = ((font?.ascender ?? 800) / 1000) * size;
  const desc = (-(font?.descender ?? -200) / 1000) * size;
  return {
    frags,
    width: natural,
    extraPerSpace: justify ? Math.max(0, (width - natural) / spaces) : 0,
    height,
    ascent: (height - asc - desc) / 2 + asc,
    ...(pieces[0]?.continued && { continued: true }),
  };
}
