/**
 * `editions audit PATH...`: the machine accessibility checks on each PDF named, or under each
 * folder named. Per PDF: `FILE: machine checks passed (N of M conditions)`, then each failure as
 * `FILE:page N: error: message [check-id]`. Exit status 1 when a check fails.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { escapeControls, fail, shownPath, usage } from '../messages.js';
import { byCodePoint } from '../shared/order.js';
import { inTurns } from '../shared/turns.js';
import { auditPdf, CHECKS } from './pdf/index.js';

export interface AuditIo {
  out(text: string): void;
  err(text: string): void;
}

/** Every *.pdf a path names: the file itself, or the PDFs under the folder, in path order. */
export function pdfFiles(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const p of paths) {
    const abs = path.resolve(p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      fail('file-read', `"${p}" does not exist`, { hint: 'name a PDF, or a folder of them (the output folder of a build: editions audit dist/)' });
    }
    if (st.isDirectory()) {
      const under = readdirSync(abs, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.toLowerCase().endsWith('.pdf'))
        .map((f) => path.join(abs, f))
        .filter((f) => statSync(f).isFile())
        .sort(byCodePoint);
      files.push(...under);
    } else files.push(abs);
  }
  return [...new Set(files)];
}

const HINTS: Record<string, string> = {
  'pdf-struct-tree': 'the PDF must be tagged: a StructTreeRoot whose elements hold every MCID, with a ParentTree that maps them back',
  'pdf-tagged-content': 'wrap every painted item in a BDC with an MCID of a structure element, or in an /Artifact',
  'pdf-headings': 'start with H1 and go down one level at a time',
  'pdf-structure-syntax': 'a Table holds rows (TR) of cells (TH, TD); an L holds LI of Lbl and LBody; a TOC holds TOCI of Reference, P, Lbl, TOC or NonStruct',
  'pdf-figure-alt': 'give each Figure an /Alt (the image\'s alternative text in the Markdown)',
  'pdf-table-scope': 'give each TH a Table attribute /Scope /Column (or /Row)',
  'pdf-lang': 'set /Lang in the catalog, and on each element in another language',
  'pdf-link-annots': 'put each Link annotation in a Link element (an OBJR kid, and /StructParent back), with /Contents',
  'pdf-bookmarks': 'add an outline (bookmarks) of the headings',
  'pdf-fonts': 'embed every font, with a ToUnicode map',
  'pdf-text-as-image': 'set text as text; an image belongs in a Figure with alternative text, or in an Artifact',
  'pdf-title': 'set dc:title in the XMP metadata and /DisplayDocTitle true in /ViewerPreferences',
  'pdf-role-map': 'map each non-standard structure type to a standard one, without a cycle, and remap no standard type',
  'pdf-tab-order': 'set /Tabs /S on every page that has annotations',
  'pdf-ua-identifier': 'declare <pdfuaid:part>1</pdfuaid:part> in the XMP metadata',
};

export async function auditCommand(paths: readonly string[], options: { json: boolean }, io: AuditIo): Promise<number> {
  if (paths.length === 0) usage('"audit" needs the PDFs to check', 'name PDF files or folders, for example: editions audit dist/');
  const files = pdfFiles(paths);
  if (files.length === 0) fail('file-read', `no PDF under ${paths.join(', ')}`, { hint: 'build the PDF editions first (editions build --format pdf), then audit the output folder' });
  // A few at a time: qpdf runs while pdfjs reads the one before.
  const results = await inTurns(files, auditPdf, 3);
  const failed = results.some((r) => r.passed < r.total);
  if (options.json) {
    io.out(`${JSON.stringify(results.map((r) => ({ ...r, file: shownPath(r.file) })), null, 2)}\n`);
    return failed ? 1 : 0;
  }
  for (const r of results) {
    const name = escapeControls(shownPath(r.file));
    io.out(`${name}: machine checks passed (${r.passed} of ${r.total} conditions)\n`);
    for (const c of r.checks) {
      for (const f of c.findings) {
        const where = f.page !== undefined ? `${name}:page ${f.page}` : name;
        const object = f.object && !f.message.includes(f.object) ? ` (${f.object})` : '';
        io.out(`${where}: error: ${escapeControls(f.message)}${object} [${c.id}]\n`);
      }
      if (!c.passed) io.out(`  hint: ${HINTS[c.id] ?? CHECKS[c.id]!.title}\n`);
    }
  }
  const bad = results.filter((r) => r.passed < r.total).length;
  io.out(`audited ${results.length} PDF${results.length === 1 ? '' : 's'}: ${bad === 0 ? 'every machine check passed (a human must still judge what they cannot decide; see README, "Accessibility checks")' : `${bad} failed a machine check`}\n`);
  return failed ? 1 : 0;
}
