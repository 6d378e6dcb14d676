/**
 * Loads a PDF once for the accessibility checks (checks.ts): its object graph from qpdf's JSON
 * (qpdf --json=2), and what only a content-stream interpreter gives, from pdfjs-dist: each page's
 * painting operators inside their marked-content sequences, the text of each marked-content
 * sequence, and the XMP metadata packet.
 *
 * The object graph is qpdf's JSON as it is: a reference is the string "12 0 R", a name "/Link",
 * a text string "u:…" (or "b:" and hex bytes), a stream's dictionary its "dict". The helpers
 * below resolve references and read these values; the structure tree is walked once into
 * StructElements in document order.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fail } from '../../messages.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Dict = { [key: string]: Json };

/** A marked-content sequence of a page: the operators painted in it, and its text. */
export interface MarkedContent {
  tag: string;
  /** Its MCID, when it has one. */
  mcid: number | null;
  /** The tag and MCID of each sequence that encloses it, outermost first. */
  outer: { tag: string; mcid: number | null }[];
}

/** One painting operator (text, path, image, shading) of a page, with the sequences it lies in. */
export interface Painted {
  kind: 'text' | 'path' | 'image' | 'shading';
  /** The marked-content sequences it lies in, outermost first (empty: none). */
  within: { tag: string; mcid: number | null }[];
}

export interface PageInfo {
  /** From 1. */
  number: number;
  /** Its object, "12 0 R". */
  ref: string;
  dict: Dict;
  painted: Painted[];
  /** The text of each MCID of the page's content (its innermost sequence's). */
  text: Map<number, string>;
  /** Whether the page has any extractable text at all. */
  hasText: boolean;
}

export interface StructElement {
  /** Its object ("12 0 R"), or a path when it is a direct object. */
  ref: string;
  dict: Dict;
  /** The type as given (/S), and as the role map makes it (a standard type, or the type itself when the map leads nowhere). */
  type: string;
  role: string;
  parent: StructElement | null;
  kids: StructElement[];
  /** Its marked-content kids: the page (from /Pg of the MCR or the element) and MCID. */
  mcids: { page: string | null; mcid: number }[];
  /** Its object-reference kids (annotations): the object referred to. */
  objrs: string[];
  /** /Lang of this element or its nearest ancestor that has one (null: none up to the root). */
  lang: string | null;
  depth: number;
}

export interface LoadedPdf {
  file: string;
  /** qpdf's objects, by "N G R", and the trailer. */
  objects: Record<string, { value?: Json; stream?: { dict: Dict } }>;
  trailer: Dict;
  catalog: Dict;
  pages: PageInfo[];
  /** The pages by their object. */
  pageByRef: Map<string, PageInfo>;
  structRoot: Dict | null;
  /** Every structure element in document order (depth first). */
  elements: StructElement[];
  elementByRef: Map<string, StructElement>;
  /** Problems met while walking the structure tree (a kid that is not an element, a loop). */
  treeProblems: string[];
  roleMap: Record<string, string>;
  /** The ParentTree flattened: key -> value (an array of elements by MCID, or one element). */
  parentTree: Map<number, Json>;
  xmp: string | null;
  outlineCount: number;
}

const REF = /^\d+ \d+ R$/;

export function isRef(v: Json | undefined): v is string {
  return typeof v === 'string' && REF.test(v);
}

/** A value with its reference followed (once, then again while it is a reference). */
export function resolve(pdf: Pick<LoadedPdf, 'objects'>, v: Json | undefined): Json | undefined {
  let seen = 0;
  while (isRef(v) && seen++ < 32) {
    const o = pdf.objects[`obj:${v}`];
    if (!o) return undefined;
    v = o.stream ? o.stream.dict : o.value;
  }
  return v;
}

export function asDict(pdf: Pick<LoadedPdf, 'objects'>, v: Json | undefined): Dict | null {
  const r = resolve(pdf, v);
  return r && typeof r === 'object' && !Array.isArray(r) ? r : null;
}

export function asArray(pdf: Pick<LoadedPdf, 'objects'>, v: Json | undefined): Json[] {
  const r = resolve(pdf, v);
  return Array.isArray(r) ? r : r === undefined || r === null ? [] : [r];
}

/** "/Link" -> "Link"; anything else: null. */
export function asName(pdf: Pick<LoadedPdf, 'objects'>, v: Json | undefined): string | null {
  const r = resolve(pdf, v);
  return typeof r === 'string' && r.startsWith('/') ? r.slice(1) : null;
}

/** A text string's text ("u:…", or "b:" hex bytes in UTF-16BE with its BOM or PDFDocEncoding, read as Latin-1). */
export function asText(pdf: Pick<LoadedPdf, 'objects'>, v: Json | undefined): string | null {
  const r = resolve(pdf, v);
  if (typeof r !== 'string') return null;
  if (r.startsWith('u:')) return r.slice(2);
  if (!r.startsWith('b:')) return null;
  const bytes = Buffer.from(r.slice(2), 'hex');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return bytes.toString('latin1');
}

export function asNumber(pdf: Pick<LoadedPdf, 'objects'>, v: Json | undefined): number | null {
  const r = resolve(pdf, v);
  return typeof r === 'number' ? r : null;
}

/** Whether qpdf can be run. */
export function haveQpdf(): boolean {
  return spawnSync('qpdf', ['--version']).status === 0;
}

/** qpdf's JSON of `file`, read while pdfjs works (execFile: qpdf runs beside, not in, this process's turn). */
async function qpdfJson(file: string): Promise<{ objects: LoadedPdf['objects']; trailer: Dict }> {
  const r = await new Promise<{ status: number | null; stdout: string; stderr: string; missing: boolean }>((done) => {
    execFile('qpdf', ['--json=2', '--json-stream-data=none', file], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      done({ status: error ? (typeof code === 'number' ? code : null) : 0, stdout, stderr, missing: code === 'ENOENT' });
    });
  });
  if (r.missing) {
    fail('pdf-audit', 'qpdf is needed for the object checks of "editions audit", and it is not installed', {
      file,
      hint: 'install qpdf (apt-get install qpdf, brew install qpdf) and run again',
    });
  }
  // qpdf exits 3 for warnings (a damaged file it could repair): the JSON is still whole.
  if ((r.status !== 0 && r.status !== 3) || !r.stdout) {
    fail('pdf-audit', `qpdf cannot read this PDF: ${(r.stderr || 'no output').trim().split('\n').at(-1)}`, { file, hint: 'is it a PDF? open it in a viewer, or run "qpdf --check" on it' });
  }
  const json = JSON.parse(r.stdout) as { qpdf: [unknown, Record<string, { value?: Json; stream?: { dict: Dict } }>] };
  const objects = json.qpdf[1];
  const trailer = (objects.trailer?.value ?? {}) as Dict;
  return { objects, trailer };
}

/** The painting operators of pdfjs's operator lists, by kind. */
function paintKinds(OPS: Record<string, number>): Map<number, Painted['kind']> {
  const kinds = new Map<number, Painted['kind']>();
  for (const n of ['showText', 'showSpacedText', 'nextLineShowText', 'nextLineSetSpacingShowText']) kinds.set(OPS[n]!, 'text');
  for (const n of ['stroke', 'closeStroke', 'fill', 'eoFill', 'fillStroke', 'eoFillStroke', 'closeFillStroke', 'closeEOFillStroke']) kinds.set(OPS[n]!, 'path');
  for (const n of ['paintImageXObject', 'paintImageMaskXObject', 'paintInlineImageXObject', 'paintInlineImageXObjectGroup', 'paintImageXObjectRepeat', 'paintImageMaskXObjectRepeat', 'paintImageMaskXObjectGroup', 'paintSolidColorImageMask']) kinds.set(OPS[n]!, 'image');
  kinds.set(OPS.shadingFill!, 'shading');
  return kinds;
}

/** A marked-content tag as pdfjs gives it: a string for BDC, a Name ({ name }) for BMC. */
function tagName(v: unknown): string {
  return typeof v === 'string' ? v : typeof (v as { name?: unknown })?.name === 'string' ? (v as { name: string }).name : '';
}

/** Loads `file`: qpdf's object graph and pdfjs's view of each page. Throws an EditionsError (pdf-audit) when it cannot. */
export async function loadPdf(file: string): Promise<LoadedPdf> {
  const { objects, trailer } = await qpdfJson(file);
  const pdf = { objects } as LoadedPdf;
  pdf.file = file;
  pdf.trailer = trailer;
  pdf.catalog = asDict(pdf, trailer['/Root']) ?? {};

  // The pages in order, from the page tree.
  const pageRefs: string[] = [];
  const walkPages = (node: Json | undefined, depth: number) => {
    const d = asDict(pdf, node);
    if (!d || depth > 64) return;
    if (asName(pdf, d['/Type']) === 'Page' || !d['/Kids']) {
      if (isRef(node)) pageRefs.push(node);
      return;
    }
    for (const k of asArray(pdf, d['/Kids'])) walkPages(k, depth + 1);
  };
  walkPages(pdf.catalog['/Pages'], 0);

  const { getDocument, OPS } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const kinds = paintKinds(OPS as unknown as Record<string, number>);
  let doc;
  try {
    doc = await getDocument({ data: new Uint8Array(readFileSync(file)), verbosity: 0, isEvalSupported: false, useSystemFonts: false, disableFontFace: true }).promise;
  } catch (e) {
    fail('pdf-audit', `pdfjs cannot read this PDF: ${(e as Error).message}`, { file, hint: 'is it a PDF? open it in a viewer, or run "qpdf --check" on it' });
  }
  try {
    const meta = await doc.getMetadata();
    pdf.xmp = (meta.metadata as { getRaw?(): string } | null)?.getRaw?.() ?? null;
    pdf.pages = [];
    for (let i = 1; i <= doc.numPages; i++) {
      const page = await doc.getPage(i);
      const ref = `${page.ref?.num ?? 0} ${page.ref?.gen ?? 0} R`;
      // Page content only: annotations' appearance streams are no part of it.
      const ops = await page.getOperatorList({ annotationMode: 0 });
      const painted: Painted[] = [];
      const stack: { tag: string; mcid: number | null }[] = [];
      for (let j = 0; j < ops.fnArray.length; j++) {
        const fn = ops.fnArray[j]!;
        const args = ops.argsArray[j] as unknown[] | null;
        if (fn === OPS.beginMarkedContent) stack.push({ tag: tagName(args?.[0]), mcid: null });
        else if (fn === OPS.beginMarkedContentProps) stack.push({ tag: tagName(args?.[0]), mcid: typeof args?.[1] === 'number' ? args[1] : null });
        else if (fn === OPS.endMarkedContent) stack.pop();
        else if (fn === OPS.constructPath) {
          // pdfjs 5 folds the painting operator into constructPath: its first argument (endPath: a clip, nothing painted).
          const paint = kinds.get(args?.[0] as number);
          if (paint) painted.push({ kind: paint, within: stack.filter((s) => s.tag !== 'OC') });
        } else {
          const kind = kinds.get(fn);
          if (kind) painted.push({ kind, within: stack.filter((s) => s.tag !== 'OC') });
        }
      }
      const content = await page.getTextContent({ includeMarkedContent: true, disableNormalization: true });
      const text = new Map<number, string>();
      const ids: (number | null)[] = [];
      let hasText = false;
      for (const item of content.items as { type?: string; id?: string | null; str?: string }[]) {
        if (item.type === 'beginMarkedContentProps' || item.type === 'beginMarkedContent') {
          const m = /_mc(\d+)$/.exec(item.id ?? '');
          ids.push(m ? Number(m[1]) : null);
        } else if (item.type === 'endMarkedContent') ids.pop();
        else if (typeof item.str === 'string') {
          if (item.str.trim()) hasText = true;
          const mcid = ids.findLast((x) => x !== null);
          if (mcid !== undefined && mcid !== null) text.set(mcid, (text.get(mcid) ?? '') + item.str);
        }
      }
      pdf.pages.push({ number: i, ref, dict: asDict(pdf, ref) ?? {}, painted, text, hasText });
      page.cleanup();
    }
  } finally {
    await doc.destroy();
  }
  // pdfjs and the page tree agree on the pages; if they do not, the page tree's object is kept.
  pdf.pages.forEach((p, i) => {
    if (!objects[`obj:${p.ref}`] && pageRefs[i]) {
      p.ref = pageRefs[i]!;
      p.dict = asDict(pdf, p.ref) ?? {};
    }
  });
  pdf.pageByRef = new Map(pdf.pages.map((p) => [p.ref, p]));

  pdf.structRoot = asDict(pdf, pdf.catalog['/StructTreeRoot']);
  pdf.roleMap = {};
  for (const [k, v] of Object.entries(asDict(pdf, pdf.structRoot?.['/RoleMap']) ?? {})) {
    const to = asName(pdf, v);
    if (to !== null) pdf.roleMap[k.slice(1)] = to;
  }
  pdf.parentTree = new Map();
  const walkNums = (node: Json | undefined, depth: number) => {
    const d = asDict(pdf, node);
    if (!d || depth > 32) return;
    const nums = asArray(pdf, d['/Nums']);
    for (let i = 0; i + 1 < nums.length; i += 2) if (typeof nums[i] === 'number') pdf.parentTree.set(nums[i] as number, nums[i + 1]!);
    for (const k of asArray(pdf, d['/Kids'])) walkNums(k, depth + 1);
  };
  walkNums(pdf.structRoot?.['/ParentTree'], 0);
  walkStructTree(pdf);
  pdf.outlineCount = countOutline(pdf);
  return pdf;
}

/** What a type stands for through the role map: the first standard type on its chain, else the last type reached. */
export function mapRole(roleMap: Record<string, string>, type: string): string {
  let t = type;
  for (let i = 0; i < 32 && !STANDARD_TYPES.has(t) && roleMap[t] !== undefined; i++) t = roleMap[t]!;
  return t;
}

/** The standard structure types of ISO 32000-1, 14.8.4 (the set PDF/UA-1 builds on). */
export const STANDARD_TYPES: ReadonlySet<string> = new Set([
  'Document', 'Part', 'Art', 'Sect', 'Div', 'BlockQuote', 'Caption', 'TOC', 'TOCI', 'Index', 'NonStruct', 'Private',
  'P', 'H', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'L', 'LI', 'Lbl', 'LBody', 'Table', 'TR', 'TH', 'TD', 'THead', 'TBody', 'TFoot',
  'Span', 'Quote', 'Note', 'Reference', 'BibEntry', 'Code', 'Link', 'Annot', 'Ruby', 'RB', 'RT', 'RP', 'Warichu', 'WT', 'WP',
  'Figure', 'Formula', 'Form',
]);

function walkStructTree(pdf: LoadedPdf): void {
  pdf.elements = [];
  pdf.elementByRef = new Map();
  pdf.treeProblems = [];
  if (!pdf.structRoot) return;
  const rootLang = asText(pdf, pdf.catalog['/Lang']);
  const visiting = new Set<string>();
  const visit = (node: Json, where: string, parent: StructElement | null, lang: string | null, depth: number, pg: string | null) => {
    const dict = asDict(pdf, node);
    const ref = isRef(node) ? node : where;
    if (!dict) return;
    if (visiting.has(ref) || pdf.elementByRef.has(ref)) {
      pdf.treeProblems.push(`structure element ${ref} is reached twice (a loop, or one element under two parents)`);
      return;
    }
    if (depth > 500) {
      pdf.treeProblems.push(`the structure tree is deeper than 500 levels at ${ref}`);
      return;
    }
    const type = asName(pdf, dict['/S']) ?? '';
    const own = asText(pdf, dict['/Lang']);
    const el: StructElement = { ref, dict, type, role: mapRole(pdf.roleMap, type), parent, kids: [], mcids: [], objrs: [], lang: own || lang, depth };
    const page = isRef(dict['/Pg']) ? dict['/Pg'] : pg;
    pdf.elements.push(el);
    pdf.elementByRef.set(ref, el);
    visiting.add(ref);
    asArray(pdf, dict['/K']).forEach((k, i) => {
      if (typeof k === 'number') {
        el.mcids.push({ page, mcid: k });
        return;
      }
      const kd = asDict(pdf, k);
      if (!kd) return;
      const kt = asName(pdf, kd['/Type']);
      if (kt === 'MCR') {
        const mcid = asNumber(pdf, kd['/MCID']);
        if (mcid !== null) el.mcids.push({ page: isRef(kd['/Pg']) ? kd['/Pg'] : page, mcid });
      } else if (kt === 'OBJR') {
        if (isRef(kd['/Obj'])) el.objrs.push(kd['/Obj']);
      } else if (kd['/S'] !== undefined) {
        visit(k, `${ref}/K[${i}]`, el, el.lang, depth + 1, page);
        const child = pdf.elementByRef.get(isRef(k) ? k : `${ref}/K[${i}]`);
        if (child) el.kids.push(child);
      } else pdf.treeProblems.push(`a kid of structure element ${ref} (${type}) is neither an element, a marked-content reference nor an object reference`);
    });
    visiting.delete(ref);
  };
  asArray(pdf, pdf.structRoot['/K']).forEach((k, i) => visit(k, `StructTreeRoot/K[${i}]`, null, rootLang, 0, null));
}

function countOutline(pdf: LoadedPdf): number {
  const outlines = asDict(pdf, pdf.catalog['/Outlines']);
  let n = 0;
  const seen = new Set<string>();
  const walk = (first: Json | undefined) => {
    let item: Json | undefined = first;
    while (isRef(item) && !seen.has(item) && n < 100_000) {
      seen.add(item);
      n++;
      const d = asDict(pdf, item);
      walk(d?.['/First']);
      item = d?.['/Next'];
    }
  };
  walk(outlines?.['/First']);
  return n;
}
