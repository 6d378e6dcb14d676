/** Every Handlebars helper the templates may use, registered in one place. */
import type Handlebars from 'handlebars';
import { EditionsError } from '../messages.js';
import { formatDate, type Strings } from './i18n.js';
import { markdownText } from './markdown-escape.js';

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

  /** What `{{value}}` writes in a Markdown template: the value as text (markdown-escape.ts). */
  hb.registerHelper('markdown', (value: unknown) => (value instanceof hb.SafeString ? value.toString() : markdownText(value == null ? '' : String(value))));

  /**
   * `{{url source.website}}` in a Markdown template: an autolink for a web or mail address, and
   * the address as plain text for anything else (a `javascript:` URL never becomes a link).
   */
  hb.registerHelper('url', (value: unknown) => {
    const text = String(value ?? '');
    return /^(?:https?:\/\/|mailto:)[^\s<>]+$/i.test(text) ? new hb.SafeString(`<${text}>`) : new hb.SafeString(markdownText(text));
  });
}
