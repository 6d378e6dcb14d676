/**
 * A translation mirrors its original block for block: the same headings at the same levels,
 * the same number and kind of blocks in each section. Every difference is reported at its
 * place in the translation, with the stable ID the original has there.
 */
import path from 'node:path';
import { toString } from 'mdast-util-to-string';
import type { Point, Report } from '../messages.js';
import { blocksBySection } from './query.js';
import type { Block, DocumentModel, Section } from './types.js';

export function checkAlignment(canonical: DocumentModel, translation: DocumentModel, report: Report): void {
  const file = translation.file;
  const original = path.basename(canonical.file);
  const E = canonical.allSections;
  const T = translation.allSections;
  const eBlocks = blocksBySection(canonical);
  const tBlocks = blocksBySection(translation);
  const lastPlace = (): Point | undefined => {
    const last = translation.blocks.at(-1)?.node ?? T.at(-1)?.heading;
    return last?.position?.end;
  };

  for (let i = 0; i < Math.max(E.length, T.length); i++) {
    const e = E[i];
    const t = T[i];
    if (!t) {
      report.error('translation-structure', `the translation has no heading for section ${e!.id} ("${e!.text}")`, {
        file,
        place: lastPlace(),
        hint: `${original} has ${E.length} headings and the translation ${T.length}: add a ${'#'.repeat(e!.depth)} heading for ${e!.citation}`,
      });
      return;
    }
    if (!e) {
      report.error('translation-structure', `this heading has no counterpart in ${original}, which has ${E.length} headings`, {
        file,
        place: t.heading?.position?.start,
        hint: 'remove it, or add the section to the original first',
      });
      continue;
    }
    if (t.depth !== e.depth) {
      report.error('translation-structure', `heading level ${t.depth} where ${original} has level ${e.depth} (section ${e.id}, "${e.text}")`, {
        file,
        place: t.heading?.position?.start,
        hint: `make it ${'#'.repeat(e.depth)}`,
      });
    }
    compareBlocks(e, t, eBlocks.get(e.id) ?? [], tBlocks.get(t.id) ?? [], original, file, report);
  }
}

function compareBlocks(e: Section, t: Section, eb: Block[], tb: Block[], original: string, file: string, report: Report): void {
  for (let j = 0; j < Math.max(eb.length, tb.length); j++) {
    const want = eb[j];
    const got = tb[j];
    if (!got) {
      const after = tb.at(-1)?.node ?? t.heading;
      report.error('translation-structure', `section ${e.id} lacks ${want!.id}: ${original} has ${eb.length} blocks here, the translation ${tb.length}`, {
        file,
        place: after?.position?.end,
        hint: `translate "${excerpt(want!)}" and put it here (or check whether it went into a neighbouring section)`,
      });
      return;
    }
    if (!want) {
      report.error('translation-structure', `block ${got.id} has no counterpart: ${original} has ${eb.length} blocks in section ${e.id}`, {
        file,
        place: got.node.position?.start,
        hint: 'join it to the block before it, or move it to the section it belongs to',
      });
      return;
    }
    if (want.kind !== got.kind) {
      report.error('translation-structure', `block ${got.id} is a ${got.kind} where ${original} has a ${want.kind}`, {
        file,
        place: got.node.position?.start,
        hint: want.kind.startsWith('list item') ? 'write it as a list item ("- ...")' : 'write it as the original does',
      });
    }
  }
}

function excerpt(b: Block): string {
  const text = toString(b.node);
  return text.length > 50 ? `${text.slice(0, 50)}...` : text;
}
