/**
 * `editions translations import FILE...`: the targets of XLIFF files (xliff12.ts, xliff21.ts)
 * merged back into paper.<lang>.md. A unit is applied only while the original's text it was
 * exported from is the original's text now (its hash); the others are reported. Each changed
 * block is replaced by its source range in the translation's own parse, so that every other
 * byte of the file stays as it is, and its inline codes are restored to the Markdown they hold.
 * All files are checked first: on any error nothing is written.
 */
import path from 'node:path';
import type { Nodes } from 'mdast';
import { EditionsError, Report, type Diagnostic, type Point } from '../messages.js';
import { loadDocuments } from '../model/load.js';
import { checkAlignment } from '../model/align.js';
import { buildModel } from '../model/build.js';
import { dropPlaceholders } from '../model/placeholders.js';
import { linksToRewrite, unsettledReason } from '../model/renumbering.js';
import { acceptTranslation, textHash, translationStatus } from '../model/staleness.js';
import type { DocumentModel } from '../model/types.js';
import { readTextFile } from '../source/files.js';
import { parseSource } from '../source/parse.js';
import { refuseUnlessFile, replaceFile } from '../source/replace.js';
import { continuation, decodeParts, plainText, referenceStubs, sameParts, textKind, withLabels, type BlockKind, type CodableBlock, type Part } from './inline.js';
import { blockShapes, planInsertions } from './insert.js';
import { literalMarkdown } from './literal.js';
import { codeNode, FORMAT_VERSION, matchIds, sourceTexts, type ReadExchange, type ReadUnit, type SourceText } from './units.js';
import { readXliff12 } from './xliff12.js';
import { readXliff21 } from './xliff21.js';
import { readXml, XmlError } from './xml-read.js';

export interface Imported {
  file: string;
  translation: string;
  /** Blocks rewritten, and units accepted (rewritten, or reviewed without a change). */
  changed: string[];
  accepted: string[];
}

interface Edit {
  start: number;
  end: number;
  md: string;
  /** The unit it comes from (the first, for blocks inserted together), for messages. */
  unit: ReadUnit;
  /** For blocks inserted: their IDs, each to stand where the original's does. */
  ids?: string[];
}

/** Whether a unit's state says its translator has reviewed it: a stale unit so marked is accepted as it stands. */
const REVIEWED = new Set(['translated', 'signed-off', 'final', 'reviewed']);

export async function importTranslations(files: readonly string[], sources: readonly string[]): Promise<{ imported: Imported[]; diagnostics: Diagnostic[] }> {
  const errors: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const read: { file: string; x: ReadExchange }[] = [];
  for (const f of files) {
    const file = path.resolve(f);
    try {
      read.push({ file, x: readExchange(readTextFile(file, 'XLIFF file')) });
    } catch (e) {
      if (!(e instanceof XmlError)) throw e;
      errors.push({ severity: 'error', ruleId: 'xliff', message: e.message, file, place: e.place, hint: e.hint });
    }
  }
  const report = new Report();
  const models = await loadDocuments(sources, report);
  const structural = report.diagnostics.filter((d) => d.severity === 'error' && d.ruleId !== 'translation-stale' && d.ruleId !== 'translation-missing');
  if (structural.length > 0) throw new EditionsError(structural);

  const texts = sourceTexts();
  const plans = new Map<DocumentModel, { edits: Edit[]; accepted: string[]; changed: string[]; from: string }>();
  for (const { file, x } of read) {
    const at = (place: Point, message: string, hint: string, severity: 'error' | 'warning' = 'error') => (severity === 'error' ? errors : warnings).push({ severity, ruleId: 'xliff', message, file, place, hint });
    const translation = findTranslation(x, models, file, at);
    if (!translation) continue;
    if (plans.has(translation)) {
      at(x.place, `a second XLIFF file for ${translation.id}/${path.basename(translation.file)}`, 'import one file per translation at a time');
      continue;
    }
    const plan = planImport(x, translation, texts, at);
    if (plan) plans.set(translation, { ...plan, from: file });
  }
  if (errors.length > 0) throw new EditionsError([...errors, ...warnings]);

  // Each translation as it would be, loaded before anything is written: a target may break what
  // no single block shows (a heading's number out of sequence). Such an error is the unit's.
  const results = [...plans].map(([translation, plan]) => {
    // The text the edits' offsets were read from, not the file read again.
    const text = plan.edits.length > 0 ? applyEdits(texts(translation.file).text, plan.edits) : undefined;
    const model = text === undefined ? translation : loadText(text, translation, plan.edits, plan.from, (d) => errors.push(d));
    return { translation, plan, text, model };
  });
  if (errors.length > 0) throw new EditionsError([...errors, ...warnings]);

  const imported: Imported[] = [];
  for (const { translation, plan, text, model } of results) {
    if (text !== undefined) await replaceFile(translation.file, text, (f) => refuseUnlessFile(f, 'the translation', 'put the file itself in its place, then import again'));
    // As `translations accept` does: a record written while the translation's alignment rests on
    // the renumbering would lose it (renumbering.ts). The text is imported; accepting waits.
    const unsettled = plan.accepted.length > 0 ? unsettledReason(model!) : undefined;
    if (unsettled) {
      warnings.push({ ...unsettled, severity: 'warning', message: `imported, but not accepted: ${unsettled.message}`, hint: `${unsettled.hint}: editions translations accept ${path.relative(process.cwd(), translation.file)}` });
      plan.accepted = [];
    } else if (plan.accepted.length > 0) {
      warnings.push(...linksToRewrite(model!));
      await acceptTranslation(model!, new Set(plan.accepted));
    }
    imported.push({ file: plan.from, translation: translation.file, changed: plan.changed, accepted: plan.accepted });
  }
  return { imported, diagnostics: warnings };
}

/** `text` with each edit's range replaced, in one pass (slicing the whole text once per edit is quadratic in blocks). */
function applyEdits(text: string, edits: readonly Edit[]): string {
  const pieces: string[] = [];
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    pieces.push(text.slice(at, e.start), e.md);
    at = e.end;
  }
  pieces.push(text.slice(at));
  return pieces.join('');
}


/**
 * The model of `text`, the translation with the edits made, loaded as loadDocuments loads a
 * translation; each structural error it has goes to `error`, at the unit (of the XLIFF file
 * `xliff`) whose edit it falls in.
 */
function loadText(text: string, translation: DocumentModel, edits: readonly Edit[], xliff: string, error: (d: Diagnostic) => void): DocumentModel | undefined {
  const report = new Report();
  const canonical = translation.canonical!;
  const model = buildModel(parseSource(text, translation.file, report), translation.id, report, canonical, translation.linkSchemes);
  if (model) {
    model.canonical = canonical;
    checkShapes(model, canonical, edits, xliff, error);
    dropPlaceholders(model);
    checkAlignment(canonical, model, report);
  }
  // Where each edit stands in the new text.
  let shift = 0;
  const placed = [...edits]
    .sort((a, b) => a.start - b.start)
    .map((e) => {
      const start = e.start + shift;
      shift += e.md.length - (e.end - e.start);
      return { start, end: start + e.md.length, unit: e.unit };
    });
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1);
  for (const d of report.diagnostics) {
    if (d.severity !== 'error' || d.ruleId === 'translation-stale' || d.ruleId === 'translation-missing') continue;
    // By line: a block's message points at its start, before the text an edit replaces (a heading's "#").
    const line = d.place ? lineStarts[d.place.line - 1]! : -1;
    const edit = placed.find((e) => line >= text.lastIndexOf('\n', e.start - 1) + 1 && line <= e.end);
    error({
      severity: 'error',
      ruleId: 'xliff',
      message: `${edit ? `the target of ${edit.unit.id}` : 'the targets'} would break ${path.basename(translation.file)}: ${d.message}`,
      file: edit ? xliff : translation.file,
      ...(edit ? { place: edit.unit.place } : d.place && { place: d.place }),
      hint: d.hint ? `nothing was written; ${d.hint}` : 'nothing was written: correct the unit in the XLIFF file',
    });
  }
  return model;
}

/**
 * Errors, at the unit, for each inserted block that would not stand as the original's does: in
 * the list before it where the original starts its own, say, when the translation writes that
 * list with another marker (insert.ts copies the original's).
 */
function checkShapes(model: DocumentModel, canonical: DocumentModel, edits: readonly Edit[], xliff: string, error: (d: Diagnostic) => void): void {
  const inserted = edits.filter((e) => e.ids);
  if (inserted.length === 0) return;
  const want = blockShapes(canonical);
  const got = blockShapes(model);
  for (const edit of inserted) {
    const wrong = edit.ids!.find((id) => want.get(id) !== got.get(id));
    if (!wrong) continue;
    error({
      severity: 'error',
      ruleId: 'xliff',
      message: `${wrong}, inserted, would not stand in ${path.basename(model.file)} as in ${path.basename(canonical.file)}: there it is ${want.get(wrong) ?? 'absent'}, here ${got.get(wrong) ?? 'absent'}`,
      file: xliff,
      place: edit.unit.place,
      hint: `nothing was written: write the block into ${path.basename(model.file)} by hand as the original does (its list marker, its quote), or empty the unit's target`,
    });
  }
}

function readExchange(text: string): ReadExchange {
  const root = readXml(text);
  const version = root.attributes.get('version');
  if (root.name !== 'xliff' || (version !== '1.2' && version !== '2.1' && version !== '2.0')) {
    throw new XmlError(`the file is not XLIFF 1.2 or 2.1 (<${root.name}${version ? ` version="${version}"` : ''}>)`, root.start, 'import a file that "editions translations export --to xliff" or "--to xliff2" wrote');
  }
  return version === '1.2' ? readXliff12(root) : readXliff21(root);
}

type At = (place: Point, message: string, hint: string, severity?: 'error' | 'warning') => void;

/** The translation the file's header names: of this document, in this language, from this original, written by this version of the mapping. */
function findTranslation(x: ReadExchange, models: readonly DocumentModel[], file: string, at: At): DocumentModel | undefined {
  const again = `export it again: editions translations export --to ${x.version === '1.2' ? 'xliff' : 'xliff2'}`;
  if (x.format !== FORMAT_VERSION) {
    at(x.place, x.format === undefined ? 'the XLIFF file was not written by editions (its <file> has no ed:format)' : `the XLIFF file is of version ${x.format} of the editions mapping; this editions reads version ${FORMAT_VERSION}`, again);
    return undefined;
  }
  const translation = models.find((m) => m.canonical && m.id === x.document && path.basename(m.file) === x.translation);
  if (!translation) {
    const known = models.filter((m) => m.canonical).map((m) => `${m.id}/${path.basename(m.file)}`);
    at(x.place, `the XLIFF file is for ${x.document ?? '(no document)'}/${x.translation ?? '(no file)'}, which is not among the translations read`, `the translations are ${known.join(', ') || 'none'}; name the SOURCE folder that holds it (${path.basename(file)} is imported into the document its header names)`);
    return undefined;
  }
  const original = translation.canonical!;
  if (x.targetLanguage !== translation.lang || x.sourceLanguage !== original.lang || x.original !== path.basename(original.file)) {
    at(x.place, `the XLIFF file translates ${x.original ?? '?'} from "${x.sourceLanguage ?? '?'}" into "${x.targetLanguage ?? '?'}", but ${path.basename(translation.file)} translates ${path.basename(original.file)} from "${original.lang}" into "${translation.lang}"`, again);
    return undefined;
  }
  return translation;
}

function planImport(x: ReadExchange, translation: DocumentModel, texts: (file: string) => SourceText, at: At): { edits: Edit[]; accepted: string[]; changed: string[] } | undefined {
  const status = translationStatus(translation);
  const segments = new Map(status.segments.map((s) => [s.id, s]));
  const source = texts(translation.file);
  const original = texts(translation.canonical!.file);
  const stubs = referenceStubs(labels(source));
  const seen = new Map<string, ReadUnit>();
  const edits: Edit[] = [];
  const accepted: string[] = [];
  const changed: string[] = [];
  /** The units of segments the translation lacks, inserted after the others are read (insert.ts). */
  const filled = new Map<string, ReadUnit>();
  let failed = false;
  const error: At = (...args) => {
    failed = true;
    at(...args);
  };
  /** Says, at it, the first code of the unit's target whose id is none of `known`; whether there is one. */
  const unknownCode = (unit: ReadUnit, known: ReadonlySet<number>): boolean => {
    const unknown = unit.target?.find((p) => typeof p !== 'string' && !known.has(p.id));
    if (!unknown || typeof unknown === 'string') return false;
    error(unknown.place, `the code id="${unknown.id}" of ${unit.id} is not a code of the unit`, 'copy the codes from the source unchanged: a code with another id has no Markdown to restore');
    return true;
  };
  for (const unit of x.units) {
    const first = seen.get(unit.id);
    if (first) {
      error(unit.place, `the unit ${unit.id} is given twice (first at ${first.place.line}:${first.place.column})`, 'keep one unit per stable ID, as exported');
      continue;
    }
    seen.set(unit.id, unit);
    const segment = segments.get(unit.id);
    if (!segment) {
      error(unit.place, `${path.basename(translation.canonical!.file)} has no block or heading ${unit.id}`, 'units are named by stable IDs of the original: do not rename them');
      continue;
    }
    if (!unit.target) continue;
    if (unit.hash !== textHash(segment.original)) {
      at(unit.place, `${unit.id} was not imported: its text in ${path.basename(translation.canonical!.file)} has changed since the export`, 'export again and translate the unit from the text as it is now', 'warning');
      continue;
    }
    if (!segment.translated) {
      if (!unknownCode(unit, unit.sourceIds)) filled.set(unit.id, unit);
      continue;
    }
    const problems: Diagnostic[] = [];
    const sourceCoded = codeNode(segment.original, original, problems);
    const current = codeNode(segment.translated, source, problems);
    if (!current || !sourceCoded) continue;
    const exported = matchIds(sourceCoded.parts, current.parts);
    // A code's id is the source's, or one the export gave a code only the translation has.
    if (unknownCode(unit, new Set([...unit.sourceIds, ...exported.flatMap((p) => (typeof p === 'string' ? [] : [p.id]))]))) continue;
    const target: Part[] = unit.target;
    if (sameParts(target, exported)) {
      // Unchanged: a stale translation reviewed as it stands is accepted; nothing is rewritten.
      if (segment.state === 'stale' && unit.state !== undefined && REVIEWED.has(unit.state) && !(x.version === '2.1' && unit.state === 'translated')) accepted.push(unit.id);
      continue;
    }
    // A note mark or an image the translation had and the target leaves out goes with it: said,
    // as the translator may mean it, but never in silence.
    const kept = new Set(target.flatMap((p) => (typeof p === 'string' ? [] : [p.id])));
    for (const p of exported) {
      if (typeof p === 'string' || kept.has(p.id) || (p.type !== 'footnoteReference' && p.type !== 'image')) continue;
      at(unit.place, `the target of ${unit.id} leaves out ${p.type === 'image' ? 'the image' : 'the note mark'} ${p.md}, which ${path.basename(translation.file)} has there: it goes from the translation`, 'put the code back where the source has it, unless the translation is meant to lose it', 'warning');
    }
    const block = segment.translated.type as BlockKind | 'code';
    // A code block's text is literal: written between its fences as it is, never escaped.
    const md = block === 'code' ? literalMarkdown(source, current.start, current.end, plainText(target)) : decodeParts(withLabels(target, exported), textKind(segment.translated as CodableBlock, source.text), continuation(source.text, current.start), stubs);
    if (md === undefined) {
      if (block === 'code') error(unit.place, `the target of ${unit.id} would not read back as the text of its code block: a line of it would close the block's fence`, 'a line of a code block may not be a fence of its backticks or tildes, as long as its own or longer: shorten it, or indent it by four spaces');
      else error(unit.place, `the target of ${unit.id} would not read back as written: its text makes Markdown of its own, or its codes do not make a ${block}`, 'keep the codes of the source around the text they mark, and leave out line breaks in a heading');
      continue;
    }
    edits.push({ start: current.start, end: current.end, md, unit });
    changed.push(unit.id);
    accepted.push(unit.id);
  }
  if (failed) return undefined;
  const insertions = planInsertions(translation, status, filled, original, source, stubs, (place, message, hint) => at(place, message, hint, 'warning'));
  for (const edit of insertions) {
    edits.push(edit);
    changed.push(...edit.ids);
    accepted.push(...edit.ids);
  }
  // In reading order, inserted blocks among the others.
  const order = new Map(status.segments.map((seg, i) => [seg.id, i]));
  const byOrder = (a: string, b: string) => order.get(a)! - order.get(b)!;
  return { edits, accepted: accepted.sort(byOrder), changed: changed.sort(byOrder) };
}

/**
 * The document's link and note labels, wherever their definitions stand (a quote may hold one),
 * each as its identifier: labels match as written, escapes and all, case folded (CommonMark).
 */
function labels(source: SourceText): { links: string[]; footnotes: string[] } {
  const links: string[] = [];
  const footnotes: string[] = [];
  const visit = (node: Nodes) => {
    if (node.type === 'definition') links.push(node.identifier);
    else if (node.type === 'footnoteDefinition') footnotes.push(node.identifier);
    else if ('children' in node && node.type !== 'paragraph' && node.type !== 'heading') for (const c of node.children) visit(c);
  };
  visit(source.tree);
  return { links, footnotes };
}
