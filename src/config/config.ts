/**
 * Settings, merged as defaults < project config file < command-line flags. The config file is
 * `editions.config.yaml` in the current folder (or the one named by --config); its paths are
 * relative to the file.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FORMAT_NAMES, type FormatName } from '../formats/registry.js';
import { EditionsError, fail, Report, usage, type Point } from '../messages.js';
import { readTextFile } from '../source/files.js';
import { readYaml } from '../source/yaml-schema.js';

export const CONFIG_FILE = 'editions.config.yaml';

const text = z.string().trim().min(1, 'must not be empty');

const bilingualSetting = z.strictObject({
  /** The two languages in reading order: [zh-Hans, en] puts the Chinese first. */
  languages: z.tuple([text, text]),
  layout: z.enum(['side-by-side', 'alternating']).default('side-by-side'),
});

export type BilingualSetting = z.infer<typeof bilingualSetting> & {
  /** Where the setting stands in the config file: its languages, and each of the two. */
  at?: { file: string; languages: Point; each: [Point, Point] };
};

const configSchema = z.strictObject({
  /** Folders that hold one folder per document. */
  sources: z.array(text).optional(),
  /** Where outputs go. */
  out: text.optional(),
  /** Folders whose template files override the built-in ones, first match wins. */
  templates: z.union([text, z.array(text)]).optional(),
  /** Which formats to build. */
  formats: z.array(z.enum(FORMAT_NAMES)).optional(),
  /** Bilingual editions: which language stands first, and side by side or alternating. */
  bilingual: z.array(bilingualSetting).optional(),
  /** Links: URI schemes a link may use beyond http, https, ftp, mailto, tel and irc. */
  /** The colophon: `generator: true` prints the tool that made the edition ("Made with: policy-editions 0.1.0"); off by default. */
  colophon: z.strictObject({ generator: z.boolean() }).optional(),
  /** The build cache's folder (build/cache.ts); `true` for .editions-cache beside the config. Off by default. */
  cache: z.union([text, z.boolean()]).optional(),
  links: z.strictObject({ schemes: z.array(z.string().regex(/^[a-z][a-z0-9+.-]*$/, 'must be a URI scheme in lower case, without the colon, such as doi')) }).optional(),
});

/** Schemes that run script, read local files or carry whole documents: never links in an edition. */
const NEVER = new Set(['javascript', 'vbscript', 'data', 'file', 'blob', 'about', 'filesystem', 'jar', 'view-source']);

export interface Config {
  sources: string[];
  out: string;
  templates: string[];
  formats: FormatName[];
  bilingual: BilingualSetting[];
  /** URI schemes links may use beyond the built-in ones. */
  linkSchemes: string[];
  /** The colophon names the tool that made the edition (colophon.generator in the config file). */
  printGenerator: boolean;
  /** The build cache's folder; none, no cache. */
  cache?: string;
}

export interface Flags {
  config?: string;
  sources?: string[];
  out?: string;
  templates?: string[];
  formats?: string[];
  /** --cache DIR. */
  cache?: string;
  /** --no-cache: none, whatever the config says. */
  noCache?: boolean;
}

/** The cache's folder when the config says `cache: true`. */
export const CACHE_DIR = '.editions-cache';

export const DEFAULTS: Config = { sources: ['source'], out: 'dist', templates: [], formats: [...FORMAT_NAMES], bilingual: [], linkSchemes: [], printGenerator: false };

export function resolveConfig(flags: Flags, cwd = process.cwd()): Config {
  checkFlags(flags);
  const file = flags.config ? path.resolve(cwd, flags.config) : path.join(cwd, CONFIG_FILE);
  let fromFile: Partial<Config> = {};
  if (existsSync(file)) {
    fromFile = readConfigFile(file);
  } else if (flags.config) {
    fail('source-missing', `config file "${flags.config}" does not exist`, { hint: `create it, or leave out --config to use ${CONFIG_FILE}` });
  }
  const formats = flags.formats?.flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean);
  for (const f of formats ?? []) {
    if (!(FORMAT_NAMES as readonly string[]).includes(f)) {
      usage(`unknown format "${f}"`, `formats are ${FORMAT_NAMES.join(', ')}`);
    }
  }
  // `-f ,` would build nothing, `-f html,html` everything twice.
  if (formats?.length === 0) {
    usage('--format names no format', `name one or more of ${FORMAT_NAMES.join(', ')}, comma-separated, or leave --format out to build them all`);
  }
  const twice = formats?.find((f, i) => formats.indexOf(f) !== i);
  if (twice) usage(`--format names ${twice} twice`, 'name each format once');
  const abs = (p: string) => path.resolve(cwd, p);
  return {
    sources: (flags.sources?.length ? flags.sources.map(abs) : fromFile.sources) ?? DEFAULTS.sources.map(abs),
    out: flags.out ? abs(flags.out) : (fromFile.out ?? abs(DEFAULTS.out)),
    templates: flags.templates?.length ? flags.templates.map(abs) : (fromFile.templates ?? []),
    formats: (formats as FormatName[] | undefined) ?? fromFile.formats ?? DEFAULTS.formats,
    bilingual: fromFile.bilingual ?? DEFAULTS.bilingual,
    linkSchemes: fromFile.linkSchemes ?? DEFAULTS.linkSchemes,
    printGenerator: fromFile.printGenerator ?? DEFAULTS.printGenerator,
    ...(!flags.noCache && (flags.cache !== undefined || fromFile.cache !== undefined) && { cache: flags.cache !== undefined ? abs(flags.cache) : fromFile.cache! }),
  };
}

/** An option given an empty value (`--out ''`) is a mistake, not a request for the default. */
function checkFlags(flags: Flags): void {
  const empty = (v: string | undefined) => v !== undefined && v.trim() === '';
  const hints = {
    out: 'name a folder, such as --out dist, or leave --out out to build into dist/',
    config: `name a file, or leave --config out to read ${CONFIG_FILE}`,
    templates: 'name a folder of template files, or leave --templates out',
    format: `name one or more of ${FORMAT_NAMES.join(', ')}, comma-separated, or leave --format out to build them all`,
    cache: 'name a folder, such as --cache .editions-cache, or leave --cache out',
  };
  const given = { out: [flags.out], config: [flags.config], templates: flags.templates ?? [], format: flags.formats ?? [], cache: [flags.cache] };
  for (const [name, values] of Object.entries(given) as [keyof typeof hints, (string | undefined)[]][]) {
    if (values.some(empty)) usage(`--${name} is empty`, hints[name]);
  }
}

function readConfigFile(file: string): Partial<Config> {
  const report = new Report();
  const { value, locate } = readYaml(
    {
      text: readTextFile(file, 'config file'),
      file,
      firstLine: 1,
      report,
      rules: { syntax: 'config-yaml', schema: 'config-schema' },
      what: 'config',
      characters: 'error',
    },
    configSchema,
  );
  if (!value) throw new EditionsError(report.diagnostics);
  const at = (p: (string | number)[]) => ({ file, place: locate(p) });
  // What the schema lets through but would build nothing, or build something twice.
  if (value.sources?.length === 0) {
    report.error('config-content', '"sources" names no folder', { ...at(['sources']), hint: 'name at least one folder, or leave "sources" out to read source/' });
  }
  if (value.formats?.length === 0) {
    report.error('config-content', '"formats" names no format', { ...at(['formats']), hint: `name at least one of ${FORMAT_NAMES.join(', ')}, or leave "formats" out to build them all` });
  }
  value.formats?.forEach((f, i) => {
    if (value.formats!.indexOf(f) !== i) report.error('config-content', `"formats" names ${f} twice`, { ...at(['formats', i]), hint: 'name each format once' });
  });
  const bilingual = value.bilingual?.map((b, i): BilingualSetting => ({
    ...b,
    at: { file, languages: locate(['bilingual', i, 'languages']), each: [locate(['bilingual', i, 'languages', 0]), locate(['bilingual', i, 'languages', 1])] },
  }));
  bilingual?.forEach((b, i) => {
    const [first, second] = b.languages;
    if (first === second) {
      report.error('config-content', `the bilingual setting names ${first} twice`, { file, place: b.at!.each[1], hint: 'name the two languages of a bilingual edition in reading order, for example [zh-Hans, en]' });
      return;
    }
    const earlier = bilingual.slice(0, i).find((e) => e.languages.includes(first) && e.languages.includes(second));
    if (earlier) {
      report.error('config-content', `a second bilingual setting for ${first} and ${second} (the first is at line ${earlier.at!.languages.line})`, {
        file,
        place: b.at!.languages,
        hint: 'keep one setting per bilingual edition: it gives both the order of the languages and the layout',
      });
    }
  });
  value.links?.schemes.forEach((scheme, i) => {
    if (NEVER.has(scheme)) {
      report.error('config-content', `"${scheme}:" links run script or open local files, and are never allowed`, { ...at(['links', 'schemes', i]), hint: 'remove it: editions link only to addresses every reader opens safely' });
    }
  });
  if (report.errorCount > 0) throw new EditionsError(report.diagnostics);
  const dir = path.dirname(file);
  const rel = (p: string) => path.resolve(dir, p);
  const templates = value.templates === undefined ? undefined : [value.templates].flat();
  return {
    ...(value.sources && { sources: value.sources.map(rel) }),
    ...(value.out && { out: rel(value.out) }),
    ...(templates && { templates: templates.map(rel) }),
    ...(value.formats && { formats: value.formats }),
    ...(bilingual && { bilingual }),
    ...(value.links && { linkSchemes: value.links.schemes }),
    ...(value.colophon && { printGenerator: value.colophon.generator }),
    ...(value.cache !== undefined && value.cache !== false && { cache: value.cache === true ? rel(CACHE_DIR) : rel(value.cache) }),
  };
}
