/**
 * Bookmark names for the DOCX. Word allows at most 40 characters, starting with a letter (the
 * OOXML validator rejects longer names); a stable ID is longer when it comes from a long
 * unnumbered heading. The stable ID stays the link target in every other format: only the
 * DOCX uses these names, for its bookmarks, its internal links and its contents alike.
 */
import { createHash } from 'node:crypto';

/** Word's limit on a bookmark name. */
export const MAX_BOOKMARK_NAME = 40;
/**
 * A name kept as it is. Hyphens are allowed: every stable ID has them, the OOXML validator
 * accepts them and LibreOffice resolves links to them (Word's own dialog would not let a user
 * type one, but that is not measured here for files).
 */
const VALID = new RegExp(`^[A-Za-z][A-Za-z0-9_-]{0,${MAX_BOOKMARK_NAME - 1}}$`);
/** "_" and 8 hex digits of the ID's hash end a shortened name. */
const HASH_LENGTH = 8;

/** Maps a stable ID to the bookmark name the DOCX uses for it. */
export type BookmarkNames = (id: string) => string;

/**
 * The bookmark names of a document's `ids` (its sections' and blocks' stable IDs, in reading
 * order). A valid ID is its own name, so the usual document's bookmarks are its IDs; any other
 * is shortened deterministically and made unique within the document. An ID not in `ids` (a
 * link to something the document does not have) is mapped the same way, without the check.
 */
export function bookmarkNames(ids: Iterable<string>): BookmarkNames {
  const all = [...new Set(ids)];
  const names = new Map<string, string>();
  const taken = new Set<string>();
  // Valid IDs first, so that a shortened name never takes the name an ID already has as it is.
  for (const id of all) {
    if (VALID.test(id)) {
      names.set(id, id);
      taken.add(id);
    }
  }
  for (const id of all) {
    if (names.has(id)) continue;
    let name = shortened(id);
    for (let n = 1; taken.has(name); n++) name = shortened(id, n);
    names.set(id, name);
    taken.add(name);
  }
  return (id) => names.get(id) ?? (VALID.test(id) ? id : shortened(id));
}

/**
 * The ID's letters, digits, "_" and "-" (others become "_"), after a "b" when it does not start
 * with a letter, cut to leave room for "_" and a hash of the whole ID (with `attempt` when an
 * earlier name took it).
 */
function shortened(id: string, attempt = 0): string {
  const safe = id.replace(/[^A-Za-z0-9_-]/g, '_');
  const lettered = /^[A-Za-z]/.test(safe) ? safe : `b${safe}`;
  const hash = createHash('sha256')
    .update(attempt > 0 ? `${id}\u0000${attempt}` : id)
    .digest('hex')
    .slice(0, HASH_LENGTH);
  return `${lettered.slice(0, MAX_BOOKMARK_NAME - HASH_LENGTH - 1)}_${hash}`;
}
