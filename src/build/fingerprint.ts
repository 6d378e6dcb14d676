/**
 * The fingerprints of what every output of a build is made from, read as files and not as
 * sources: the tool (its code, package.json, lockfile and its dependencies' versions), the
 * template folders, and a whole build's inputs. Light on purpose: a build with nothing changed
 * (cache.ts getBuild) gets here without loading the parser, the templates or a renderer.
 */
import { createHash, type Hash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILTIN_TEMPLATES, PACKAGE_ROOT } from '../paths.js';
import type { Templates } from '../templating/engine.js';

let tool: string | undefined;

/** The tool's fingerprint, once per process. */
export function toolFingerprint(): string {
  if (tool) return tool;
  const h = createHash('sha256');
  hashTree(h, codeFolder());
  for (const name of ['package.json', 'package-lock.json']) {
    const file = path.join(PACKAGE_ROOT, name);
    if (existsSync(file)) h.update(`${name}\0`).update(readFileSync(file));
  }
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const require = createRequire(path.join(PACKAGE_ROOT, 'package.json'));
  for (const dep of Object.keys(pkg.dependencies ?? {}).sort()) h.update(`dep\0${dep}\0${installedVersion(require, dep)}\0`);
  return (tool = h.digest('hex'));
}

/** The folder of the tool's code: lib/ as installed (one bundle), src/ when run from its sources (tests). */
function codeFolder(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (path.dirname(dir) !== PACKAGE_ROOT && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return dir;
}

/** A dependency's installed version, read from its package.json where it can be found. */
function installedVersion(require: NodeRequire, dep: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${dep}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    // A package whose exports hide its package.json: found from its entry point's folders.
    try {
      let dir = path.dirname(require.resolve(dep));
      for (;;) {
        const file = path.join(dir, 'package.json');
        if (existsSync(file)) {
          const p = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
          if (p.name === dep) return p.version ?? '?';
        }
        const up = path.dirname(dir);
        if (up === dir) return '?';
        dir = up;
      }
    } catch {
      return '?';
    }
  }
}

/**
 * Every file under `dir`, by relative path and content, in a stable order; `skip` names folders
 * left out (the output and cache folders, where a SOURCE holds them). What cannot be read (a
 * dangling link, a file the user may not read) is named as such: the build that reads it says why.
 */
function hashTree(h: Hash, dir: string, prefix = '', skip: ReadonlySet<string> = new Set()): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const name of names) {
    const file = path.join(dir, name);
    if (skip.has(file)) continue;
    try {
      const info = statSync(file);
      if (info.isDirectory()) hashTree(h, file, `${prefix}${name}/`, skip);
      else if (info.isFile()) h.update(`${prefix}${name}\0${info.size}\0`).update(readFileSync(file));
    } catch {
      h.update(`${prefix}${name}\0unreadable\0`);
    }
  }
}

/** The template folders' fingerprint. */
export function templatesFingerprint(templates: Templates): string {
  const h = createHash('sha256');
  hashTemplates(h, templates.dirs);
  return h.digest('hex');
}

/** Template folders (the tool's own last), each by its path from the working folder (the tool's own by its name), as files are named. */
function hashTemplates(h: Hash, dirs: readonly string[]): void {
  for (const dir of dirs) {
    h.update(`dir\0${dir === BUILTIN_TEMPLATES ? 'editions:templates' : path.relative(process.cwd(), dir)}\0`);
    hashTree(h, dir);
  }
}

/**
 * A whole build's inputs as files, without reading them as sources: the tool, the settings that
 * change outputs, the template folders, and every file under every source folder, each by its
 * path from the working folder. The same fingerprint, the same folder: a build with nothing
 * changed is copied from the cache (cache.ts getBuild) without loading a model.
 */
export function buildFingerprint(settings: object, sources: readonly string[], templateDirs: readonly string[], skip: readonly string[] = []): string {
  const left = new Set(skip.map((d) => path.resolve(d)));
  const h = createHash('sha256');
  h.update(`${toolFingerprint()}\0${JSON.stringify(settings)}\0`);
  // The folders a Templates reads (templating/engine.ts): the overrides, then the tool's own.
  hashTemplates(h, [...templateDirs.map((d) => path.resolve(d)), BUILTIN_TEMPLATES]);
  for (const source of sources) {
    h.update(`source\0${path.relative(process.cwd(), path.resolve(source))}\0`);
    hashTree(h, source, '', left);
  }
  return h.digest('hex');
}
