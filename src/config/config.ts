/**
 * Settings, merged as defaults < project config file < command-line flags. The config file is
 * `editions.config.yaml` in the current folder (or the one named by --config); its paths are
 * relative to the file.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { FORMAT_NAMES, type FormatName } from '../formats/registry.js';
import { EditionsError, fail, Report } from '../messages.js';
import { readTextFile } from '../source/files.js';
import { readYaml } from '../source/yaml-schema.js';

export const CONFIG_FILE = 'editions.config.yaml';

const text = z.string().trim().min(1, 'must not be empty');

const bilingualSetting = z.strictObject({
  /** The two languages in reading order: [zh-Hans, en] puts the Chinese first. */
  languages: z.tuple([text, text]),
  layout: z.enum(['side-by-side', 'alternating']).default('side-by-side'),
});

export type BilingualSetting = z.infer<typeof bilingualSetting>;

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
});

export interface Config {
  sources: string[];
  out: string;
  templates: string[];
  formats: FormatName[];
  bilingual: BilingualSetting[];
}

export interface Flags {
  config?: string;
  sources?: string[];
  out?: string;
  templates?: string[];
  formats?: string[];
}

export const DEFAULTS: Config = { sources: ['source'], out: 'dist', templates: [], formats: [...FORMAT_NAMES], bilingual: [] };

export function resolveConfig(flags: Flags, cwd = process.cwd()): Config {
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
      fail('cli-usage', `unknown format "${f}"`, { hint: `formats are ${FORMAT_NAMES.join(', ')}` });
    }
  }
  const abs = (p: string) => path.resolve(cwd, p);
  return {
    sources: (flags.sources?.length ? flags.sources.map(abs) : fromFile.sources) ?? DEFAULTS.sources.map(abs),
    out: flags.out ? abs(flags.out) : (fromFile.out ?? abs(DEFAULTS.out)),
    templates: flags.templates?.length ? flags.templates.map(abs) : (fromFile.templates ?? []),
    formats: (formats as FormatName[] | undefined) ?? fromFile.formats ?? DEFAULTS.formats,
    bilingual: fromFile.bilingual ?? DEFAULTS.bilingual,
  };
}

function readConfigFile(file: string): Partial<Config> {
  const report = new Report();
  const { value } = readYaml(
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
  if (!value || report.errorCount > 0) throw new EditionsError(report.diagnostics);
  const dir = path.dirname(file);
  const rel = (p: string) => path.resolve(dir, p);
  const templates = value.templates === undefined ? undefined : [value.templates].flat();
  return {
    ...(value.sources && { sources: value.sources.map(rel) }),
    ...(value.out && { out: rel(value.out) }),
    ...(templates && { templates: templates.map(rel) }),
    ...(value.formats && { formats: value.formats }),
    ...(value.bilingual && { bilingual: value.bilingual }),
  };
}
