/**
 * The colophon a publisher signs, read back from the HTML and the PDF of the paper in every
 * language: the translator named once, the source line and the editorial note in each, no tool
 * branding unless the config asks for it, and no Latin space after a Chinese full stop.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasPoppler, read, run, runCli, SOURCE, tempDir } from './helpers.js';

let out: string;
const html = (lang: string) => read(path.join(out, `china-lac-policy/china-lac-policy.${lang}.html`));
const colophonOf = (page: string) =>
  /<footer class="colophon"[\s\S]*?<\/footer>/
    .exec(page)![0]
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
/** The PDF's colophon page (the back of the title page). */
const pdfColophon = (lang: string) => run('pdftotext', ['-f', '2', '-l', '2', path.join(out, `china-lac-policy/china-lac-policy.${lang}.pdf`), '-']);

beforeAll(() => {
  out = path.join(tempDir(), 'dist');
  const r = runCli(['build', SOURCE, '--out', out, '--format', 'html,pdf', '-q']);
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
});

describe('the colophon', () => {
  it('names the translator once, from the front matter, then the notice', () => {
    const es = colophonOf(html('es'));
    expect(es).toContain('Traducción Equipo editorial de la edición. Traducción no oficial, hecha a partir del texto en inglés.');
    expect(es).not.toMatch(/Traducción: Traducción/);
    const zh = colophonOf(html('zh-Hans'));
    expect(zh).toContain('译文 本版编辑组。非官方译文，译自英文文本。以英文文本为准。');
    expect(zh).not.toContain('译者');
  });

  it('prints the source line and its own editorial note in every language', () => {
    expect(colophonOf(html('en'))).toContain('Source Text as republished by USC US-China Institute on 20 April 2009 ( https://china.usc.edu )');
    expect(colophonOf(html('es'))).toContain('Fuente Texto reproducido por USC US-China Institute el 20 de abril de 2009 ( https://china.usc.edu )');
    expect(colophonOf(html('zh-Hans'))).toContain('来源 文本由USC US-China Institute转载（2009年4月20日）（ https://china.usc.edu ）');
    expect(colophonOf(html('es'))).toContain('Nota editorial Esta edición se compone a partir del texto en inglés');
    expect(colophonOf(html('zh-Hans'))).toContain('编辑说明 本版依据美国南加州大学美中学院');
  });

  it.skipIf(!hasPoppler())('reads the same in the PDF, with no Latin space after 。 and no tool named', () => {
    for (const lang of ['en', 'es', 'zh-Hans']) {
      const page = pdfColophon(lang);
      expect(page).not.toContain('policy-editions');
      expect(page).not.toMatch(/Made with|Hecho con|制作工具/);
    }
    expect(pdfColophon('es')).toMatch(/Fuente: Texto reproducido por USC US-China Institute/);
    expect(pdfColophon('es')).toMatch(/Nota editorial\nEsta edición se compone/);
    const zh = pdfColophon('zh-Hans');
    expect(zh).toMatch(/来源：文本由USC US-China Institute转载（2009年4月20日）/);
    expect(zh).toMatch(/译文：本版编辑组。非官方译文/);
    expect(zh).not.toMatch(/[。，：；）] /);
    expect(zh).toMatch(/编辑说明\n本版依据/);
  });

  it('names the tool only when the config says colophon.generator: true', () => {
    expect(colophonOf(html('en'))).not.toContain('policy-editions');
    const dir = tempDir();
    const config = path.join(dir, 'editions.config.yaml');
    writeFileSync(config, 'colophon:\n  generator: true\n');
    const branded = path.join(dir, 'dist');
    expect(runCli(['build', SOURCE, '--config', config, '--out', branded, '--format', 'html', '-q']).status).toBe(0);
    expect(colophonOf(read(path.join(branded, 'china-lac-policy/china-lac-policy.en.html')))).toContain('Made with policy-editions 0.1.0');
    expect(colophonOf(read(path.join(branded, 'china-lac-policy/china-lac-policy.zh-Hans.html')))).toContain('制作工具 policy-editions 0.1.0');
    writeFileSync(config, 'colophon:\n  generator: yes please\n');
    const refused = runCli(['build', SOURCE, '--config', config, '--out', branded, '--format', 'html', '-q']);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('colophon');
  });
});
