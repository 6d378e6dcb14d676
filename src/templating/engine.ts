/**
 * The Handlebars environment over templates/. Each template file is looked up in the user's
 * folders first, then in the built-in templates/, file by file (as mdBook themes and pandoc's
 * data folder do). Compilation is strict: a template that uses a variable the context does not
 * define fails with the template's own file, line and column.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { Root } from 'mdast';
import { EditionsError, fail, type Diagnostic } from '../messages.js';
import { BUILTIN_TEMPLATES } from '../paths.js';
import { byCodePoint } from '../shared/order.js';
import { findInvalidCharacters } from '../source/characters.js';
import { readTextFile } from '../source/files.js';
import { parseTemplateMarkdown } from '../source/parse.js';
import { registerHelpers } from './helpers.js';
import { escapeForMarkdown } from './markdown-escape.js';


type Compiled = (context: unknown, options?: Handlebars.RuntimeOptions) => string;

export class Templates {
  /** Folders searched in order: overrides first, the built-in templates last. */
  readonly dirs: readonly string[];
  /**
   * One Handlebars environment per template folder (`html/`, `epub/`, `pdf/`, `packet/`), each
   * with the partials of its own `partials/` only: a user's `pdf/partials/colophon.hbs` is the
   * print colophon's, never the HTML page's.
   */
  private readonly environments = new Map<string, typeof Handlebars>();
  private readonly cache = new Map<string, Compiled>();

  constructor(overrideDirs: readonly string[] = []) {
    for (const dir of overrideDirs) {
      if (!existsSync(dir) || !statSync(dir).isDirectory()) {
        fail('template-missing', `template folder "${dir}" ${existsSync(dir) ? 'is not a folder' : 'does not exist'}`, {
          hint: 'name a folder that holds copies of the template files you want to change, laid out as templates/ is',
        });
      }
    }
    this.dirs = [...overrideDirs.map((d) => path.resolve(d)), BUILTIN_TEMPLATES];
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
    return readTemplateFile(this.resolve(name));
  }

  /** Renders template `name` with `context`. */
  /** A Markdown template (`*.md.hbs`) rendered and parsed: its values are plain text. */
  markdown(name: string, context: object): Root {
    return parseTemplateMarkdown(this.render(name, context));
  }

  render(name: string, context: object): string {
    let compiled = this.cache.get(name);
    if (!compiled) {
      compiled = this.compile(this.environment(name.split('/')[0]!), this.resolve(name));
      this.cache.set(name, compiled);
    }
    return compiled(context);
  }

  /**
   * The files of the override folders that replace no built-in file (a misspelt name, a file in
   * the wrong folder): each is read by nothing, so the user is told. Paths are relative to their folder.
   */
  unusedOverrides(): { dir: string; name: string }[] {
    const builtin = new Set(listFiles(BUILTIN_TEMPLATES));
    // A folder's README.md (editions init writes one) documents it: it replaces nothing by design.
    const unused = (name: string) => !builtin.has(name) && name !== 'README.md';
    return this.dirs.slice(0, -1).flatMap((dir) => listFiles(dir).filter(unused).map((name) => ({ dir, name })));
  }

  /**
   * Compiles every template and partial that the folders serve (the override or the built-in
   * copy of each name), without rendering any: what `check` runs so that a broken override is
   * found before a build. Returns each file's problems.
   */
  compileAll(): Diagnostic[] {
    const found: Diagnostic[] = [];
    const names = new Set(this.dirs.flatMap((dir) => listFiles(dir)).filter((name) => name.endsWith('.hbs')));
    for (const name of [...names].sort(byCodePoint)) {
      try {
        // Kept: the build that follows renders with these.
        if (!this.cache.has(name)) this.cache.set(name, this.compile(this.environment(name.split('/')[0]!), this.resolve(name)));
      } catch (e) {
        if (!(e instanceof EditionsError)) throw e;
        for (const d of e.diagnostics) if (!found.some((f) => f.file === d.file && f.message === d.message)) found.push(d);
      }
    }
    return found;
  }

  /** The environment of one template folder, its helpers and partials registered. */
  private environment(folder: string): typeof Handlebars {
    let hb = this.environments.get(folder);
    if (hb) return hb;
    hb = Handlebars.create();
    registerHelpers(hb);
    const names = new Set<string>();
    for (const dir of this.dirs) {
      const partialsDir = path.join(dir, folder, 'partials');
      if (!existsSync(partialsDir)) continue;
      for (const f of readdirSync(partialsDir)) if (f.endsWith('.hbs')) names.add(`${folder}/partials/${f}`);
    }
    for (const name of [...names].sort(byCodePoint)) hb.registerPartial(path.basename(name, '.hbs'), this.compile(hb, this.resolve(name)));
    this.environments.set(folder, hb);
    return hb;
  }

  private compile(hb: typeof Handlebars, file: string): Compiled {
    const source = readTemplateFile(file);
    let ast: hbs.AST.Program;
    try {
      ast = hb.parse(source);
    } catch (e) {
      const message = (e as Error).message;
      const line = Number(/on line (\d+)/.exec(message)?.[1] ?? 1);
      fail('template-syntax', `the template does not compile: ${message.split('\n').at(-1)}`, {
        file,
        place: { line, column: 1 },
        hint: 'check that every {{#block}} has its {{/block}} and every {{ has its }}',
      });
    }
    // A Markdown template's values are escaped for Markdown, not for HTML: a "*" in a title is
    // a star, and "<b>" is text, in the PDF's and the DOCX's furniture alike.
    if (file.endsWith('.md.hbs')) escapeForMarkdown(ast, hb);
    const template = hb.compile(ast, { strict: true, noEscape: false });
    return (context: unknown, options?: Handlebars.RuntimeOptions) => {
      try {
        return (template as (c: unknown, o?: Handlebars.RuntimeOptions) => string)(context, options);
      } catch (e) {
        throw templateError(e, file, context);
      }
    };
  }
}

/**
 * A template file's text. A character that no edition can carry (a control character, U+FFFF)
 * is an error at its place: it would make every page made from the template invalid.
 */
function readTemplateFile(file: string): string {
  const text = readTextFile(file, 'template');
  const { diagnostics } = findInvalidCharacters(text, { file, severity: 'error', what: 'the template' });
  if (diagnostics.length > 0) throw new EditionsError(diagnostics);
  return text;
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
  const keys = context && typeof context === 'object' ? Object.keys(context).sort(byCodePoint) : [];
  return keys.length > 0
    ? `variables defined here: ${keys.join(', ')} (inside {{#each}} or {{#with}}, use ../name for the outer ones)`
    : 'no variables are defined here';
}

/** Every file under `dir`, as paths relative to it with "/" separators, sorted. */
function listFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort(byCodePoint);
}
