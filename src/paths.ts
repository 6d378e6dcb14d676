/** Where the package's own files are, whether running from lib/ (bundled) or src/ (tests). */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function packageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'policy-editions') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the policy-editions package folder');
    dir = up;
  }
}

export const PACKAGE_ROOT = packageRoot();

/** The templates that ship with the tool. */
export const BUILTIN_TEMPLATES = path.join(PACKAGE_ROOT, 'templates');
