/**
 * The Handlebars environment over templates/. Each template file is looked up in the user's
 * folders first, then in the built-in templates/, file by file (as mdBook themes and pandoc's
 * data folder do). Compilation is strict: a template that uses a variable the context does not
 * define fails with the template's own file, line and column.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { EditionsError, fail, type Diagnostic } from '../messages.js';
import { PACKAGE_ROOT } from '../paths.js';
import { registerHelpers } from './helpers.js';

/** The templates that ship with the tool. */
export const BUILTIN_TEMPLATES = path.join(PACKAGE_ROOT, 'templates');

type Compiled = (context: unknown, options?: Handlebars.RuntimeOptions) => string;

export class Templates {
  /** Folders searched in order: overrides first, the built-in templates last. */
  readonly dirs: readonly string[];
  private readonly hb = Handlebars.create();
  private readonly cache = new Map<string, Compiled>();

  constructor(overrideDirs: readonly string[] = []) {
    for (const dir of overrideDirs) {
      if (!existsSync(dir)) {
        fail('template-missing', `template folder "${dir}" does not exist`, {
          hint: 'name a folder that holds copies of the template files you want to change, laid out as templates/ is',
        });
      }
    }
    this.dirs = [...overrideDirs.map((d) => path.resolve(d)), BUILTIN_TEMPLATES];
    registerHelpers(this.hb);
    this.registerPartials();
  }

  /** The file that serves `name` (for example `html/page.hbs`): the first folder that has it. */
  resolve(name: string): string {
    for (const dir of this.dirs) {
      const file = path.join(dir, name);
      if (existsSync(file)) return file;
    }
    return fail('template-missing', `no template "${name}" in ${this.dirs.join(' or ')}`, {
      hint: 'copy the built-in file from templates/ into your template folder before changing it',
    });
  }

  /** The text of a non-template file (a stylesheet), resolved the same way. */
  read(name: string): string {
    return readFileSync(this.resolve(name), 'utf8');
  }

  /** Renders template `name` with `context`. */
  render(name: string, context: object): string {
    let compiled = this.cache.get(name);
    if (!compiled) {
      compiled = this.compile(this.resolve(name));
      this.cache.set(name, compiled);
    }
    return compiled(context);
  }

  /** Partials are every `*.hbs` under a `partials/` folder, named by file name without extension. */
  private registerPartials(): void {
    const names = new Set<string>();
    for (const dir of this.dirs) {
      for (const format of listDirs(dir)) {
        const partialsDir = path.join(dir, format, 'partials');
        if (!existsSync(partialsDir)) continue;
        for (const f of readdirSync(partialsDir)) if (f.endsWith('.hbs')) names.add(`${format}/partials/${f}`);
      }
    }
    for (const name of [...names].sort()) {
      const compiled = this.compile(this.resolve(name));
      this.hb.registerPartial(path.basename(name, '.hbs'), compiled);
    }
  }

  private compile(file: string): Compiled {
    const source = readFileSync(file, 'utf8');
    let ast: hbs.AST.Program;
    try {
      ast = this.hb.parse(source);
    } catch (e) {
      const message = (e as Error).message;
      const line = Number(/on line (\d+)/.exec(message)?.[1] ?? 1);
      fail('template-syntax', `the template does not compile: ${message.split('\n').at(-1)}`, {
        file,
        place: { line, column: 1 },
        hint: 'check that every {{#block}} has its {{/block}} and every {{ has its }}',
      });
    }
    const template = this.hb.compile(ast, { strict: true, noEscape: false });
    return (context: unknown, options?: Handlebars.RuntimeOptions) => {
      try {
        return (template as (c: unknown, o?: Handlebars.RuntimeOptions) => string)(context, options);
      } catch (e) {
        throw templateError(e, file, context);
      }
    };
  }
}

/** Turns a Handlebars runtime exception into a diagnostic at the template's line and column. */
function templateError(e: unknown, file: string, context: unknown): unknown {
  if (e instanceof EditionsError) {
    // A helper's error (a missing UI string) knows no file: it is this template's.
    for (const d of e.diagnostics) d.file ??= file;
    return e;
  }
  const err = e as Error & { lineNumber?: number; column?: number };
  const missing = /^"([^"]+)" not defined in/.exec(err.message);
  const partial = /^The partial (\S+) could not be found/.exec(err.message);
  const d: Diagnostic = {
    severity: 'error',
    ruleId: missing ? 'template-missing-variable' : partial ? 'template-missing' : 'template-syntax',
    message: missing
      ? `the template uses "${missing[1]}", which is not defined here`
      : partial
        ? `the template includes the partial "${partial[1]}", which does not exist`
        : `the template failed: ${err.message}`,
    file,
    hint: missing ? availableHint(context) : partial ? 'partials are the .hbs files in a partials/ folder' : undefined,
  };
  if (err.lineNumber) d.place = { line: err.lineNumber, column: (err.column ?? 0) + 1 };
  return new EditionsError(d);
}

function availableHint(context: unknown): string {
  const keys = context && typeof context === 'object' ? Object.keys(context).sort() : [];
  return keys.length > 0
    ? `variables defined here: ${keys.join(', ')} (inside {{#each}} or {{#with}}, use ../name for the outer ones)`
    : 'no variables are defined here';
}

function listDirs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
}
