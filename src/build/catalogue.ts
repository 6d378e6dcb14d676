/**
 * dist/index.html: every output of the build, grouped by document and edition, with its
 * languages, formats and sizes, and a picture of each PDF's first page.
 */
import type { DocumentModel } from '../model/types.js';
import { checkWellFormed } from '../page/index.js';
import { thumbnailKey, type RenderContext } from '../formats/registry.js';
import { languageName, languagePair, loadStrings, uiString } from '../templating/i18n.js';
import type { ManifestEntry } from './manifest.js';

/**
 * The catalogue is written in the language of the first document's original (English here).
 * `thumbnails` has the pictures of PDFs this build did not render (kept from the previous build).
 */
export function renderCatalogue(
  outputs: readonly ManifestEntry[],
  models: readonly DocumentModel[],
  ctx: Pick<RenderContext, 'templates' | 'build' | 'memo'>,
  thumbnails: ReadonlyMap<string, string> = new Map(),
): string {
  const lang = models.find((m) => !m.canonical)?.lang ?? 'en';
  const strings = loadStrings(ctx.templates, lang);
  const name = (tag: string) => languageName(strings, tag);
  const originals = new Map(models.filter((m) => !m.canonical).map((m) => [m.id, m]));
  const byLang = new Map(models.map((m) => [`${m.id}:${m.lang}`, m]));

  const documents = [...new Set(outputs.map((o) => o.document))].map((id) => {
    const mine = outputs.filter((o) => o.document === id);
    const groups = [...new Set(mine.map((o) => `${o.edition}:${o.languages.join('+')}`))];
    return {
      id: elementId(id),
      title: originals.get(id)?.meta.title ?? id,
      editions: groups.map((key) => {
        const files = mine.filter((o) => `${o.edition}:${o.languages.join('+')}` === key);
        const languages = files[0]!.languages;
        const texts = languages.map((l) => byLang.get(`${id}:${l}`));
        const model = texts[0];
        const pdfFile = files.find((o) => o.format === 'pdf');
        const pdf = pdfFile && (ctx.memo.get(thumbnailKey(texts)) as string | undefined);
        const inLanguages = languages.length > 1 ? languagePair(strings, languages[0]!, languages[1]!) : name(languages[0]!);
        const label = files[0]!.edition === 'briefing' ? `${uiString(strings, 'briefingPacket')}${uiString(strings, 'colon')}${inLanguages}` : inLanguages;
        return {
          label,
          thumbnail: pdf ? `data:image/svg+xml;base64,${Buffer.from(pdf).toString('base64')}` : ((pdfFile && thumbnails.get(pdfFile.path)) ?? null),
          thumbnailAlt: uiString(strings, 'firstPageOf').replace('{title}', `${model?.meta.title ?? id} (${label})`),
          outputs: files.map((o) => ({ format: o.format.toUpperCase(), path: urlPath(o.path), size: size(o.bytes) })),
        };
      }),
    };
  });

  const page = ctx.templates.render('html/catalogue.hbs', {
    lang,
    strings,
    generator: ctx.build.generator,
    style: ctx.templates.read('html/style.css'),
    count: outputs.length,
    documents,
  });
  checkWellFormed(page, ctx);
  return page;
}

function size(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

/**
 * An output path as a relative URL: each segment percent-encoded where a URL may not hold the
 * character as it is (a space, `#`, `?`, `%`, a colon, anything beyond ASCII), so a folder named
 * "my paper" is linked as my%20paper/. Letters, digits and `-._~!$&'()*+,;=@` stay as they are:
 * `china-lac-policy/china-lac-policy.en+zh-Hans.pdf` is its own URL.
 */
export function urlPath(p: string): string {
  return p
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%(21|24|26|27|28|29|2A|2B|2C|3B|3D|40)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))))
    .join('/');
}

/**
 * A document or packet id as an element id of the page: an id may not hold a space, so it is
 * encoded as a path segment is (`my paper` -> `my%20paper`); two ids stay two, since `%` is encoded too.
 */
function elementId(id: string): string {
  return urlPath(id).replaceAll('/', '%2F');
}
