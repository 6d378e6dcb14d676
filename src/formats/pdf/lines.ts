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
import { totalFit, type FitSettings } from './totalfit.js';

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
  /** Its last glyph, a full-width closing mark ending the line, is set half-width (CLREQ). */
  trimEnd?: boolean;
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
  /**
   * Where the first glyph is drawn, from the block's left edge: a Chinese paragraph's first-line
   * indent, less half an em when the line opens with a full-width opening mark set half-width.
   */
  indent?: number;
  /** Ends with a hyphen (added or written): what a page breaker needs to keep one off a page's last line. */
  hyphenated?: boolean;
}

/** Total-fit breaking of justified text, with the stretch and shrink of its spaces. */
export interface TotalFitOptions extends FitSettings {
  /** How far a space may stretch and shrink, as fractions of its width (TeX's fonts: 1/2 and 1/3). */
  spaceStretch: number;
  spaceShrink: number;
  /** How far the space after an ideograph may stretch, as a fraction of the em. */
  cjkStretch: number;
  /** Ragged right: how far a line may fall short of the measure, in points (its badness grows as TeX's). */
  raggedStretch: number;
  /** Ragged right: the penalty of a break at a hyphen (a line short costs less than a space stretched). */
  raggedHyphenPenalty: number;
}

export interface BreakOptions {
  width: number;
  justify: boolean;
  leading: number;
  /** Keep every space and line as written (code). */
  preserve?: boolean;
  /** Total-fit breaking for justified text, and for ragged text when `ragged` (else first-fit). */
  fit?: TotalFitOptions;
  /** Body text set ragged right: broken total-fit, with a stretchable right margin in place of stretchable spaces. */
  ragged?: boolean;
  /** The first line's indent (a Chinese paragraph's two characters). */
  firstIndent?: number;
  /** Chinese and Japanese: full-width punctuation at a line's start and end set half-width (CLREQ). */
  trimPunctuation?: boolean;
  /** Chinese and Japanese: the fewest characters (punctuation aside) of a paragraph's last line. */
  minLastLine?: number;
  /** Lines (counted from 0) that may not end hyphenated (total fit only): a page's last lines. */
  noHyphenAfter?: ReadonlySet<number>;
}

const SHY = '\u00ad';

/** Breaks spans into lines no wider than `options.width`. */
export function breakLines(spans: readonly Span[], fonts: FontBook, given: BreakOptions): Line[] {
  const ragged = given.fit && given.ragged && !given.justify;
  const options = ragged
    ? // Its spaces do not stretch, but shrink as in justified text (InDesign's minimum word space).
      { ...given, fit: { ...given.fit!, spaceStretch: 0, cjkStretch: 0, lineStretch: given.fit!.raggedStretch, hyphenPenalty: given.fit!.raggedHyphenPenalty } }
    : given;
  let pieces = options.preserve ? preservedPieces(spans, fonts) : piecesOf(spans, fonts, options);
  const max = options.width;
  const firstIndent = options.firstIndent ?? 0;
  const fits = (p: Piece) => p.width - p.trailing <= max - firstIndent + 0.01;
  let fit = options.fit && (options.justify || ragged) && !options.preserve ? options.fit : undefined;
  const long = (p: Piece) => !fits(p) || (p.width - p.trailing > max / 8 && p.frags.some((f) => f.text.includes('/')));
  if (fit && pieces.some(long)) {
    // A word wider than the line, or a long address or path, may break after its slashes, dots
    // and hyphens, where total fit chooses; one that still does not fit is filled first-fit.
    const split = pieces.flatMap((p) => (long(p) ? splitAt(p, fonts, URL_BREAKS) : [p]));
    if (split.every(fits)) pieces = split;
    else fit = undefined;
  }
  const groups = (fit && totalFitGroups(pieces, max, firstIndent, fit, options.noHyphenAfter)) || firstFitGroups(pieces, fonts, options);
  if (options.minLastLine) fullerLastLines(groups, options.minLastLine);
  return groups.map((g, i) => makeLine(g.pieces, fonts, options, i === 0 ? max - firstIndent : max, g.last, i === 0 ? firstIndent : 0));
}

interface Group {
  pieces: Piece[];
  /** The last line of the paragraph or before a hard break: not justified. */
  last: boolean;
}

/** Greedy filling: each line takes what fits. */
function firstFitGroups(pieces: readonly Piece[], fonts: FontBook, options: BreakOptions): Group[] {
  const groups: Group[] = [];
  let current: Piece[] = [];
  let currentWidth = 0;
  let max = options.width - (options.firstIndent ?? 0);

  const finish = (last: boolean) => {
    groups.push({ pieces: current, last });
    current = [];
    currentWidth = 0;
    max = options.width;
  };

  for (const piece of pieces) {
    const need = currentWidth + piece.width - piece.trailing + (piece.hyphenable ? piece.hyphenWidth : 0) - piece.endTrim - (current[0]?.startTrim ?? piece.startTrim);
    const tooLong = piece.width - piece.trailing > max + 0.01;
    // A word longer than the line starts where it stands, unless under a quarter of the line is left.
    if (current.length > 0 && need > max + 0.01 && !(tooLong && currentWidth < max * 0.75)) finish(false);
    if (tooLong) {
      // A word longer than the line (a long URL, a code line): each part but the last fills a
      // line; what follows the word may join its last part.
      const parts = splitPiece(piece, fonts, options.width, max - currentWidth, options.preserve ? CODE_BREAKS : URL_BREAKS);
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
  if (current.length > 0 || groups.length === 0) finish(true);
  return groups;
}

/** Total fit, paragraph by paragraph between hard breaks; undefined if some part has no feasible breaking. */
function totalFitGroups(pieces: readonly Piece[], width: number, firstIndent: number, fit: TotalFitOptions, noHyphenAfter?: ReadonlySet<number>): Group[] | undefined {
  const groups: Group[] = [];
  let from = 0;
  while (from < pieces.length) {
    let to = from;
    while (to < pieces.length - 1 && !pieces[to]!.required) to++;
    const part = pieces.slice(from, to + 1);
    const first = groups.length === 0;
    const items = part.map((p) => ({ ...p, hyphenWidth: p.hyphenable ? p.hyphenWidth : 0 }));
    const before = groups.length;
    const settings = noHyphenAfter?.size ? { ...fit, noHyphenAfter: (line: number) => noHyphenAfter.has(before + line) } : fit;
    const breaks = totalFit(items, (line) => (first && line === 0 ? width - firstIndent : width), settings);
    if (!breaks) return undefined;
    let start = 0;
    breaks.forEach((b, i) => {
      groups.push({ pieces: part.slice(start, b + 1), last: i === breaks.length - 1 });
      start = b + 1;
    });
    from = to + 1;
  }
  if (groups.length === 0) groups.push({ pieces: [], last: true });
  return groups;
}

/** Characters that count towards a last line's length: not punctuation or spaces. */
const COUNTED = /[\p{L}\p{N}]/u;

/**
 * A Chinese paragraph's last line holds at least `min` characters: pieces move down from the
 * line before (which stretches a little) until it does.
 */
function fullerLastLines(groups: Group[], min: number): void {
  const count = (g: Group) => {
    let n = 0;
    for (const p of g.pieces) for (const f of p.frags) for (const ch of f.text) if (COUNTED.test(ch)) n++;
    return n;
  };
  for (let i = 1; i < groups.length; i++) {
    const g = groups[i]!;
    const before = groups[i - 1]!;
    if (!g.last || before.last || !g.pieces.every((p) => p.frags.every((f) => f.cjk || f.text.trim() === ''))) continue;
    while (count(g) < min && before.pieces.length > 1 && before.pieces.at(-1)!.frags.every((f) => f.cjk)) g.pieces.unshift(before.pieces.pop()!);
  }
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
  /** Ends at a hyphen (added at a soft hyphen, or written): a line ending here is hyphenated. */
  flagged: boolean;
  stretch: number;
  shrink: number;
  trailingStretch: number;
  trailingShrink: number;
  /** Width given up as a line's last piece (a closing mark) or first (an opening mark), set half-width. */
  endTrim: number;
  startTrim: number;
  /** A part of an address or path split where total fit may break it. */
  inWord?: boolean;
}

function piecesOf(spans: readonly Span[], fonts: FontBook, options: BreakOptions): Piece[] {
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
    const word = segment.replace(/\s+$/, '');
    const hyphenable = word.endsWith(SHY);
    let stretch = 0;
    let shrink = 0;
    const fit = options.fit;
    if (fit) {
      for (const f of frags) {
        if (f.cjk) stretch += f.spaces * fit.cjkStretch * f.span.size;
        else if (f.spaces > 0) {
          const space = fonts.width(f.span.font, ' ', f.span.size);
          stretch += f.spaces * space * fit.spaceStretch;
          shrink += f.spaces * space * fit.spaceShrink;
        }
      }
    }
    const trailingCount = trailingSpaces.length;
    const space = trailingCount && fit ? fonts.width(lastSpan.font, ' ', lastSpan.size) : 0;
    const head = frags[0]!;
    const firstChar = head.text[0] ?? '';
    const lastChar = tail.text.at(-1) ?? '';
    const trim = options.trimPunctuation === true;
    pieces.push({
      frags,
      width: frags.reduce((w, f) => w + f.width, 0),
      trailing: trailingSpaces ? fonts.width(lastSpan.font, trailingSpaces, lastSpan.size) : 0,
      hyphenable,
      hyphenWidth: fonts.width(lastSpan.font, '-', lastSpan.size),
      required: bk.required && segment.endsWith('\n'),
      flagged: hyphenable || /\p{L}[-\u2010]$/u.test(word),
      stretch,
      shrink,
      trailingStretch: trailingCount * space * (fit?.spaceStretch ?? 0),
      trailingShrink: trailingCount * space * (fit?.spaceShrink ?? 0),
      endTrim: trim && tail.cjk && !trailingSpaces && fullWidth(lastChar, CLOSING_MARKS, tail, fonts) ? tail.span.size / 2 : 0,
      startTrim: trim && head.cjk && fullWidth(firstChar, OPENING_MARKS, head, fonts) ? head.span.size / 2 : 0,
    });
  }
  return pieces;
}

/** Marks set half-width at a line's end or start, when the font gives them a full em (CLREQ 3.1.6). */
const CLOSING_MARKS = new Set('。，、；：！？）」』》〉】〕〗”’');
const OPENING_MARKS = new Set('（「『《〈【〔〖“‘');

function fullWidth(ch: string, marks: ReadonlySet<string>, f: Frag, fonts: FontBook): boolean {
  return marks.has(ch) && fonts.width(f.span.font, ch, f.span.size) > f.span.size * 0.9;
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
/** A piece's fields for total fit when it takes no part in it (code, a part of a long word). */
const NO_FIT = { flagged: false, stretch: 0, shrink: 0, trailingStretch: 0, trailingShrink: 0, endTrim: 0, startTrim: 0 } as const;

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
      pieces.push({ ...NO_FIT, frags, width: frags.reduce((w, f) => w + f.width, 0), trailing: 0, hyphenable: false, hyphenWidth: 0, required: true });
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

/** A piece as parts, each ending after one of `breaks` (the last part keeps the piece's end). */
function splitAt(piece: Piece, fonts: FontBook, breaks: ReadonlySet<string>): Piece[] {
  const parts: Piece[] = [];
  let frags: Frag[] = [];
  const cut = () => {
    parts.push({ ...NO_FIT, frags, width: frags.reduce((w, f) => w + f.width, 0), trailing: 0, hyphenable: false, hyphenWidth: 0, required: false, inWord: true });
    frags = [];
  };
  piece.frags.forEach((f, i) => {
    let text = '';
    const chars = [...f.text];
    chars.forEach((ch, k) => {
      text += ch;
      const atEnd = i === piece.frags.length - 1 && k >= chars.length - 1;
      if (breaks.has(ch) && !atEnd && chars[k + 1] !== ch && (chars[k + 1] ?? '').trim() !== '') {
        frags.push(frag(text, f.span, fonts));
        text = '';
        cut();
      }
    });
    if (text) frags.push(frag(text, f.span, fonts));
  });
  const tail = { ...piece, frags, width: frags.reduce((w, f) => w + f.width, 0), startTrim: parts.length > 0 ? 0 : piece.startTrim };
  return [...parts, tail];
}

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
    return last ? { ...piece, frags, width: w, startTrim: 0 } : { ...NO_FIT, frags, width: w, trailing: 0, hyphenable: false, hyphenWidth: 0, required: false };
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

function makeLine(pieces: Piece[], fonts: FontBook, options: BreakOptions, width: number, last: boolean, firstIndent = 0): Line {
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
  const hyphenAdded = !last && lastPiece?.hyphenable === true && frags.length > 0;
  if (hyphenAdded) {
    const span = frags.at(-1)!.span;
    frags.push({ text: '-', span, width: fonts.width(span.font, '-', span.size), spaces: 0, softHyphen: true });
  }
  for (const f of frags) if (f.cjk) f.width -= squeezes(f.text) * 0.5 * f.span.size;
  // A closing mark ends the line half-width; an opening mark starting it is drawn half an em
  // to the left. The last ideograph takes no justification after it: the line ends flush.
  const startTrim = pieces[0]?.startTrim ?? 0;
  const end = frags.at(-1);
  if (end?.cjk) {
    if (lastPiece?.endTrim && !hyphenAdded) {
      end.width -= lastPiece.endTrim;
      end.trimEnd = true;
    }
    if (CJK.test(end.text.at(-1) ?? '') && end.spaces > 0) end.spaces--;
  }
  const natural = frags.reduce((w, f) => w + f.width, 0) - startTrim;
  const spaces = frags.reduce((n, f) => n + f.spaces, 0);
  const justify = options.justify && !last && !options.preserve && spaces > 0;
  // Ragged text set total-fit may shrink a line's spaces, never widen them.
  const shrunk = options.ragged && options.fit && !options.justify && !last && natural > width && spaces > 0;
  const extra = justify || shrunk ? (width - natural) / spaces : 0;
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
    // Total fit may shrink a line's spaces (to a third less at most); first fit only stretches.
    extraPerSpace: options.fit ? extra : Math.max(0, extra),
    height,
    ascent: (height - asc - desc) / 2 + asc,
    ...(pieces[0]?.continued && { continued: true }),
    ...((firstIndent || startTrim) && { indent: firstIndent - startTrim }),
    ...(!last && (hyphenAdded || lastPiece?.flagged) && { hyphenated: true }),
  };
}
