/**
 * What `check` (and every build, before it renders) verifies of the templates, the print theme
 * and the UI strings, so that a broken override is reported with its file before any output is
 * made: every template compiles, the theme loads, each language in use has every UI string the
 * built-in English file has, and every override file replaces a built-in one.
 */
import path from 'node:path';
import { EditionsError, type Report } from '../messages.js';
import { byCodePoint } from '../shared/order.js';
import { loadTheme } from '../theme/theme.js';
import { BUILTIN_TEMPLATES } from '../paths.js';
import { Templates } from './engine.js';
import { loadStrings } from './i18n.js';

/** UI strings a language may leave out: it then takes its defaults. */
const OPTIONAL = new Set(['quotes']);

/** Reports every problem of the templates in `templates`, for texts in `languages`. */
export function validateTemplates(templates: Templates, languages: readonly string[], report: Report): void {
  for (const d of templates.compileAll()) report.add(d);
  collect(report, () => loadTheme(templates));
  const reference = Object.keys(loadStrings(new Templates([]), 'en'));
  for (const lang of [...new Set(languages)].sort(byCodePoint)) {
    const strings = collect(report, () => loadStrings(templates, lang));
    if (!strings) continue;
    if (strings.quotes !== undefined && ![4, 6].includes([...strings.quotes].length)) {
      report.error('i18n-quotes', `the UI string "quotes" for "${lang}" is "${strings.quotes}"; it needs 4 or 6 characters`, {
        hint: 'write the opening and closing double quotes, then the opening and closing single quotes, for example quotes: "“”‘’"; or put the quotes for a quotation inside a double one between them, for example quotes: "«»“”‘’"',
      });
    }
    const missing = reference.filter((key) => !(key in strings) && !OPTIONAL.has(key));
    if (missing.length === 0) continue;
    const file = templates.dirs.map((d) => path.join(d, 'i18n', `${lang}.yaml`)).find((f) => f !== path.join(BUILTIN_TEMPLATES, 'i18n', `${lang}.yaml`));
    report.error('i18n-missing', `the UI strings for "${lang}" lack ${missing.map((k) => `"${k}"`).join(', ')}`, {
      ...(file && { file }),
      hint: `add ${missing.length === 1 ? 'it' : 'them'} to the language's i18n file (templates/i18n/en.yaml has every key)`,
    });
  }
  for (const { dir, name } of templates.unusedOverrides()) {
    report.warning('template-unused', `the template folder has "${name}", which replaces no built-in file and is not read`, {
      file: path.join(dir, name),
      hint: 'name it as the built-in file it should replace (see templates/), or remove it',
    });
  }
}

/** Runs `load`, turning the problems it throws into the report's; undefined when it failed. */
function collect<T>(report: Report, load: () => T): T | undefined {
  try {
    return load();
  } catch (e) {
    if (!(e instanceof EditionsError)) throw e;
    for (const d of e.diagnostics) report.add(d);
    return undefined;
  }
}
