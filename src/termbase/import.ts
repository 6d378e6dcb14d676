/**
 * `editions termbase import FILE.tbx`: the terms of a TBX (from a CAT tool, or a terminologist)
 * merged into a document's termbase.yaml: new concepts are added at the end, changed terms and
 * definitions replace the old, and everything else of the YAML (comments, order, quoting, terms
 * the TBX does not hold) is kept. All or nothing: a problem anywhere writes nothing.
 */
import { existsSync } from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { EditionsError, Report, type Diagnostic } from '../messages.js';
import { readTextFile } from '../source/files.js';
import { refuseUnlessFile, replaceFile } from '../source/replace.js';
import { readTermbase } from './read.js';
import type { TbxRead } from './tbx.js';

export interface ImportResult {
  added: string[];
  /** `id lang` of each form (term or gloss) that changed. */
  changed: string[];
}

/**
 * Merges `read`, the TBX read from `tbxFile`, into `termbase`, whose document is written in `languages`. Throws the
 * problems (file:line:col of the TBX, rule termbase-tbx) before writing anything.
 */
export async function importTbx(tbxFile: string, read: TbxRead, termbase: string, languages: readonly string[]): Promise<ImportResult> {
  const problems: Diagnostic[] = [];
  const problem = (message: string, place: Diagnostic['place'], hint: string) => problems.push({ severity: 'error', ruleId: 'termbase-tbx', message, file: tbxFile, ...(place && { place }), hint });
  if ('problem' in read) {
    problem(read.problem.message, read.problem.place, read.problem.hint);
    throw new EditionsError(problems);
  }
  const seen = new Map<string, { line: number; column: number }>();
  const concepts: { id: string; forms: Map<string, { term?: string; definition?: string }> }[] = [];
  for (const c of read.concepts) {
    if (c.id === undefined || c.id.trim() === '') {
      problem('a concept (<termEntry>) has no id', c.place, 'give it id="..." : the key of its term in termbase.yaml (for a new term, a new key such as south-south)');
      continue;
    }
    const first = seen.get(c.id);
    if (first) {
      problem(`the concept "${c.id}" is listed twice (first at line ${first.line})`, c.place, 'merge the two <termEntry> elements into one: termbase.yaml holds a concept once');
      continue;
    }
    seen.set(c.id, c.place);
    const forms = new Map<string, Forms>();
    for (const set of c.languages) {
      if (set.lang === undefined || !languages.includes(set.lang)) {
        problem(`the concept "${c.id}" has terms in ${set.lang === undefined ? 'no language (a <langSet> without xml:lang)' : `"${set.lang}", a language the document is not written in`}`, set.place, `the document's languages are ${languages.join(', ')}: set xml:lang to one of them, or add the translation first`);
        continue;
      }
      if (forms.has(set.lang)) {
        problem(`the concept "${c.id}" has two <langSet xml:lang="${set.lang}">`, set.place, 'merge them: termbase.yaml holds one term per language');
        continue;
      }
      if (set.terms.includes('') || set.definition === '') {
        problem(`the concept "${c.id}" has an empty ${set.terms.includes('') ? 'term' : 'definition'} in ${set.lang}`, set.place, 'write it, or remove the element');
        continue;
      }
      // The first term is the established one; the others are its variants (as the export writes them).
      const [term, ...variants] = set.terms;
      forms.set(set.lang, { ...(term !== undefined && { term }), ...(variants.length > 0 && { variants }), ...(set.definition !== undefined && { definition: set.definition }) });
    }
    concepts.push({ id: c.id, forms });
  }
  if (problems.length > 0) throw new EditionsError(problems);

  // Checked as any read of it is: a termbase with problems is not merged into.
  const report = new Report();
  if (!readTermbase(termbase, report) || report.errorCount > 0) throw new EditionsError(report.diagnostics);
  // A document without a termbase gets one.
  const before = existsSync(termbase) ? readTextFile(termbase, 'termbase') : 'terms:\n';
  const doc = parseDocument(before);
  const result = merge(doc, concepts);
  if (result.added.length + result.changed.length > 0) await replaceFile(termbase, doc.toString({ lineWidth: 0 }), (f) => refuseUnlessFile(f, 'the termbase', 'put the file itself in its place, then import again'));
  return result;
}

/** A concept's forms in one language, as a TBX gives them. */
interface Forms {
  term?: string;
  variants?: string[];
  definition?: string;
}

function merge(doc: Document, concepts: readonly { id: string; forms: Map<string, Forms> }[]): ImportResult {
  const added: string[] = [];
  const changed: string[] = [];
  // Sets a scalar's value in place when it differs (its quoting and comments stay), else adds it.
  const put = (at: string[], value: string, what: string) => {
    const node = doc.getIn(at, true);
    if (isScalar(node)) {
      if (node.value === value) return;
      node.value = value;
    } else doc.setIn(at, value);
    changed.push(what);
  };
  // A list is replaced whole when it differs.
  const putList = (at: string[], value: string[], what: string) => {
    const node = doc.getIn(at, true);
    if (isSeq(node) && JSON.stringify(node.toJSON()) === JSON.stringify(value)) return;
    doc.setIn(at, doc.createNode(value));
    changed.push(what);
  };
  if (!isMap(doc.get('terms', true))) doc.set('terms', doc.createNode({}));
  for (const { id, forms } of concepts) {
    if (!doc.hasIn(['terms', id])) {
      const gloss = Object.fromEntries([...forms].flatMap(([lang, f]) => (f.definition === undefined ? [] : [[lang, f.definition]])));
      const variants = Object.fromEntries([...forms].flatMap(([lang, f]) => (f.variants === undefined ? [] : [[lang, f.variants]])));
      const entry = {
        ...Object.fromEntries([...forms].flatMap(([lang, f]) => (f.term === undefined ? [] : [[lang, f.term]]))),
        ...(Object.keys(gloss).length > 0 && { gloss }),
        ...(Object.keys(variants).length > 0 && { variants }),
      };
      doc.setIn(['terms', id], doc.createNode(entry));
      added.push(id);
      continue;
    }
    for (const [lang, f] of forms) {
      if (f.term !== undefined) put(['terms', id, lang], f.term, `${id} ${lang}`);
      if (f.definition !== undefined) put(['terms', id, 'gloss', lang], f.definition, `${id} gloss ${lang}`);
      if (f.variants !== undefined) putList(['terms', id, 'variants', lang], f.variants, `${id} variants ${lang}`);
    }
  }
  return { added, changed };
}
