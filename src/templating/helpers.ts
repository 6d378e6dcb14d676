/** Every Handlebars helper the templates may use, registered in one place. */
import type Handlebars from 'handlebars';
import { EditionsError } from '../messages.js';
import { formatDate, type Strings } from './i18n.js';

interface Root {
  strings: Strings;
}

export function registerHelpers(hb: typeof Handlebars): void {
  /** `{{t "contents"}}`, `{{t "pageOf" page=3 pages=12}}`: a UI string in the document's language. */
  hb.registerHelper('t', function (this: unknown, key: string, options: Handlebars.HelperOptions) {
    const strings = (options.data.root as Root).strings;
    const value = strings[key];
    if (value === undefined) {
      throw new EditionsError({
        severity: 'error',
        ruleId: 'i18n-missing',
        message: `no UI string "${key}" for ${strings.locale}`,
        hint: `add "${key}: ..." to the language's i18n file`,
      });
    }
    return value.replace(/\{(\w+)\}/g, (m, name: string) => (name in options.hash ? String(options.hash[name]) : m));
  });

  /** `{{date issued}}`: an ISO date written as the document's language writes dates. */
  hb.registerHelper('date', function (this: unknown, value: string | Date, options: Handlebars.HelperOptions) {
    return formatDate(value, (options.data.root as Root).strings.locale);
  });

  /** `{{join keywords ", "}}` */
  hb.registerHelper('join', (list: unknown[], separator: string) => list.join(typeof separator === 'string' ? separator : ', '));
}
