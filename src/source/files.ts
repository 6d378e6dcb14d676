/**
 * Reading the files the build is given (sources, packets, termbases, records, the config, the
 * templates, their strings and theme), and what the build says when the file system fails it.
 *
 * Only regular files are read, up to a size: a folder, a FIFO (which would block the build until
 * something writes to it), a device (/dev/zero never ends) or a socket is refused with its name.
 * The file is looked at before it is opened, and opened without blocking, then looked at again.
 *
 * Every errno the build can meet, reading or writing, becomes a message that names the file,
 * with a rule id and a hint: the CLI exits 1 for them, as for any input or environment problem.
 */
import { closeSync, constants, fstatSync, openSync, readSync, statSync, writeFileSync, type Stats } from 'node:fs';
import path from 'node:path';
import { EditionsError, type Diagnostic, type Report } from '../messages.js';

/**
 * The largest text file the build reads (the paper is about 100 kB). Issue 14 asks that a 20 MB
 * source build (under 1 GB, in linear time), so the cap stands above that.
 */
export const MAX_TEXT_BYTES = 32 * 1024 * 1024;

/**
 * The text of `file` (UTF-8), or an EditionsError (`file-read`) naming it: missing, a folder,
 * not a regular file, unreadable, or larger than `maxBytes`. `what` names it in messages
 * ("source file", "packet", "template").
 */
export function readTextFile(file: string, what: string, maxBytes = MAX_TEXT_BYTES): string {
  let info: Stats;
  try {
    info = statSync(file);
  } catch (e) {
    throw errnoError(e, file, 'read', what);
  }
  refuseUnlessRegular(info, file, what, maxBytes);
  let fd: number;
  try {
    // O_NONBLOCK: should a FIFO be put in its place since the stat, opening it does not wait for a writer.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw errnoError(e, file, 'read', what);
  }
  try {
    const opened = fstatSync(fd);
    refuseUnlessRegular(opened, file, what, maxBytes);
    // To the end, which may have moved since the stat; past the cap is too large.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(Math.max(opened.size - length, 0) + 1, maxBytes + 1 - length, 1 << 20));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(n === chunk.length ? chunk : chunk.subarray(0, n));
      length += n;
      if (length > maxBytes) tooLarge(file, what, maxBytes);
    }
    return Buffer.concat(chunks, length).toString('utf8');
  } catch (e) {
    if (e instanceof EditionsError) throw e;
    throw errnoError(e, file, 'read', what);
  } finally {
    closeSync(fd);
  }
}

/** The text of `file`, or undefined when it cannot be read: `report` gets why (readTextFile's message). */
export function readReported(file: string, what: string, report: Report): string | undefined {
  try {
    return readTextFile(file, what);
  } catch (e) {
    if (!(e instanceof EditionsError)) throw e;
    for (const d of e.diagnostics) report.add(d);
    return undefined;
  }
}

/**
 * Writes `data` to `file`; a failure (a full disk: the write call's error names no file) is an
 * EditionsError (`file-write`) naming it.
 */
export function writeOutput(file: string, data: string | Uint8Array, what = 'output'): void {
  try {
    writeFileSync(file, data);
  } catch (e) {
    throw errnoError(e, file, 'write', what);
  }
}

/** Whether `file` is a regular file (following symbolic links); false when it cannot be looked at. */
export function isRegularFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function refuseUnlessRegular(info: Stats, file: string, what: string, maxBytes: number): void {
  if (info.isFile()) {
    if (info.size > maxBytes) tooLarge(file, what, maxBytes);
    return;
  }
  const kind = info.isDirectory()
    ? 'a folder'
    : info.isFIFO()
      ? 'a named pipe (FIFO)'
      : info.isSocket()
        ? 'a socket'
        : info.isCharacterDevice() || info.isBlockDevice()
          ? 'a device'
          : 'not a regular file';
  throw new EditionsError({
    severity: 'error',
    ruleId: 'file-read',
    message: `the ${what} is ${kind}, not a file`,
    file,
    hint: `put a regular file at ${shown(file)}, or remove what is there${info.isDirectory() ? ' (a folder cannot have the name of a file the build reads)' : ''}`,
  });
}

function tooLarge(file: string, what: string, maxBytes: number): never {
  throw new EditionsError({
    severity: 'error',
    ruleId: 'file-read',
    message: `the ${what} is larger than ${maxBytes / 1024 / 1024} MB, more than the build reads`,
    file,
    hint: 'a text this large is not a source: check that the right file is named',
  });
}

/** The errno codes the build can meet, with what each means and what to try. */
const ERRNO: Record<string, { means: string; read: string; write: string }> = {
  ENOENT: {
    means: 'it does not exist',
    read: 'check the name, or create the file',
    write: 'a folder on the way to it does not exist, or was removed during the build: run again',
  },
  ENOTDIR: {
    means: 'a part of its path is a file, not a folder',
    read: 'check the path',
    write: 'choose an output folder whose path is made of folders',
  },
  EISDIR: { means: 'it is a folder, not a file', read: 'put a regular file there, or remove the folder', write: 'remove the folder that stands where the file goes' },
  EACCES: {
    means: 'permission denied',
    read: 'let the user who runs the build read it and its folders (chmod, chown)',
    write: 'choose an output folder you may write to (--out), or let this user write to it and its parent',
  },
  EPERM: {
    means: 'the operation is not permitted',
    read: 'let the user who runs the build read it and its folders',
    write: 'choose an output folder you may write to (--out), or change its permissions',
  },
  EROFS: { means: 'the file system is read-only', read: 'check the path', write: 'build into a folder on a writable disk (--out)' },
  ENOSPC: {
    means: 'no space is left on the device',
    read: 'free some space on the disk',
    write: 'free some space on the disk that holds the output folder, or build into another (--out); the previous output is untouched',
  },
  EDQUOT: { means: 'the disk quota is exceeded', read: 'free some of your space on the disk', write: 'free some of your space on the disk, or build into another folder (--out)' },
  EFBIG: { means: 'the file is too large for the file system', read: 'check the file', write: 'build into a folder on another file system (--out)' },
  ELOOP: {
    means: 'it is a symbolic link that loops (or one of too many links in a row)',
    read: 'point the link at a file, or replace it by the file',
    write: 'replace the looping link in the output path by a folder',
  },
  ENAMETOOLONG: { means: 'its name is too long', read: 'use a shorter path', write: 'choose a shorter output path' },
  EMFILE: {
    means: 'too many files are open in this process',
    read: 'raise the limit of open files (ulimit -n), then run again',
    write: 'raise the limit of open files (ulimit -n), then run again',
  },
  ENFILE: {
    means: 'too many files are open on this machine',
    read: 'close other programs, or raise the system limit of open files, then run again',
    write: 'close other programs, or raise the system limit of open files, then run again',
  },
  EIO: { means: 'the disk failed to read or write (an input/output error)', read: 'check the disk', write: 'check the disk, or build into a folder on another (--out)' },
  EBUSY: { means: 'it is busy (in use by another program)', read: 'close the program that holds it, then run again', write: 'close the program that holds the output folder open, then run again' },
  EXDEV: { means: 'it is on another file system than its staging folder', read: 'check the path', write: 'choose an output folder whose parent is on one file system (no mount point in between)' },
  ETXTBSY: { means: 'it is in use', read: 'close the program that uses it', write: 'close the program that uses it, then run again' },
  ENOTEMPTY: { means: 'the folder is not empty', read: 'check the path', write: 'remove what is left in it, then run again' },
  EEXIST: { means: 'something else already stands at that path', read: 'check the path', write: 'remove what stands there, then run again' },
};

/** An errno error (an `fs` call's), as a file-system problem: the syscalls that read, and the rest. */
const READING = new Set(['read', 'scandir', 'opendir', 'stat', 'lstat', 'fstat', 'readlink', 'realpath', 'access']);
/** The syscalls whose path is a folder. */
const FOLDER_CALLS = new Set(['scandir', 'opendir', 'mkdir', 'rmdir']);

export function isErrnoError(e: unknown): e is NodeJS.ErrnoException & { code: string } {
  return e instanceof Error && typeof (e as NodeJS.ErrnoException).code === 'string' && /^E[A-Z0-9]+$/.test((e as NodeJS.ErrnoException).code!);
}

/**
 * The diagnostic for an errno error met on `file` (the error's own path when not given): what
 * the file system said, in words, with the code, a rule id (`file-read` or `file-write`) and a hint.
 */
export function fileProblem(e: NodeJS.ErrnoException & { code: string }, file = e.path, direction?: 'read' | 'write', what?: string): Diagnostic {
  const dir = direction ?? (e.syscall && READING.has(e.syscall) ? 'read' : 'write');
  const known = ERRNO[e.code];
  const means = known?.means ?? firstClause(e.message);
  // mkdtemp names the folder it tried to make (random letters last): the folder it was to be
  // made in is the one to fix.
  const inside = e.syscall === 'mkdtemp' && file !== undefined;
  const where = inside ? path.dirname(file) : file;
  const folder = e.syscall !== undefined && FOLDER_CALLS.has(e.syscall);
  const subject = what ? `the ${what}` : inside ? 'no folder can be made in this folder' : folder ? 'this folder' : 'this file';
  const verb = what || !inside ? (dir === 'read' ? ' cannot be read' : e.syscall === 'mkdir' ? ' cannot be made' : ' cannot be written') : '';
  const dest = (e as { dest?: string }).dest;
  return {
    severity: 'error',
    ruleId: dir === 'read' ? 'file-read' : 'file-write',
    message: `${subject}${verb}: ${means} (${e.code}${e.syscall ? `, ${e.syscall}` : ''}${dest ? ` to ${shown(dest)}` : ''})`,
    ...(where && { file: path.resolve(where) }),
    hint: known ? known[dir] : 'check the file and the disk, then run again',
  };
}

/** `e` as an EditionsError when it is an errno error; otherwise `e` itself (a bug). */
export function errnoError(e: unknown, file: string | undefined, direction: 'read' | 'write', what?: string): unknown {
  return isErrnoError(e) ? new EditionsError(fileProblem(e, file, direction, what)) : e;
}

/** "EACCES: permission denied, open '/x'" -> "permission denied". */
function firstClause(message: string): string {
  return message.replace(/^E[A-Z0-9]+: /, '').split(',')[0]!.trim();
}

function shown(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}
