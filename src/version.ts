/** The tool's name and version, as written into every output's generator field. */
import { createRequire } from 'node:module';

const pkg = createRequire(import.meta.url)('../package.json') as { name: string; version: string };

export const VERSION = pkg.version;
export const GENERATOR = `${pkg.name} ${pkg.version}`;
