/**
 * UI strings per language (templates/i18n/<tag>.yaml), resolved like templates: a user's folder
 * first, then the built-in one. A tag falls back to its language (`zh-Hans-CN` -> `zh-Hans` -> `zh`).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EditionsError, fail, Report } from '../messages.js';
import { readTextFile } from '../source/files.js';
import { readYaml } from '../source/yaml-schema.js';
import type { Templates } from './engine.js';

/** A UI strings file: keys and their text (a number or true/false is taken as its text). */
const stringsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

export interface Strings {
  /** The locale whose conventions format dates (`en-GB` writes 5 November 2008). */
  locale: string;
  [key: string]: string;
}

/** Each template set's strings by language: read once a build, for every output that needs them. */
const loaded = new WeakMap<Templates, Map<string, Strings>>();

/** The strings for `lang`, or an error naming the files that were looked for. */
export function loadStrings(templates: Templates, lang: string): Strings {
  let byLang = loaded.get(templates);
  if (!byLang) {
    byLang = new Map();
    loaded.set(templates, byLang);
  }
  let strings = byLang.get(lang);
  if (!strings) {
    strings = readStrings(templates, lang);
    byLang.set(lang, strings);
  }
  return strings;
}

function readStrings(templates: Templates, lang: string): Strings {
  const tried: string[] = [];
  for (const tag of fallbackTags(lang)) {
    for (const dir of templates.dirs) {
      const file = path.join(dir, 'i18n', `${tag}.yaml`);
      tried.push(file);
      if (!existsSync(file)) continue;
      const report = new Report();
      const { value: data } = readYaml(
        { text: readTextFile(file, 'UI strings file'), file, firstLine: 1, report, rules: { syntax: 'i18n-yaml', schema: 'i18n-yaml' }, what: 'UI strings file', characters: 'error' },
        stringsSchema,
      );
      if (!data || report.errorCount > 0) throw new EditionsError(report.diagnostics);
      if (typeof data.locale !== 'string') {
        fail('i18n-missing', 'the UI strings file lacks "locale" (the locale that formats dates, such as en-GB)', { file });
      }
      return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, String(v)])) as Strings;
    }
  }
  return fail('i18n-missing', `no UI strings for the language "${lang}"`, {
    hint: `add i18n/${lang}.yaml to your template folder, starting from a copy of templates/i18n/en.yaml (looked for ${tried.length} files)`,
  });
}

function fallbackTags(lang: string): string[] {
  const parts = lang.split('-');
  const tags: string[] = [];
  for (let n = parts.length; n >= 1; n--) tags.push(parts.slice(0, n).join('-'));
  return tags;
}

/** A UI string that code (not a template) needs; missing, it is an error naming the key. */
export function uiString(strings: Strings, key: string): string {
  const value = strings[key];
  if (value === undefined) {
    fail('i18n-missing', `no UI string "${key}" for ${strings.locale}`, { hint: `add "${key}: ..." to the language's i18n file` });
  }
  return value;
}

/** A language's name in the UI language (`languageNames: "en=English;zh-Hans=Chinese"`), or its tag. */
export function languageName(strings: Strings, tag: string): string {
  for (const pair of uiString(strings, 'languageNames').split(';')) {
    const [key, name] = pair.split('=');
    if (key === tag && name) return name;
  }
  return tag;
}

/** Two languages named together in `strings`' language: "English and Spanish", "英文对照中文". */
export function languagePair(strings: Strings, first: string, second: string): string {
  return uiString(strings, 'bilingualEdition').replace('{first}', languageName(strings, first)).replace('{second}', languageName(strings, second));
}

/**
 * A date (`2008-11-05`, or a Date) as the language writes it; always in UTC, so time zones do
 * not move it. A locale that this Node.js has no data for is written in English: Intl would
 * otherwise fall back to the machine's locale (LC_ALL), and the same source would give other bytes.
 */
export function formatDate(value: string | Date, locale: string): string {
  const date = typeof value === 'string' ? new Date(`${value}T00:00:00Z`) : value;
  let format = formatters.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(knownLocale(locale) ? locale : 'en', { dateStyle: 'long', timeZone: 'UTC' });
    formatters.set(locale, format);
  }
  return format.format(date);
}

function knownLocale(locale: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
  } catch {
    // Not a language tag at all (en_GB).
    return false;
  }
}

/** Making a formatter costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>();
