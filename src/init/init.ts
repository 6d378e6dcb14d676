/**
 * `editions init [DIR]`: scaffolds a project (config, one document, a template folder, a
 * .gitignore); `editions init [DIR] --ci github|gitlab`: adds the CI file alone, so that an
 * existing project can take it too. Nothing is ever overwritten: every file is checked before
 * the first is written, so a refused init leaves the folder as it was.
 */
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EditionsError, escapeControls, usage, type Diagnostic } from '../messages.js';
import { CI_PROVIDERS, ciFiles, type CiProvider } from './ci.js';
import { EXAMPLE_DOCUMENT, scaffoldFiles, type PlannedFile } from './scaffold.js';

export interface InitOptions {
  ci?: string;
}

/** Writes the files and returns the exit code; throws EditionsError when it writes nothing. */
export function initCommand(args: readonly string[], options: InitOptions, out: (text: string) => void, cwd = process.cwd()): number {
  if (args.length > 1) usage(`init takes one folder, not ${args.length}`, 'run "editions init DIR", or "editions init" for the current folder');
  const dir = path.resolve(cwd, args[0] ?? '.');
  const ci = options.ci === undefined ? undefined : ciProvider(options.ci);
  const files = ci ? ciFiles(ci) : scaffoldFiles();
  refuseExisting(dir, files);
  for (const file of files) {
    const target = path.join(dir, ...file.path.split('/'));
    mkdirSync(path.dirname(target), { recursive: true });
    // `wx`: a file that appeared since the check above is still not overwritten.
    writeFileSync(target, file.text, { flag: 'wx' });
    out(`created ${escapeControls(path.relative(cwd, target))}\n`);
  }
  out(ci ? ciNextSteps(ci) : SCAFFOLD_NEXT_STEPS);
  return 0;
}

function ciProvider(name: string): CiProvider {
  if ((CI_PROVIDERS as readonly string[]).includes(name)) return name as CiProvider;
  usage(`unknown CI "${name}"`, `--ci takes ${CI_PROVIDERS.join(' or ')}`);
}

/** One error per file that exists already (a folder or a link in its place counts too). */
function refuseExisting(dir: string, files: readonly PlannedFile[]): void {
  const found: Diagnostic[] = files
    .map((f) => path.join(dir, ...f.path.split('/')))
    .filter((target) => exists(target))
    .map((file) => ({
      severity: 'error',
      ruleId: 'init-exists',
      message: 'the file exists already; editions init overwrites nothing, so it wrote no file',
      file,
      hint: 'move or remove it and run editions init again, or init another folder: editions init DIR',
    }));
  if (found.length > 0) throw new EditionsError(found);
}

function exists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

const SCAFFOLD_NEXT_STEPS = `next: write your text in source/${EXAMPLE_DOCUMENT}/paper.en.md (rename the folder to name the outputs), then run
  npx editions check
  npx editions build
and, for CI, editions init --ci github (or gitlab)
`;

function ciNextSteps(ci: CiProvider): string {
  return `next: the ${ci === 'github' ? 'workflow' : 'pipeline'} installs the tool with npm ci: commit a package.json and package-lock.json that depend on policy-editions\n`;
}
