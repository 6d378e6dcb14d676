/**
 * Reads a built PDF back through poppler and measures its pages as a production editor would:
 * headings left at the foot of a page, pages under a third full, contents pages with a runt.
 *
 * - Lines and their boxes come from `pdftotext -bbox-layout`; the body is what lies between the
 *   theme's top and bottom margins (the running heads and the folios are outside it).
 * - Which lines are headings comes from the structure tree (`pdfinfo -struct-text`, H1..H6):
 *   a page (a column, in a parallel edition) whose text ends with a heading's text ends on it.
 * - Where the parts start comes from the named destinations (`pdfinfo -dests`): `contents`, and
 *   the first section of the body.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { ROOT, run } from './helpers.js';

const THEME = parse(readFileSync(path.join(ROOT, 'templates', 'pdf', 'theme.yaml'), 'utf8')) as {
  page: { margins: { top: number; bottom: number; inner: number; outer: number } };
};

export interface Line {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  text: string;
}

export interface PageFigures {
  /** 1-based. */
  page: number;
  /** How much of the text area's height is used, 0..1. */
  fill: number;
  lines: number;
}

export interface PdfFigures {
  file: string;
  pages: number;
  /** Pages (1-based) that end on a heading, with the heading. */
  headingsAtFoot: { page: number; heading: string }[];
  /** Headings with fewer than two lines of text after them on their page, when more follow. */
  headingsWithOneLine: { page: number; heading: string }[];
  /** Pages under a third full that are not the last page of a part. */
  underfull: { page: number; fill: number }[];
  /** Running heads: each page's lines above the text area. */
  heads: { page: number; text: string; x0: number; x1: number }[];
  /** Running heads cut with an ellipsis, or (one to a page) not at the outer edge. */
  headFaults: string[];
  /** Contents pages, after the first, holding fewer than three entries. */
  contentsRunts: { page: number; entries: number }[];
  contentsPages: number[];
  partStarts: number[];
  fills: PageFigures[];
}

const squash = (s: string) => s.replace(/[\s\u00ad]+/g, '');

function decode(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** Every page's lines, with the page size. */
export function pageLines(file: string): { width: number; height: number; lines: Line[] }[] {
  const xml = run('pdftotext', ['-bbox-layout', file, '-']);
  const pages: { width: number; height: number; lines: Line[] }[] = [];
  for (const m of xml.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    const lines: Line[] = [];
    for (const l of m[3]!.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)) {
      const words = [...l[5]!.matchAll(/<word[^>]*>([\s\S]*?)<\/word>/g)].map((w) => decode(w[1]!));
      lines.push({ x0: +l[1]!, y0: +l[2]!, x1: +l[3]!, y1: +l[4]!, text: words.join(' ') });
    }
    pages.push({ width: +m[1]!, height: +m[2]!, lines });
  }
  return pages;
}

/** The text of every heading element (H1..H6) in the structure tree, with its level. */
export function headings(file: string): { level: number; text: string }[] {
  const out: { level: number; text: string }[] = [];
  let current: { level: number; text: string; indent: number } | undefined;
  for (const line of run('pdfinfo', ['-struct-text', file]).split('\n')) {
    const indent = line.length - line.trimStart().length;
    const h = /^\s*H([1-6])\b/.exec(line);
    if (current && indent <= current.indent) {
      out.push({ level: current.level, text: current.text });
      current = undefined;
    }
    if (h) current = { level: +h[1]!, text: '', indent };
    else if (current) {
      const q = /^\s*"(.*)"\s*$/.exec(line);
      if (q) current.text += q[1];
    }
  }
  if (current) out.push({ level: current.level, text: current.text });
  return out.filter((h) => squash(h.text).length > 0);
}

/** Named destinations: name -> 1-based page. */
export function dests(file: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of run('pdfinfo', ['-dests', file]).split('\n')) {
    const m = /^\s*(\d+)\s+\[.*\]\s+"(.*)"\s*$/.exec(line);
    if (m && !out.has(m[2]!)) out.set(m[2]!, +m[1]!);
  }
  return out;
}

/**
 * Measures `file`, an edition of kind `edition` (from the manifest: print, bilingual, briefing).
 * A part's last page is the last page, or the page before one the build starts on purpose: the
 * colophon (page 2 of a document), the contents and the body; in a packet, the page after the
 * cover sheet (its later parts start a page only when the page they leave is a third full).
 */
export function measure(file: string, edition: string): PdfFigures {
  const { top, bottom, inner, outer } = THEME.page.margins;
  const pages = pageLines(file);
  const heads = headings(file);
  const names = dests(file);
  const briefing = edition === 'briefing';

  const body = pages.map((p) => ({
    ...p,
    lines: p.lines.filter((l) => l.y0 >= top - 2 && l.y1 <= p.height - bottom + 2).sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0),
  }));

  // Parts.
  const starts = new Set<number>([1]);
  const contentsPage = names.get('contents');
  let bodyStart = 0;
  if (!briefing) {
    if (pages.length > 1) starts.add(2);
    if (contentsPage) starts.add(contentsPage);
    const after = [...names].filter(([n, p]) => n !== 'contents' && p > (contentsPage ?? 1)).map(([, p]) => p);
    if (after.length) bodyStart = Math.min(...after);
    if (contentsPage && bodyStart) starts.add(bodyStart);
  } else if (pages.length > 1) {
    // A packet's cover sheet stands alone; its parts run on after a page under a third full
    // (a soft break), so the page before one is held to the rule like any other.
    starts.add(2);
  }
  const contentsPages: number[] = [];
  if (contentsPage) for (let n = contentsPage; n < (bodyStart || contentsPage + 1); n++) contentsPages.push(n);

  const figures: PdfFigures = {
    file,
    pages: pages.length,
    headingsAtFoot: [],
    headingsWithOneLine: [],
    underfull: [],
    contentsRunts: [],
    heads: [],
    headFaults: [],
    contentsPages,
    partStarts: [...starts].sort((a, b) => a - b),
    fills: [],
  };
  const headTexts = [...new Set(heads.map((h) => squash(h.text)))];

  const opensOnHeading = (n: number) => {
    const head = body[n - 1]!.lines.filter((l) => l.y0 < top + 16).map((l) => squash(l.text));
    return head.some((t) => t.length > 0 && headTexts.some((h) => h.startsWith(t)));
  };

  pages.forEach((p, i) => {
    const n = i + 1;
    const left = n % 2 === 1 ? inner : outer;
    const right = p.width - (n % 2 === 1 ? outer : inner);
    const above = p.lines.filter((l) => l.y1 < top - 2);
    for (const l of above) {
      figures.heads.push({ page: n, text: l.text, x0: l.x0, x1: l.x1 });
      if (/\u2026$/.test(l.text)) figures.headFaults.push(`p. ${n}: "${l.text}" is cut`);
    }
    // One head on the page: at the outer edge, left on a verso (even page), right on a recto.
    if (above.length === 1) {
      const l = above[0]!;
      const outerEdge = n % 2 === 0 ? Math.abs(l.x0 - left) < 1.5 : Math.abs(l.x1 - right) < 1.5;
      if (!outerEdge) figures.headFaults.push(`p. ${n}: "${l.text}" is not at the outer edge`);
    }
  });

  body.forEach((p, i) => {
    const n = i + 1;
    const height = p.height - top - bottom;
    const fill = p.lines.length ? (Math.max(...p.lines.map((l) => l.y1)) - top) / height : 0;
    figures.fills.push({ page: n, fill, lines: p.lines.length });
    const partLast = n === pages.length || starts.has(n + 1);
    if (fill < 1 / 3 && !partLast) figures.underfull.push({ page: n, fill });

    if (contentsPages.includes(n)) {
      // An entry is a line whose last word is its page number, set at the right.
      const entries = p.lines.filter((l) => /(^|\s)\d+$/.test(l.text) && l.x1 > p.width - Math.max(inner, outer) - 4).length;
      if (n !== contentsPages[0]) if (entries < 3) figures.contentsRunts.push({ page: n, entries });
      return;
    }
    if (n === 1) return;
    // Columns of a parallel page: lines left and right of the text area's middle.
    const left = n % 2 === 1 ? inner : outer;
    const mid = left + (p.width - inner - outer) / 2;
    const parallel = p.lines.some((l) => l.x1 < mid - 1) && p.lines.some((l) => l.x0 > mid + 1);
    const columns = parallel ? [p.lines.filter((l) => l.x0 < mid - 1), p.lines.filter((l) => l.x1 > mid + 1)] : [p.lines];
    for (const col of columns) {
      if (!col.length) continue;
      const text = squash(col.map((l) => l.text).join(''));
      const ends = headTexts.find((h) => text.endsWith(h));
      if (ends) {
        figures.headingsAtFoot.push({ page: n, heading: heads.find((h) => squash(h.text) === ends)!.text });
        continue;
      }
      // The heading's text ended after one line when the next page opens on a heading.
      if (n === pages.length || starts.has(n + 1) || opensOnHeading(n + 1)) continue;
      const less = squash(col.slice(0, -1).map((l) => l.text).join(''));
      const one = headTexts.find((h) => less.endsWith(h));
      if (one && col.length > 1) figures.headingsWithOneLine.push({ page: n, heading: heads.find((h) => squash(h.text) === one)!.text });
    }
  });
  return figures;
}
