/**
 * Writing a source file the tool itself keeps (a translation record, a translation an import
 * merges into, a termbase): whole or not at all, and never through a link.
 */
import { lstatSync, rmSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { onInterrupt } from '../build/interrupt.js';
import { fail } from '../messages.js';

/**
 * Refuses `file` when it is a symbolic link (which could point anywhere, and be written
 * through) or not a file at all, naming it as `what` ("the record", "the translation").
 */
export function refuseUnlessFile(file: string, what: string, hint: string): void {
  const info = lstatSync(file, { throwIfNoEntry: false });
  if (info && !info.isFile()) {
    fail('source-layout', `${what} "${path.basename(file)}" is ${info.isSymbolicLink() ? 'a symbolic link' : 'not a file'}: editions writes the file itself, never through a link`, { file, hint });
  }
}

/**
 * Writes `file` whole or not at all: into a new file beside it, renamed over it (a build stopped
 * midway removes the new file). `refuse` checks the file first (refuseUnlessFile, in the words
 * for its kind): writing through a link planted in the source would change a file anywhere the
 * user may write.
 */
export async function replaceFile(file: string, text: string, refuse: (file: string) => void): Promise<void> {
  refuse(file);
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
  const forget = onInterrupt(() => rmSync(temp, { force: true }));
  try {
    // 'wx': never through a link, nor over a file, at the temporary name either.
    await writeFile(temp, text, { flag: 'wx' });
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  } finally {
    forget();
  }
}
