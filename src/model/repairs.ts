/**
 * The original's editorial repairs (`editorial: repairs:` in its front matter), each naming the
 * block it repairs by its stable ID, checked once its translations are built: their records say
 * where the original's renumbering has taken each ID's text (renumbering.ts).
 */
import path from 'node:path';
import { closest, type Report } from '../messages.js';
import type { ParsedSource } from '../source/parse.js';
import { removedIds, renumberedIds } from './renumbering.js';
import type { DocumentModel } from './types.js';

/**
 * Reports each repair that names no block, at its `block:`, and follows the renumbering as a
 * packet's ID does (packets/load.ts): an ID the renumbering took away is followed to the block's
 * new ID (the colophon then prints the block where it stands), as it can mean nothing else; one it
 * gave to another block is kept, with a warning, since the repair may have been written before the
 * renumbering (it meant the block now under the new ID) or after it, and only its author knows.
 */
export function checkRepairs(original: DocumentModel, locateMeta: ParsedSource['locateMeta'], translations: readonly DocumentModel[], report: Report): void {
  const repairs = original.meta.editorial?.repairs ?? [];
  const ids = new Set([...original.allSections.map((s) => s.id), ...original.blocks.map((b) => b.id)]);
  const moved = renumberedIds(translations);
  const removed = removedIds(translations);
  const source = path.basename(original.file);
  repairs.forEach((repair, i) => {
    const id = repair.block;
    const place = locateMeta(['editorial', 'repairs', i, 'block']);
    const now = moved.get(id);
    if (now !== undefined && ids.has(now)) {
      if (ids.has(id)) {
        report.warning('renumbered-id', `the editorial repair names the block "${id}", which is now another text: ${source} has been renumbered since its translations were accepted, and the text ${id} named then is now ${now} (${cited(original, now)})`, {
          file: original.file,
          place,
          hint: `if the repair means that text, write block: ${now}; it is kept as written (the warning ends when the translations are accepted again)`,
        });
        return;
      }
      report.warning('renumbered-id', `${source} has no block "${id}" any more: it has renumbered it ${now} (${cited(original, now)}), which the colophon names as repaired`, {
        file: original.file,
        place,
        hint: `write block: ${now} (the renumbering is followed only while the translations' records remember it)`,
      });
      repair.block = now;
      return;
    }
    if (ids.has(id)) {
      if (removed.has(id)) {
        report.warning('renumbered-id', `the editorial repair names the block "${id}", which is now another text: the text ${id} named when the translations were accepted is no longer in ${source}`, {
          file: original.file,
          place,
          hint: 'remove the repair if its block is gone, or name the block it repairs now; it is kept as written (the warning ends when the translations are accepted again)',
        });
      }
      return;
    }
    const near = closest(id, [...ids]);
    report.error('editorial-repair', `the editorial repair names the block "${id}", which does not exist`, {
      file: original.file,
      place,
      hint: near.length > 0 ? `did you mean ${near.join(' or ')}?` : 'name a paragraph by its ID, such as iv-2-3-p1',
    });
  });
}

/** How the colophon cites a block (its section's citation, then its paragraph), or a section. */
function cited(original: DocumentModel, id: string): string {
  const block = original.blocks.find((b) => b.id === id);
  const section = original.allSections.find((s) => s.id === (block?.sectionId ?? id))!;
  // The preamble has no citation: its ID says where it is.
  const citation = section.citation || section.id;
  return block ? `${citation}, paragraph ${/-p(\d+)$/.exec(id)![1]}` : citation;
}
