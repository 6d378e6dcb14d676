import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EditionsError, formatDiagnostic } from '../src/messages.js';
import { BUILTIN_TEMPLATES } from '../src/paths.js';
import { Templates } from '../src/templating/engine.js';
import { formatDate, loadStrings } from '../src/templating/i18n.js';
import { runCli, tempDir } from './helpers.js';

function overrides(files: Record<string, string>): string {
  const dir = tempDir('editions-templates-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function failure(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof EditionsError) return e.diagnostics.map((d) => formatDiagnostic(d, '/')).join('\n');
    throw e;
  }
  throw new Error('expected an EditionsError');
}

const strings = { locale: 'en-GB', contents: 'Contents' };

describe('template resolution', () => {
  it('serves a file from the override folder first, and every other file from the built-in ones', () => {
    const dir = overrides({ 'html/partials/colophon.hbs': '<footer>{{issuer}}</footer>' });
    const t = new Templates([dir]);
    expect(t.resolve('html/partials/colophon.hbs')).toBe(path.join(dir, 'html/partials/colophon.hbs'));
    expect(t.resolve('html/page.hbs')).toBe(path.join(BUILTIN_TEMPLATES, 'html/page.hbs'));
  });

  it('uses an overridden partial inside a built-in template', () => {
    const dir = overrides({ 'html/partials/toc-entries.hbs': '{{#each this}}<li>{{number}}</li>{{/each}}' });
    const out = new Templates([dir]).render('html/partials/toc.hbs', {
      strings,
      toc: [{ number: 'I.' }, { number: 'II.' }],
    });
    expect(out).toContain('<li>I.</li><li>II.</li>');
  });

  it('keeps each format\'s partials apart: a print colophon does not replace the HTML page\'s', () => {
    const dir = overrides({
      'pdf/partials/colophon.hbs': 'PRINT COLOPHON',
      'html/page.hbs': '<p>{{> colophon}}</p>',
      'html/partials/colophon.hbs': 'HTML COLOPHON',
      'pdf/uses.md.hbs': '{{> colophon}}',
    });
    const t = new Templates([dir]);
    expect(t.render('html/page.hbs', { strings })).toBe('<p>HTML COLOPHON</p>');
    expect(t.render('pdf/uses.md.hbs', { strings })).toBe('PRINT COLOPHON');
  });

  it('names the override files that replace nothing', () => {
    const dir = overrides({ 'html/partials/colophon.hbs': 'x', 'html/partials/colofon.hbs': 'x', 'pdf/colophon.hbs': 'x' });
    expect(new Templates([dir]).unusedOverrides().map((o) => o.name)).toEqual(['html/partials/colofon.hbs', 'pdf/colophon.hbs']);
  });

  it('reports an override folder that does not exist', () => {
    expect(failure(() => new Templates(['/nowhere/templates']))).toContain('template folder "/nowhere/templates" does not exist');
  });
});

describe('strict templates', () => {
  it('fails on a missing variable with the template file, line and column', () => {
    const dir = overrides({ 'html/page.hbs': '<html>\n<body>\n  <p>{{publisherr}}</p>\n</body>\n</html>\n' });
    const message = failure(() => new Templates([dir]).render('html/page.hbs', { title: 'T', strings }));
    expect(message).toBe(
      `${path.relative('/', path.join(dir, 'html/page.hbs'))}:3:8: error: the template uses "publisherr", which is not defined here [template-missing-variable]\n` +
        '  hint: variables defined here: strings, title (inside {{#each}} or {{#with}}, use ../name for the outer ones)',
    );
  });

  it('fails on a missing variable inside a partial with the partial file', () => {
    const dir = overrides({
      'html/page.hbs': '<body>\n{{> title-page}}\n</body>',
      'html/partials/title-page.hbs': '<header>\n{{nosuch}}\n</header>',
    });
    const message = failure(() => new Templates([dir]).render('html/page.hbs', { strings }));
    expect(message).toMatch(/html\/partials\/title-page\.hbs:2:3: error: the template uses "nosuch"/);
  });

  it('reports a syntax error with its line', () => {
    const dir = overrides({ 'html/page.hbs': '<p>\n{{#if title}}\n</p>\n' });
    expect(failure(() => new Templates([dir]).render('html/page.hbs', {}))).toMatch(/page\.hbs:\d+:1: error: the template does not compile/);
  });

  it('reports a missing UI string in the template that asked for it', () => {
    const dir = overrides({ 'html/page.hbs': '<p>{{t "nosuchstring"}}</p>' });
    expect(failure(() => new Templates([dir]).render('html/page.hbs', { strings }))).toContain(
      'error: no UI string "nosuchstring" for en-GB [i18n-missing]',
    );
  });
});

describe('UI strings', () => {
  it('falls back from a regional tag to the language', () => {
    expect(loadStrings(new Templates(), 'en-US').contents).toBe('Contents');
  });

  it('says which language has no strings', () => {
    expect(failure(() => loadStrings(new Templates(), 'fr'))).toContain('no UI strings for the language "fr"');
  });

  it('writes dates in UTC, whatever the time zone', () => {
    expect(formatDate('2008-11-05', 'en-GB')).toBe('5 November 2008');
    expect(formatDate(new Date(Date.UTC(2008, 10, 5, 23, 30)), 'en-GB')).toBe('5 November 2008');
  });
});

describe('Markdown templates', () => {
  it('escape values for Markdown, so that a title is text in any format', () => {
    const dir = overrides({ 'pdf/t.md.hbs': '# {{title}}\n\n{{t "contents"}} ({{url site}}) ({{url bad}}) {{{raw}}}\n' });
    const out = new Templates([dir]).render('pdf/t.md.hbs', {
      strings,
      title: 'The *real* <b>cost</b> of [links](https://x.test) & #tags_',
      site: 'https://china.usc.edu/page?a=1',
      bad: 'javascript:alert(1)',
      raw: '*kept*',
    });
    expect(out).toBe(
      '# The \\*real\\* \\<b\\>cost\\<\\/b\\> of \\[links\\]\\(https\\:\\/\\/x\\.test\\) \\& \\#tags\\_\n\n' +
        'Contents (<https://china.usc.edu/page?a=1>) (javascript\\:alert\\(1\\)) *kept*\n',
    );
  });
});

describe('check', () => {
  it('validates the templates, the theme and the UI strings of an override folder, before any build', () => {
    const theme = readFileSync(path.join(BUILTIN_TEMPLATES, 'pdf/theme.yaml'), 'utf8').replace('  size: 10.5', '  size: 200');
    const es = readFileSync(path.join(BUILTIN_TEMPLATES, 'i18n/es.yaml'), 'utf8').replace(/^contents:.*\n/m, '');
    const dir = overrides({ 'pdf/colophon.md.hbs': '## {{t "colophon"}\n', 'pdf/theme.yaml': theme, 'i18n/es.yaml': es, 'html/partials/colofon.hbs': 'x' });
    const r = runCli(['check', '--templates', dir]);
    expect(r.status).toBe(1);
    const lines = r.stderr.split('\n');
    expect(lines).toContain(`${path.join(dir, 'pdf/colophon.md.hbs')}:1:1: error: the template does not compile: ${lines.find((l) => l.includes('does not compile'))!.split('does not compile: ')[1]}`);
    expect(lines).toContain(`${path.join(dir, 'pdf/theme.yaml')}:${theme.split('\n').findIndex((l) => l === '  size: 200') + 1}:9: error: theme key "body.size": 200 is out of range: at most 96 [theme]`);
    expect(lines).toContain(`${path.join(dir, 'i18n/es.yaml')}: error: the UI strings for "es" lack "contents" [i18n-missing]`);
    expect(lines).toContain(`${path.join(dir, 'html/partials/colofon.hbs')}: warning: the template folder has "html/partials/colofon.hbs", which replaces no built-in file and is not read [template-unused]`);
    expect(lines).toContain('3 errors, 1 warning');
  });
});
