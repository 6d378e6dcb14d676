/**
 * Our own typesetting of the finished DOCX body, to know the page each heading is set on: the
 * paragraphs, runs, styles, page geometry and spacing that the package itself declares, set as
 * LibreOffice sets them (greedy line breaking at UAX #14 opportunities on unkerned advances,
 * with hanging full-width stops and words wider than the measure broken where the line is full;
 * line height from the fonts' largest ascent and descent, in a table cell the largest font
 * height, times the whole-percent proportional spacing, whose added space may fall past the
 * page's end; the larger of space after and space before, keep-with-next chains, two-line widow
 * and orphan control, table rows that split line by line below a repeated header, with orphan
 * control only; page breaks). The result is the page of every bookmark, written as the
 * PAGEREF fields' cached results (package.ts). Each rule was measured against LibreOffice's
 * rendering of the paper's five editions (tests/docx.test.ts holds all 220 entries to it).
 * Not modelled: footnotes, images, nested tables.
 */
import { XMLParser } from 'fast-xml-parser';
import LineBreaker from 'linebreak';
import { CJK } from '../../shared/scripts.js';
import { ascentDescentOf, widthOf } from '../../shared/measure.js';
import type { EmbeddableFont } from './embed.js';

/** EDITIONS_DEBUG_LAYOUT=1 prints where each page starts; EDITIONS_DEBUG_PAGE=n the blocks of page n, =all of every page (stderr). */
const DEBUG = process.env.EDITIONS_DEBUG_LAYOUT === '1';
const DEBUG_PAGE = process.env.EDITIONS_DEBUG_PAGE;
const debugging = (page: number) => DEBUG_PAGE === 'all' || Number(DEBUG_PAGE) === page;
/** The space between two paragraphs: the larger of the first's after and the second's before (LibreOffice). */
const SPACING = Math.max;

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', trimValues: false, processEntities: true, htmlEntities: false });

const tagOf = (n: Node) => Object.keys(n).find((k) => k !== ':@')!;
const kids = (n: Node): Node[] => (n[tagOf(n)] as Node[]) ?? [];
const attr = (n: Node | undefined, name: string) => n?.[':@']?.[name];
const child = (n: Node | undefined, tag: string) => (n ? kids(n).find((c) => tagOf(c) === tag) : undefined);
const on = (n: Node | undefined) => n !== undefined && !['0', 'false'].includes(attr(n, 'w:val') ?? 'true');

interface RunProps {
  font?: string;
  eastAsia?: string;
  size?: number;
  bold?: boolean;
  italic?: boolean;
}
interface ParaProps {
  before?: number;
  after?: number;
  line?: number;
  lineRule?: string;
  left?: number;
  hanging?: number;
  firstLine?: number;
  keepNext?: boolean;
  pageBreakBefore?: boolean;
}
interface Style {
  basedOn?: string;
  p: ParaProps;
  r: RunProps;
}

function runProps(rPr: Node | undefined): RunProps {
  if (!rPr) return {};
  const out: RunProps = {};
  const fonts = child(rPr, 'w:rFonts');
  if (attr(fonts, 'w:ascii')) out.font = attr(fonts, 'w:ascii');
  if (attr(fonts, 'w:eastAsia')) out.eastAsia = attr(fonts, 'w:eastAsia');
  const sz = attr(child(rPr, 'w:sz'), 'w:val');
  if (sz) out.size = Number(sz) * 10; // half-points to twips
  const b = child(rPr, 'w:b');
  if (b) out.bold = on(b);
  const i = child(rPr, 'w:i');
  if (i) out.italic = on(i);
  return out;
}

function paraProps(pPr: Node | undefined): ParaProps {
  if (!pPr) return {};
  const out: ParaProps = {};
  const sp = child(pPr, 'w:spacing');
  const num = (n: Node | undefined, a: string) => (attr(n, a) !== undefined ? Number(attr(n, a)) : undefined);
  if (sp) {
    const [before, after, line] = [num(sp, 'w:before'), num(sp, 'w:after'), num(sp, 'w:line')];
    if (before !== undefined) out.before = before;
    if (after !== undefined) out.after = after;
    if (line !== undefined) out.line = line;
    if (attr(sp, 'w:lineRule')) out.lineRule = attr(sp, 'w:lineRule');
  }
  const ind = child(pPr, 'w:ind');
  if (ind) {
    const [left, hanging, firstLine] = [num(ind, 'w:left') ?? num(ind, 'w:start'), num(ind, 'w:hanging'), num(ind, 'w:firstLine')];
    if (left !== undefined) out.left = left;
    if (hanging !== undefined) out.hanging = hanging;
    if (firstLine !== undefined) out.firstLine = firstLine;
  }
  if (child(pPr, 'w:keepNext')) out.keepNext = on(child(pPr, 'w:keepNext'));
  if (child(pPr, 'w:pageBreakBefore')) out.pageBreakBefore = on(child(pPr, 'w:pageBreakBefore'));
  return out;
}

/** The package's styles: the document defaults, then each style over the one it is based on. */
class Styles {
  private readonly styles = new Map<string, Style>();
  readonly defaults: Style;
  readonly defaultParagraph: string | undefined;
  constructor(xml: string) {
    const root = parser.parse(xml) as Node[];
    const styles = root.find((n) => tagOf(n) === 'w:styles');
    const docDefaults = child(styles, 'w:docDefaults');
    this.defaults = {
      p: paraProps(child(child(docDefaults, 'w:pPrDefault'), 'w:pPr')),
      r: runProps(child(child(docDefaults, 'w:rPrDefault'), 'w:rPr')),
    };
    let def: string | undefined;
    for (const s of styles ? kids(styles) : []) {
      if (tagOf(s) !== 'w:style') continue;
      const id = attr(s, 'w:styleId')!;
      if (attr(s, 'w:type') === 'paragraph' && attr(s, 'w:default') === '1') def = id;
      const basedOn = attr(child(s, 'w:basedOn'), 'w:val');
      this.styles.set(id, { ...(basedOn && { basedOn }), p: paraProps(child(s, 'w:pPr')), r: runProps(child(s, 'w:rPr')) });
    }
    this.defaultParagraph = def;
  }
  resolve(id: string | undefined, depth = 0): Style {
    const s = id ? this.styles.get(id) : undefined;
    if (!s || depth > 20) return id && id !== this.defaultParagraph && this.defaultParagraph ? this.resolve(this.defaultParagraph, depth + 1) : this.defaults;
    const base = s.basedOn ? this.resolve(s.basedOn, depth + 1) : this.defaults;
    return { p: { ...base.p, ...s.p }, r: { ...base.r, ...s.r } };
  }
}

/** A piece of text between two break opportunities, or a forced break. */
interface Piece {
  width: number;
  /** The width of its trailing spaces (not counted at a line's end). */
  space: number;
  height: Extent;
  newline?: boolean;
  /** The width of a full-width stop or comma that ends it: it may hang past the line's end (LibreOffice's hanging punctuation). */
  hang?: number;
}

/**
 * A line's ascent and descent (twips): LibreOffice sets a line of several fonts (CJK and Latin)
 * as high as the largest ascent plus the largest descent.
 */
interface Extent {
  a: number;
  d: number;
}
const NONE: Extent = { a: 0, d: 0 };
const larger = (x: Extent, y: Extent): Extent => ({ a: Math.max(x.a, y.a), d: Math.max(x.d, y.d) });

/** A paragraph as laid out: its lines' heights (twips) and its spacing. */
interface Laid {
  lines: number[];
  /**
   * For each line, how much of its height may stand past the page's end: the space that
   * proportional line spacing adds to the font's height. LibreOffice sets a line on a page when
   * its font height fits, its added spacing falling into the bottom margin (measured: en+es p. 9
   * and en p. 15 of the paper end on a line whose spaced box passes the margin by 3.6 pt).
   */
  slack?: number[];
  before: number;
  after: number;
  keepNext: boolean;
  pageBreakBefore: boolean;
  /** Page breaks (w:br type="page") after the line at these indexes. */
  breaks: number[];
  bookmarks: string[];
  /** A row that may split: each cell's lines (with their spacing), set line by line across the page's end. */
  cells?: number[][];
  /** For each line of each cell, the paragraph of the cell it belongs to (widow control is a paragraph's). */
  cellParas?: number[][];
  /** The space before each of those lines (a paragraph's first line's), dropped at a page's top. */
  cellGaps?: number[][];
  /** Each of those lines' slack (as `slack`). */
  cellSlack?: number[][];
  /** Each cell's last paragraph's space after, which a page's end may drop. */
  cellAfter?: number[];
  /** A table row's: the height of the table's header row, repeated at the top of each new page. */
  repeat?: number;
  /**
   * The start of its text, for debugging only: a slice of a string keeps the whole string alive,
   * and every paragraph's text was kept so until the layout ended (EDITIONS_DEBUG_LAYOUT/PAGE set it).
   */
  text?: string;
}

export interface LayoutInput {
  document: string;
  styles: string;
  fonts: readonly EmbeddableFont[];
}

/** The page (from 1) on which each bookmark of the body starts, as LibreOffice sets the body. */
export function bookmarkPages(input: LayoutInput): Map<string, number> {
  const styles = new Styles(input.styles);
  const body = bodyOf(input.document);
  if (!body) return new Map();
  const sect = body.sectPr;
  const pgSz = child(sect, 'w:pgSz');
  const pgMar = child(sect, 'w:pgMar');
  const n = (v: string | undefined, d: number) => (v === undefined ? d : Number(v));
  const pageHeight = n(attr(pgSz, 'w:h'), 16838);
  const textWidth = n(attr(pgSz, 'w:w'), 11906) - n(attr(pgMar, 'w:left'), 1440) - n(attr(pgMar, 'w:right'), 1440);
  const bodyHeight = pageHeight - n(attr(pgMar, 'w:top'), 1440) - n(attr(pgMar, 'w:bottom'), 1440);

  const fileOf = (name: string | undefined, bold: boolean, italic: boolean): string | undefined => {
    const f = input.fonts.find((x) => x.name === name) ?? input.fonts[0];
    if (!f) return undefined;
    const style = bold ? (italic ? 'boldItalic' : 'bold') : italic ? 'italic' : 'regular';
    return f.files[style] ?? f.files.regular;
  };
  /** LibreOffice's single line of a font at a size (twips): ascent and descent each rounded. */
  const fontHeight = (file: string | undefined, size: number): Extent => {
    if (!file) return { a: Math.round(size * 0.9), d: Math.round(size * 0.3) };
    const [a, d] = ascentDescentOf(file);
    return { a: Math.round(size * a), d: Math.round(size * d) };
  };

  /** Whether a paragraph keeps with the next, by its own properties or its style's. */
  const layKeep = (p: Node) => {
    const pPr = child(p, 'w:pPr');
    return !!{ ...styles.resolve(attr(child(pPr, 'w:pStyle'), 'w:val')).p, ...paraProps(pPr) }.keepNext;
  };
  const layParagraph = (p: Node, width: number, inCell = false): Laid => {
    const pPr = child(p, 'w:pPr');
    const style = styles.resolve(attr(child(pPr, 'w:pStyle'), 'w:val'));
    const pp = { ...style.p, ...paraProps(pPr) };
    const numbered = child(pPr, 'w:numPr') !== undefined;
    const pieces: Piece[] = [];
    const bookmarks: string[] = [];
    const breaks: number[] = [];
    let text = '';
    const segments: { text: string; file: string | undefined; size: number }[] = [];
    const visit = (nodes: Node[], inField: { code: boolean }) => {
      for (const c of nodes) {
        const tag = tagOf(c);
        if (tag === 'w:bookmarkStart') bookmarks.push(attr(c, 'w:name')!);
        else if (tag === 'w:hyperlink' || tag === 'w:smartTag' || tag === 'w:ins') visit(kids(c), inField);
        else if (tag === 'w:r') {
          const rp = { ...style.r, ...runProps(child(c, 'w:rPr')) };
          const size = rp.size ?? 240;
          for (const rc of kids(c)) {
            const rt = tagOf(rc);
            if (rt === 'w:fldChar') {
              const type = attr(rc, 'w:fldCharType');
              inField.code = type === 'begin';
            } else if (rt === 'w:t' && !inField.code) {
              const value = kids(rc).map((x) => String(x['#text'] ?? '')).join('');
              // CJK characters in the East Asian font, the rest in the Latin one.
              for (const m of value.matchAll(/(\p{Script=Han}|[\u3000-\u303f\uff00-\uffef])+|[^\p{Script=Han}\u3000-\u303f\uff00-\uffef]+/gu)) {
                const east = CJK.test(m[0]);
                const file = fileOf(east ? (rp.eastAsia ?? rp.font) : rp.font, !!rp.bold, !!rp.italic);
                segments.push({ text: m[0], file, size });
              }
              text += value;
            } else if (rt === 'w:tab') {
              segments.push({ text: '\t', file: fileOf(rp.font, false, false), size });
              text += '\t';
            } else if (rt === 'w:br') {
              if (attr(rc, 'w:type') === 'page') {
                segments.push({ text: '\f', file: undefined, size });
              } else segments.push({ text: '\n', file: fileOf(rp.font, false, false), size });
              text += '\n';
            }
          }
        }
      }
    };
    visit(kids(p), { code: false });
    // Pieces between break opportunities, measured run by run. In a table cell a line of two
    // fonts is as high as the higher font, not the largest ascent over the largest descent
    // (measured: "6．地方政府交往" in the paper's en+zh-Hans, a Source Sans 3 digit before
    // Noto Serif SC, is 22.4 pt high there and 24.2 pt in the zh-Hans edition's body).
    const heightOf = (s: { file: string | undefined; size: number }) => {
      const e = fontHeight(s.file, s.size);
      return inCell ? { a: e.a + e.d, d: 0 } : e;
    };
    let lineFactor = (e: Extent) => e.a + e.d;
    const proportional = pp.line !== undefined && (pp.lineRule ?? 'auto') === 'auto';
    if (proportional) lineFactor = (e) => Math.floor(((e.a + e.d) * Math.round(pp.line! / 2.4)) / 100); // LibreOffice keeps a whole percentage
    else if (pp.line !== undefined && pp.lineRule === 'exact') lineFactor = () => pp.line!;
    else if (pp.line !== undefined && pp.lineRule === 'atLeast') lineFactor = (e) => Math.max(e.a + e.d, pp.line!);
    // The paragraph's text as one string, each character's segment known, broken at UAX #14
    // opportunities; a piece is measured segment by segment (a word may change font midway).
    const all = segments.map((x) => x.text).join('');
    const owner: number[] = [];
    segments.forEach((x, k) => {
      for (let j = 0; j < x.text.length; j++) owner.push(k);
    });
    const left = (pp.left ?? 0) + (numbered && pp.left === undefined ? 400 : 0);
    const measure = (from: number, to: number) => {
      let w = 0;
      let h: Extent = NONE;
      let j = from;
      while (j < to) {
        const k = owner[j]!;
        const seg = segments[k]!;
        let e = j;
        while (e < to && owner[e] === k) e++;
        const t = all.slice(j, e);
        w += seg.file ? widthOf(seg.file, t) * seg.size : t.length * seg.size * 0.5;
        h = larger(h, heightOf(seg));
        j = e;
      }
      return { w, h };
    };
    const push = (from: number, to: number) => {
      if (from >= to) return;
      const word = all.slice(from, to);
      const end = from + word.replace(/[ \u3000]+$/, '').length;
      // A word wider than the measure is broken between characters where a line is full
      // (LibreOffice's emergency break), each part but the last a line of its own. The part's
      // width grows character by character (advances are unkerned, so they add up): measuring
      // each longer prefix whole would cost the square of the word's length.
      let start = from;
      if (measure(start, end).w > width - left) {
        let w = 0;
        for (let j = start; j < end; ) {
          const next = j + (all.codePointAt(j)! > 0xffff ? 2 : 1);
          const c = measure(j, next).w;
          if (j > start && w + c > width - left) {
            pieces.push({ width: w, space: 0, height: measure(start, j).h });
            start = j;
            w = 0;
          }
          w += c;
          j = next;
        }
      }
      const core = measure(start, end);
      const space = measure(end, to);
      const hangs = /[、。，．]$/.test(all.slice(start, end)) ? measure(end - 1, end).w : 0;
      pieces.push({ width: core.w, space: space.w, height: core.h.a + core.h.d > 0 ? core.h : space.h, ...(hangs > 0 && { hang: hangs }) });
    };
    let from = 0;
    const specials = /[\t\n\f]/g;
    let m: RegExpExecArray | null;
    const plain = (start: number, end: number) => {
      const t = all.slice(start, end);
      const breaker = new LineBreaker(t);
      let last = 0;
      let br;
      while ((br = breaker.nextBreak())) {
        push(start + last, start + br.position);
        last = br.position;
      }
    };
    while ((m = specials.exec(all))) {
      plain(from, m.index);
      const seg = segments[owner[m.index]!]!;
      if (m[0] === '\f') {
        pieces.push({ width: 0, space: 0, height: NONE, newline: true });
      } else if (m[0] === '\n') pieces.push({ width: 0, space: 0, height: heightOf(seg), newline: true });
      // A tab (the contents' leader to the page number): room for the number.
      else pieces.push({ width: 3 * seg.size, space: 0, height: heightOf(seg) });
      from = m.index + 1;
    }
    plain(from, all.length);
    const first = left - (pp.hanging ?? 0) + (pp.firstLine ?? 0);
    const emptyHeight = lineFactor(fontHeight(fileOf(style.r.font, !!style.r.bold, !!style.r.italic), style.r.size ?? 240));
    const lines: number[] = [];
    const slack: number[] = [];
    let x = 0;
    let h: Extent = NONE;
    let started = false;
    const avail = () => width - (lines.length === 0 ? (numbered ? left : first) : left) - (pp.left === undefined ? 0 : 0);
    const endLine = (height: Extent) => {
      const e = height.a + height.d > 0 ? height : fontHeight(fileOf(style.r.font, false, false), style.r.size ?? 240);
      lines.push(lineFactor(e));
      slack.push(proportional ? Math.max(0, lineFactor(e) - (e.a + e.d)) : 0);
      x = 0;
      h = NONE;
      started = false;
    };
    for (const piece of pieces) {
      if (piece.newline) {
        if (piece.height.a + piece.height.d === 0) {
          // A page break: the line so far ends, and the page; `breaks` holds the line it goes before.
          if (started) endLine(h);
          breaks.push(lines.length);
          continue;
        }
        endLine(larger(h, piece.height));
        continue;
      }
      if (started && x + piece.width - (piece.hang ?? 0) > avail()) endLine(h);
      x += piece.width + piece.space;
      if (piece.space > 0 && x - piece.space <= avail()) x = Math.min(x, avail());
      h = larger(h, piece.height);
      started = true;
    }
    // A last line that ends in hanging punctuation past the margin sends the paragraph's end
    // to a line of its own (LibreOffice).
    const hangsOut = started && x > avail();
    if (started) endLine(h);
    if (hangsOut) lines.push(lines.at(-1)!), slack.push(slack.at(-1)!);
    // An empty paragraph is a line of its own; the mark after a page break takes no room on the new page.
    if (breaks.includes(lines.length)) lines.push(0), slack.push(0);
    else if (lines.length === 0) lines.push(emptyHeight), slack.push(0);
    return { lines, slack, before: pp.before ?? 0, after: pp.after ?? 0, keepNext: !!pp.keepNext, pageBreakBefore: !!pp.pageBreakBefore, breaks, bookmarks, ...((DEBUG || DEBUG_PAGE) && { text: text.slice(0, 30) }) };
  };

  // The flow: blocks of lines on pages.
  const pages = new Map<string, number>();
  let page = 1;
  let y = 0;
  let prevAfter = 0;
  /** Whether the page began at a page break (its first paragraph keeps its space before). */
  let broken = false;
  /** The header row repeated at the top of a page a table runs onto. */
  let repeat = 0;
  const newPage = (explicit = false) => {
    page++;
    y = repeat;
    prevAfter = 0;
    broken = explicit;
  };
  /** A row that may split: what fits of each cell on this page, the rest on the next (below the repeated header). */
  const placeRow = (p: Laid) => {
    let remaining = p.cells!.map((c) => [...c]);
    let paraOf = p.cellParas!.map((c) => [...c]);
    let gapOf = p.cellGaps!.map((c) => [...c]);
    let slackOf = p.cellSlack!.map((c) => [...c]);
    let first = true;
    for (;;) {
      const avail = bodyHeight - y;
      const fits = remaining.map((c, ci) => {
        let h = 0;
        let k = 0;
        while (k < c.length && h + c[k]! - slackOf[ci]![k]! <= avail) h += c[k++]!;
        // Two lines at least of a paragraph before the page's end, but a paragraph's last line
        // may stand alone at the next page's top: LibreOffice keeps no widows in a table cell
        // (measured: the paper's en+zh-Hans p. 19 opens on "to meet their needs.", en+es p. 19
        // on "metrología y normalización.", under w:widowControl).
        const para = paraOf[ci]!;
        if (k > 0 && k < c.length && para[k] === para[k - 1]) {
          const at = para[k];
          const before = para.slice(0, k).filter((x) => x === at).length;
          if (before < 2) k -= before;
          h = c.slice(0, k).reduce((a, b) => a + b, 0);
        }
        return { h, k };
      });
      if (debugging(page)) process.stderr.write(`${page}  row y=${(y / 20).toFixed(2)} cells=${remaining.map((c) => c.map((l) => l / 20).join('+')).join(' | ')} ${p.bookmarks.join(' ')}\n`);
      if (fits.every((f, i) => f.k === remaining[i]!.length)) {
        if (first) for (const b of p.bookmarks) if (!pages.has(b)) pages.set(b, page);
        y += Math.max(0, ...fits.map((f, i) => f.h + p.cellAfter![i]!));
        return;
      }
      if (fits.every((f) => f.k === 0) && y > repeat) {
        newPage();
        continue;
      }
      if (first) for (const b of p.bookmarks) if (!pages.has(b)) pages.set(b, page);
      first = false;
      // A line taller than a page is set anyway.
      const cut = (i: number) => Math.max(fits[i]!.k, fits.every((f) => f.k === 0) ? 1 : 0);
      // The rest of each cell on the next page, without the space before a paragraph that opens it.
      remaining = remaining.map((c, i) => c.slice(cut(i)).map((l, j) => (j === 0 ? l - gapOf[i]![cut(i)]! : l)));
      paraOf = paraOf.map((c, i) => c.slice(cut(i)));
      gapOf = gapOf.map((c, i) => c.slice(cut(i)).map((g, j) => (j === 0 ? 0 : g)));
      slackOf = slackOf.map((c, i) => c.slice(cut(i)));
      newPage();
    }
  };
  /** The lines a paragraph must set before a page's end: two, or all of one too short to split two and two. */
  const head = (lines: number[]) => (lines.length < 4 ? lines : lines.slice(0, 2));
  /** What of a splitting row must follow a heading's row on its page: each cell's first line (LibreOffice). */
  const rowHead = (r: Laid) =>
    Math.max(0, ...r.cells!.map((c) => c[0] ?? 0));
  const place = (laid: Laid[], i: number) => {
    const p = laid[i]!;
    repeat = p.repeat ?? 0;
    if (p.cells) {
      placeRow(p);
      prevAfter = 0;
      return;
    }
    if (p.pageBreakBefore && y > 0) newPage(true);
    // Keep with next: the paragraph and the first two lines of the next must fit.
    const top = () => (y === 0 ? (broken ? p.before : 0) : SPACING(prevAfter, p.before));
    const own = p.lines.reduce((a, b) => a + b, 0);
    if (y > 0) {
      let need = top() + own;
      let j = i;
      while (laid[j]?.keepNext && laid[j + 1]) {
        const prev = laid[j]!;
        const next = laid[j + 1]!;
        const sum = (ls: number[]) => ls.reduce((a, b) => a + b, 0);
        need += SPACING(prev.after, next.before) + (next.keepNext ? sum(next.lines) : next.cells ? rowHead(next) : sum(head(next.lines)));
        j++;
        if (!next.keepNext) break;
      }
      const firstLines = head(p.lines).reduce((a, b) => a + b, 0);
      if (p.keepNext ? y + need > bodyHeight : y + top() + firstLines > bodyHeight) newPage();
    }
    for (const b of p.bookmarks) if (!pages.has(b)) pages.set(b, page);
    y += top();
    if (debugging(page)) process.stderr.write(`${page}  ${p.keepNext ? 'keep ' : ''}y=${(y / 20).toFixed(2)} lines=${p.lines.map((l) => l / 20).join(',')} ${p.text ?? p.bookmarks.join(' ')}\n`);
    // Line by line, two lines at least on each side of a page's end (w:widowControl).
    const n = p.lines.length;
    let k = 0;
    while (k < n) {
      if (p.breaks.includes(k)) newPage(true);
      let fit = 0;
      let h = y;
      while (k + fit < n && !(fit > 0 && p.breaks.includes(k + fit)) && (h + p.lines[k + fit]! - (p.slack?.[k + fit] ?? 0) <= bodyHeight || (fit === 0 && y <= repeat))) h += p.lines[k + fit++]!;
      const rest = n - k - fit;
      if (rest > 0 && !p.breaks.includes(k + fit)) {
        if (rest < 2) fit = Math.max(0, fit - (2 - rest));
        if (k === 0 && fit < 2) fit = 0;
        if (fit === 0 && y <= repeat) fit = 1;
      }
      for (let j = k; j < k + fit; j++) {
        if (DEBUG && y <= repeat) process.stderr.write(`page ${page}: ${j > 0 ? `(line ${j + 1}) ` : ''}${p.text}\n`);
        y += p.lines[j]!;
      }
      k += fit;
      if (k < n && !p.breaks.includes(k)) newPage();
    }
    prevAfter = p.after;
    if (y > 0) broken = false;
  };

  const blocks: Laid[] = [];
  const collect = (nodes: Node[]) => {
    for (const c of nodes) {
      const tag = tagOf(c);
      if (tag === 'w:p') blocks.push(layParagraph(c, textWidth));
      else if (tag === 'w:sdt') collect(kids(child(c, 'w:sdtContent') ?? ({ x: [] } as Node)));
      else if (tag === 'w:bookmarkStart') blocks.push({ lines: [], before: 0, after: 0, keepNext: true, pageBreakBefore: false, breaks: [], bookmarks: [attr(c, 'w:name')!] });
      else if (tag === 'w:tbl') blocks.push(...layTable(c));
    }
  };
  /** A table as one block a row (a row split across pages line by line unless kept whole), its header repeated on each new page. */
  const layTable = (tbl: Node): Laid[] => {
    const rows = kids(tbl).filter((r) => tagOf(r) === 'w:tr');
    const laid = rows.map((r): Laid & { header: boolean } => {
      const cells = kids(r).filter((c) => tagOf(c) === 'w:tc');
      const cellWidth = textWidth / Math.max(cells.length, 1) - 2 * 108;
      const heights: number[] = [];
      const cellLines: number[][] = [];
      const cellParas: number[][] = [];
      const cellGaps: number[][] = [];
      const cellSlack: number[][] = [];
      const cellAfter: number[] = [];
      const marks: string[] = [];
      for (const cell of cells) {
        let h = 0;
        let after = 0;
        const items: number[] = [];
        const paras: number[] = [];
        const gaps: number[] = [];
        const slack: number[] = [];
        kids(cell)
          .filter((x) => tagOf(x) === 'w:p' || tagOf(x) === 'w:bookmarkStart')
          .forEach((x, k) => {
            if (tagOf(x) === 'w:bookmarkStart') return void marks.push(attr(x, 'w:name')!);
            const laid = layParagraph(x, cellWidth, true);
            marks.push(...laid.bookmarks);
            const gap = k === 0 ? laid.before : SPACING(after, laid.before);
            h += gap + laid.lines.reduce((a, b) => a + b, 0);
            laid.lines.forEach((l, j) => {
              items.push(j === 0 ? gap + l : l);
              gaps.push(j === 0 ? gap : 0);
              slack.push(laid.slack![j]!);
              paras.push(k);
            });
            after = laid.after;
          });
        heights.push(h + after);
        cellLines.push(items);
        cellGaps.push(gaps);
        cellSlack.push(slack);
        cellAfter.push(after);
        cellParas.push(paras);
      }
      const height = Math.max(0, ...heights);
      const trPr = child(r, 'w:trPr');
      const header = child(trPr, 'w:tblHeader') !== undefined;
      const whole = header || on(child(trPr, 'w:cantSplit'));
      // A row whose every paragraph keeps with the next (a heading's) keeps with the next row.
      const keeps = cells.every((c) => kids(c).filter((x) => tagOf(x) === 'w:p').every((x) => layKeep(x)));
      return { lines: [height], before: 0, after: 0, pageBreakBefore: false, breaks: [], bookmarks: marks, header, keepNext: !header && keeps, ...(!whole && { cells: cellLines, cellParas, cellGaps, cellSlack, cellAfter }) };
    });
    const headerHeight = laid.filter((l) => l.header).reduce((a, l) => a + l.lines[0]!, 0);
    return laid.map(({ header, ...l }) => (header ? l : { ...l, repeat: headerHeight }));
  };
  for (const element of body.elements()) collect(element);
  blocks.forEach((_, i) => place(blocks, i));
  return pages;
}

/** The body of a document.xml: its w:sectPr, and its elements in order, each parsed when it is asked for. */
interface Body {
  sectPr: Node | undefined;
  elements(): Iterable<Node[]>;
}

/** A tag: its slash, its name, and whether it closes itself (attribute values may hold ">"). */
const TAG = /<(\/?)([^\s/>]+)(?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*\s*(\/?)>/y;

/**
 * The body of `xml`, one element of it at a time: parsed whole, the document of a 19 MB source
 * (about 130 MB of XML) was an object tree of some 0.5 GB, alive while its paragraphs were laid
 * out. Each element parses into the node it is in the whole tree. XML this does not read as
 * plain elements and text (a comment, a processing instruction, CDATA) is parsed whole.
 */
function bodyOf(xml: string): Body | undefined {
  const open = /<w:body(?:\s[^>]*)?>/.exec(xml);
  const spans = open && bodySpans(xml, open.index + open[0].length);
  if (!spans) {
    const root = parser.parse(xml) as Node[];
    const body = child(root.find((n) => tagOf(n) === 'w:document'), 'w:body');
    return body && { sectPr: child(body, 'w:sectPr'), elements: () => [kids(body)] };
  }
  const sect = spans.find((s) => s.name === 'w:sectPr');
  return {
    sectPr: sect && (parser.parse(xml.slice(sect.start, sect.end)) as Node[])[0],
    *elements() {
      for (const s of spans) yield parser.parse(xml.slice(s.start, s.end)) as Node[];
    },
  };
}

/** Where each element of the body that starts at `from` stands, up to </w:body>; undefined for XML it does not read. */
function bodySpans(xml: string, from: number): { name: string; start: number; end: number }[] | undefined {
  const spans: { name: string; start: number; end: number }[] = [];
  let depth = 0;
  let start = 0;
  let name = '';
  for (let at = xml.indexOf('<', from); at !== -1; at = xml.indexOf('<', at)) {
    TAG.lastIndex = at;
    const m = TAG.exec(xml);
    if (!m) return undefined;
    const [, close, tag, self] = m;
    if (close && self) return undefined;
    if (depth === 0) {
      if (close) return tag === 'w:body' ? spans : undefined;
      start = at;
      name = tag!;
    }
    if (close) depth--;
    else if (!self) depth++;
    at = TAG.lastIndex;
    if (depth === 0) spans.push({ name, start, end: at });
  }
  return undefined;
}
