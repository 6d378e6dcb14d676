/** The tool's name and version, as written into every output's generator field. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from './paths.js';

const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

export const VERSION = pkg.version;
export const GENERATOR = `${pkg.name} ${pkg.version}`;
