/**
 * editions audit, the machine accessibility checks of a PDF (src/audit/pdf): every PDF of the
 * shared builds passes every check; each check fails on a PDF of ours broken in exactly its way
 * (through qpdf's JSON: qpdf --json=2, edit, qpdf --json-input), and the others still pass; the
 * command's line and exit status.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inTurns } from '../src/shared/turns.js';
import { runChecks } from '../src/audit/pdf/index.js';
import { CHECKS } from '../src/audit/pdf/checks.js';
import { isRef, loadPdf, type Json, type LoadedPdf } from '../src/audit/pdf/read.js';
import { hasQpdf, run, runCli, sharedBuild, tempDir } from './helpers.js';

type Objects = Record<string, { value?: Json; stream?: { dict: Record<string, Json>; data?: string } }>;
type Dict = Record<string, Json>;

function pdfsUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.pdf'))
    .map((f) => path.join(dir, f))
    .sort();
}

/**
 * The checks a broken PDF fails that its base passes, or fails more often: the base is one of
 * ours, which passes them all, unless a renderer bug makes it fail one (then the test of every
 * PDF above says so, and a breakage is still seen in the findings it adds).
 */
function newlyFailing(pdf: LoadedPdf, base: LoadedPdf): string[] {
  const before = new Map(runChecks(base).checks.map((c) => [c.id, c.findings.length]));
  return runChecks(pdf).checks.filter((c) => c.findings.length > before.get(c.id)!).map((c) => c.id).sort();
}

describe.skipIf(!hasQpdf())('editions audit', () => {
  const { out } = sharedBuild('repository');
  const sink = path.join(out, 'kitchen-sink', 'kitchen-sink.en.pdf');
  const zh = path.join(out, 'china-lac-policy', 'china-lac-policy.zh-Hans.pdf');
  const dir = tempDir('editions-audit-');

  it('passes every check on every PDF of the repository and of the corpus', async () => {
    const files = [...pdfsUnder(out), ...pdfsUnder(sharedBuild('corpus').out)];
    expect(files.length).toBeGreaterThan(40);
    const failures: string[] = [];
    const audits = await inTurns(files, async (file) => runChecks(await loadPdf(file)), 3);
    for (const [i, audit] of audits.entries()) {
      const file = files[i]!;
      expect(audit.total).toBe(Object.keys(CHECKS).length);
      for (const c of audit.checks) for (const f of c.findings) failures.push(`${path.relative(path.dirname(out), file)}:${f.page ?? ''}: ${f.message} [${c.id}]`);
    }
    expect(failures).toEqual([]);
  });

  describe('on a PDF broken in one way', () => {
    /** Broken PDFs: name -> the checks it must fail, and the loaded PDF. */
    const broken = new Map<string, { expected: string[]; pdf: LoadedPdf; base: LoadedPdf }>();
    /** What each breakage does to qpdf's JSON of the kitchen sink (or of `base`), with the checks it must fail. */
    const BREAKS: { name: string; expected: string[]; base?: string; edit(o: Objects, base: LoadedPdf): void }[] = [];
    const value = (o: Objects, ref: string): Dict => (o[`obj:${ref}`]!.value ?? o[`obj:${ref}`]!.stream!.dict) as Dict;
    const catalog = (o: Objects) => value(o, (o.trailer!.value as Dict)['/Root'] as string);
    const firstOf = (base: LoadedPdf, role: string) => base.elements.find((e) => e.role === role)!.ref;
    const linkAnnot = (base: LoadedPdf) => base.pages.flatMap((p) => (Array.isArray(p.dict['/Annots']) ? p.dict['/Annots'] : [])).find(isRef)!;
    const pageWithAnnots = (base: LoadedPdf) => base.pages.find((p) => Array.isArray(p.dict['/Annots']) && p.dict['/Annots'].length > 0)!.ref;
    const editStream = (o: Objects, ref: string, change: (text: string) => string) => {
      const s = o[`obj:${ref}`]!.stream!;
      const before = Buffer.from(s.data!, 'base64').toString('latin1');
      const after = change(before);
      expect(after).not.toBe(before);
      s.data = Buffer.from(after, 'latin1').toString('base64');
    };
    const metadata = (o: Objects) => catalog(o)['/Metadata'] as string;
    const add = (name: string, expected: string[], edit: (o: Objects, base: LoadedPdf) => void, base?: string) => BREAKS.push({ name, expected, edit, ...(base && { base }) });

    add('MarkInfo /Marked false', ['pdf-struct-tree'], (o) => void (value(o, catalog(o)['/MarkInfo'] as string)['/Marked'] = false));
    add("the first page's ParentTree entry emptied", ['pdf-struct-tree'], (o, base) => {
      const key = base.pages[0]!.dict['/StructParents'];
      const tree = value(o, catalog(o)['/StructTreeRoot'] as string)['/ParentTree'];
      const nums = ((isRef(tree) ? value(o, tree) : tree) as Dict)['/Nums'] as Json[];
      nums[nums.indexOf(key as number) + 1] = [];
    });
    add('a paragraph untagged (its BDC with an MCID made a BMC)', ['pdf-tagged-content'], (o, base) => editStream(o, base.pages[0]!.dict['/Contents'] as string, (t) => t.replace(/\/P <<\s*\/MCID 0\s*>> BDC/, '/Span BMC')));
    add('an artifact inside tagged content', ['pdf-tagged-content'], (o, base) => editStream(o, base.pages[0]!.dict['/Contents'] as string, (t) => t.replace(/(\/MCID 0\s*>> BDC\n)/, '$1/Artifact BMC\n0 0 m 1 1 l S\nEMC\n')));
    add('a heading level skipped (H2 made H4)', ['pdf-headings'], (o, base) => {
      const hs = base.elements.filter((e) => /^H\d$/.test(e.role));
      const h = hs.find((e, i) => i > 0 && e.role === 'H2' && hs[i - 1]!.role === 'H1')!;
      value(o, h.ref)['/S'] = '/H4';
    });
    add('a list item holding a P (its LBody made P)', ['pdf-structure-syntax'], (o, base) => void (value(o, firstOf(base, 'LBody'))['/S'] = '/P'));
    add('a table row outside its table (TR in a Sect)', ['pdf-structure-syntax'], (o, base) => {
      const tr = base.elements.find((e) => e.role === 'TR')!;
      value(o, tr.parent!.ref)['/S'] = '/Sect';
    });
    add('a Figure without /Alt', ['pdf-figure-alt'], (o, base) => void delete value(o, firstOf(base, 'Figure'))['/Alt']);
    add('a TH without /Scope', ['pdf-table-scope'], (o, base) => void delete value(o, firstOf(base, 'TH'))['/A']);
    add('no catalog /Lang', ['pdf-lang'], (o) => void delete catalog(o)['/Lang']);
    add('English text under a catalog /Lang zh-Hans', ['pdf-lang'], (o) => void (catalog(o)['/Lang'] = 'u:zh-Hans'));
    add('Chinese text under a catalog /Lang en', ['pdf-lang'], (o) => void (catalog(o)['/Lang'] = 'u:en'), zh);
    add('a Link annotation without /Contents', ['pdf-link-annots'], (o, base) => void delete value(o, linkAnnot(base))['/Contents']);
    add('a Link annotation without /StructParent', ['pdf-link-annots', 'pdf-struct-tree'], (o, base) => void delete value(o, linkAnnot(base))['/StructParent']);
    add('no /Outlines', ['pdf-bookmarks'], (o) => void delete catalog(o)['/Outlines']);
    add('a font without /ToUnicode', ['pdf-fonts'], (o) => {
      const font = Object.keys(o).find((k) => (o[k]!.value as Dict | undefined)?.['/ToUnicode'] !== undefined)!;
      delete (o[font]!.value as Dict)['/ToUnicode'];
    });
    add('a font not embedded', ['pdf-fonts'], (o) => {
      const descriptor = Object.keys(o).find((k) => (o[k]!.value as Dict | undefined)?.['/FontFile2'] !== undefined)!;
      delete (o[descriptor]!.value as Dict)['/FontFile2'];
    });
    add('an image tagged as a paragraph (Figure made P)', ['pdf-text-as-image'], (o, base) => void (value(o, firstOf(base, 'Figure'))['/S'] = '/P'));
    add('DisplayDocTitle false', ['pdf-title'], (o) => void (value(o, catalog(o)['/ViewerPreferences'] as string)['/DisplayDocTitle'] = false));
    add('no dc:title in the XMP', ['pdf-title'], (o) => editStream(o, metadata(o), (t) => t.replace(/<dc:title>[\s\S]*?<\/dc:title>/, '')));
    add('a non-standard type that the role map does not map', ['pdf-role-map'], (o, base) => void (value(o, firstOf(base, 'P'))['/S'] = '/Chapter'));
    add('a circular role map', ['pdf-role-map'], (o, base) => {
      value(o, catalog(o)['/StructTreeRoot'] as string)['/RoleMap'] = { '/Chapter': '/Part2', '/Part2': '/Chapter' };
      value(o, firstOf(base, 'P'))['/S'] = '/Chapter';
    });
    add('a standard type remapped', ['pdf-role-map'], (o) => void (value(o, catalog(o)['/StructTreeRoot'] as string)['/RoleMap'] = { '/P': '/Span' }));
    add('a page with annotations without /Tabs', ['pdf-tab-order'], (o, base) => void delete value(o, pageWithAnnots(base))['/Tabs']);
    add('a page with annotations with /Tabs /R', ['pdf-tab-order'], (o, base) => void (value(o, pageWithAnnots(base))['/Tabs'] = '/R'));
    add('no pdfuaid:part in the XMP', ['pdf-ua-identifier'], (o) => editStream(o, metadata(o), (t) => t.replace(/<rdf:Description xmlns:pdfuaid[\s\S]*?<\/rdf:Description>/, '')));

    beforeAll(async () => {
      const bases = new Map<string, { json: string; pdf: LoadedPdf }>();
      for (const file of new Set(BREAKS.map((b) => b.base ?? sink))) {
        bases.set(file, { json: run('qpdf', ['--json=2', '--json-stream-data=inline', '--decode-level=generalized', file]), pdf: await loadPdf(file) });
      }
      await inTurns([...BREAKS.entries()], async ([i, b]) => {
        const base = bases.get(b.base ?? sink)!;
        const json = JSON.parse(base.json) as { qpdf: [unknown, Objects] };
        b.edit(json.qpdf[1], base.pdf);
        const input = path.join(dir, `broken-${i}.json`);
        const file = path.join(dir, `broken-${i}.pdf`);
        writeFileSync(input, JSON.stringify(json));
        const status = await new Promise<number>((done) => execFile('qpdf', ['--json-input', input, file], (e) => done(e ? Number((e as { code?: unknown }).code) : 0)));
        if (status !== 0 && status !== 3) throw new Error(`qpdf --json-input failed for "${b.name}" (exit ${status})`);
        broken.set(b.name, { expected: b.expected, pdf: await loadPdf(file), base: base.pdf });
      }, 3);
    });

    it.each(BREAKS.map((b) => b.name))('%s: fails exactly its checks', (name) => {
      const { expected, pdf, base } = broken.get(name)!;
      expect(newlyFailing(pdf, base)).toEqual(expected);
    });

    it('has a broken PDF for every check', () => {
      expect(new Set(BREAKS.flatMap((b) => b.expected))).toEqual(new Set(Object.keys(CHECKS)));
    });

    it('says on which page a failure is', () => {
      const { pdf } = broken.get('a paragraph untagged (its BDC with an MCID made a BMC)')!;
      const finding = runChecks(pdf).checks.find((c) => c.id === 'pdf-tagged-content')!.findings[0]!;
      expect(finding).toMatchObject({ check: 'pdf-tagged-content', page: 1 });
      expect(finding.message).toMatch(/text operator lies in no marked-content sequence .*01-005/);
    });
  });

  describe('the command', () => {
    it('prints "machine checks passed (N of M conditions)" per PDF and exits 0 when all pass', () => {
      const r = runCli(['audit', sink]);
      const n = Object.keys(CHECKS).length;
      expect(r.stdout).toContain(`kitchen-sink.en.pdf: machine checks passed (${n} of ${n} conditions)`);
      expect(r.stdout + r.stderr).not.toMatch(/conformant/i);
      expect(r.status).toBe(0);
    });

    it('prints each failure as FILE:page N: error: message [check-id] and exits 1; --json gives the results', () => {
      const folder = tempDir('editions-audit-cli-');
      const bad = path.join(folder, 'no-tabs.pdf');
      const json = JSON.parse(run('qpdf', ['--json=2', '--json-stream-data=inline', '--decode-level=generalized', sink])) as { qpdf: [unknown, Objects] };
      const o = json.qpdf[1];
      const page = Object.values(o).find((x) => Array.isArray((x.value as Dict | undefined)?.['/Annots']))!;
      delete (page.value as Dict)['/Tabs'];
      writeFileSync(path.join(dir, 'no-tabs.json'), JSON.stringify(json));
      spawnSync('qpdf', ['--json-input', path.join(dir, 'no-tabs.json'), bad]);
      const n = Object.keys(CHECKS).length;
      const r = runCli(['audit', folder]);
      expect(r.stdout).toContain(`no-tabs.pdf: machine checks passed (${n - 1} of ${n} conditions)`);
      expect(r.stdout).toMatch(/no-tabs\.pdf:page \d+: error: the page has annotations but no \/Tabs \(Matterhorn 28-008\).* \[pdf-tab-order\]/);
      expect(r.status).toBe(1);
      const j = runCli(['audit', bad, '--json']);
      expect(j.status).toBe(1);
      const [result] = JSON.parse(j.stdout) as { passed: number; total: number; checks: { id: string; passed: boolean }[] }[];
      expect(result).toMatchObject({ passed: n - 1, total: n });
      expect(result!.checks.filter((c) => !c.passed).map((c) => c.id)).toEqual(['pdf-tab-order']);
    });

    it('says qpdf is needed when it is not installed', () => {
      const r = runCli(['audit', sink], { env: { PATH: '/nonexistent' } });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/qpdf is needed for the object checks .*\[pdf-audit\]/);
      expect(r.stderr).toMatch(/hint: install qpdf/);
    });
  });
});
