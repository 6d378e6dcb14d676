/**
 * Every EPUB of the shared builds checked by DAISY Ace (in the system's Chromium), with no
 * violations; and the EPUB Accessibility 1.1 metadata of each package document, its claims as
 * they hold for the edition (images with and without text alternatives, tables). In CI a missing
 * Ace is a failure (helpers.haveTool); locally its test is skipped.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import { accessibility } from '../src/formats/epub/index.js';
import { inTurns } from '../src/shared/turns.js';
import { CHROMIUM, hasChromium, haveTool, sharedBuild, tempDir } from './helpers.js';

let epubs: string[];

beforeAll(() => {
  epubs = (['repository', 'corpus'] as const).flatMap((name) => {
    const { out } = sharedBuild(name);
    return readdirSync(out, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.epub'))
      .map((f) => path.join(out, f));
  });
});

// Chromium is the system's (.puppeteerrc.cjs downloads none), launched by Ace with --no-sandbox;
// Puppeteer reads its path when it is loaded, which hasAce() does.
process.env.PUPPETEER_EXECUTABLE_PATH ??= CHROMIUM;
const require = createRequire(import.meta.url);
/** Ace's modules, as @daisy/ace-cli (a devDependency) runs them: resolved through it. */
function aceModules() {
  const cli = createRequire(require.resolve('@daisy/ace-cli/package.json'));
  const shared = createRequire(cli.resolve('@daisy/ace-cli-shared/package.json'));
  return {
    ace: shared('@daisy/ace-core') as (epub: string, options: object, runner: AxeRunner) => Promise<[string, AceReport]>,
    runner: cli('@daisy/ace-axe-runner-puppeteer') as AxeRunner,
    logger: shared('@daisy/ace-logger') as { initLogger(options: object): void },
  };
}
const hasAce = () => hasChromium() && haveTool('DAISY Ace (@daisy/ace-cli)', () => aceModules() !== undefined);

interface AxeRunner {
  launch(): Promise<void>;
  close(): Promise<void>;
  [key: string]: unknown;
}
interface AceAssertion {
  'earl:test': { 'dct:title': string; 'earl:impact'?: string };
  'earl:result': { 'earl:outcome': string; 'dct:description'?: string; html?: string };
  'earl:testSubject'?: { url: string };
  assertions?: AceAssertion[];
}
interface AceReport {
  'earl:result': { 'earl:outcome': string };
  'a11y-metadata': { missing: string[]; empty: string[]; present: string[] };
  assertions: AceAssertion[];
}

describe.skipIf(!hasAce())('DAISY Ace', () => {
  it('reports no violations in any EPUB, and finds its accessibility metadata', { timeout: 600_000 }, async () => {
    const { ace, runner, logger } = aceModules();
    logger.initLogger({ verbose: false, silent: true });
    // One browser for every EPUB: Ace launches and closes one for each, which costs more than a small EPUB's check.
    const shared: AxeRunner = { ...runner, launch: async () => {}, close: async () => {} };
    const reports = tempDir('editions-ace-');
    const findings: string[] = [];
    const started = performance.now();
    await runner.launch();
    try {
      // Two at a time: the checks are Chromium's work, and the machine may have two cores.
      const each = await inTurns(
        epubs,
        async (epub) => {
          const found: string[] = [];
          const name = path.basename(epub);
          const outdir = path.join(reports, name);
          mkdirSync(outdir);
          const [, report] = await ace(epub, { cwd: process.cwd(), outdir, silent: true }, shared);
          for (const doc of report.assertions) {
            for (const a of doc.assertions ?? []) {
              if (a['earl:result']['earl:outcome'] !== 'pass') {
                found.push(`${name}: ${doc['earl:testSubject']?.url}: ${a['earl:test']['dct:title']} (${a['earl:test']['earl:impact']}): ${a['earl:result']['dct:description']} ${a['earl:result'].html ?? ''}`);
              }
            }
          }
          if (report['earl:result']['earl:outcome'] !== 'pass') found.push(`${name}: outcome ${report['earl:result']['earl:outcome']}`);
          // What Ace misses is only the certification, which these editions do not claim.
          const missing = report['a11y-metadata'].missing.filter((m) => !m.startsWith('a11y:certif'));
          if (missing.length > 0 || report['a11y-metadata'].empty.length > 0) found.push(`${name}: metadata missing ${missing.join(', ')}; empty ${report['a11y-metadata'].empty.join(', ')}`);
          return found;
        },
        2,
      );
      findings.push(...each.flat());
    } finally {
      await runner.close();
    }
    console.log(`Ace: ${epubs.length} EPUBs in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    // Every EPUB of both builds: the repository's 8 and the corpus's 40.
    expect(epubs.length).toBe(48);
    expect(findings).toEqual([]);
  });
});

/** The package document's <meta property> values, by property, in order. */
function metadata(epub: string): { meta: Map<string, string[]>; page: string } {
  const files = unzipSync(readFileSync(epub));
  const opf = new TextDecoder().decode(files['EPUB/package.opf']);
  const meta = new Map<string, string[]>();
  for (const [, property, value] of opf.matchAll(/<meta property="([^"]+)">([^<]*)<\/meta>/g)) meta.set(property!, [...(meta.get(property!) ?? []), value!]);
  return { meta, page: new TextDecoder().decode(files['EPUB/paper.xhtml']) };
}

const ALWAYS = ['structuralNavigation', 'tableOfContents', 'readingOrder', 'displayTransformability', 'unlocked'];

describe('EPUB Accessibility 1.1 metadata', () => {
  it('claims conformance, modes, features, hazards and a summary in every EPUB, as the edition holds them', () => {
    for (const epub of epubs) {
      const { meta, page } = metadata(epub);
      const name = path.basename(epub);
      const imgs = page.match(/<img\b[^>]*>/g) ?? [];
      expect(meta.get('dcterms:conformsTo'), name).toEqual(['EPUB Accessibility 1.1 - WCAG 2.2 Level AA']);
      expect(meta.get('schema:accessMode'), name).toEqual(imgs.length ? ['textual', 'visual'] : ['textual']);
      expect(meta.get('schema:accessibilityHazard'), name).toEqual(['none']);
      const features = meta.get('schema:accessibilityFeature');
      expect(features?.slice(0, ALWAYS.length), name).toEqual(ALWAYS);
      expect(features?.includes('alternativeText'), name).toBe(imgs.length > 0);
      expect(meta.get('schema:accessibilitySummary')?.[0], name).toMatch(/\S/);
      // No certification is claimed.
      expect([...meta.keys()].filter((k) => k.startsWith('a11y:')), name).toEqual([]);
    }
  });

  it('says of the kitchen sink that its images are described and its tables have header cells', () => {
    const { meta } = metadata(epubs.find((f) => path.basename(f) === 'kitchen-sink.en.epub')!);
    expect(Object.fromEntries(meta)).toMatchObject({
      'schema:accessMode': ['textual', 'visual'],
      'schema:accessModeSufficient': ['textual', 'textual,visual'],
      'schema:accessibilityFeature': [...ALWAYS, 'alternativeText'],
      'schema:accessibilityHazard': ['none'],
      'schema:accessibilitySummary': [
        'The text is structured with headings and a navigable table of contents, in the reading order of the original, and relies on no colour or sound to convey meaning. Every image has a text alternative. Its tables have header cells.',
      ],
    });
  });

  it('says of the paper, in each language, that it has no images', () => {
    const summary = (lang: string) => {
      const { meta } = metadata(epubs.find((f) => path.basename(f) === `china-lac-policy.${lang}.epub`)!);
      expect(meta.get('schema:accessModeSufficient')).toEqual(['textual']);
      expect(meta.get('schema:accessibilityFeature')).toEqual(ALWAYS);
      return meta.get('schema:accessibilitySummary')![0];
    };
    expect(summary('en')).toBe('The text is structured with headings and a navigable table of contents, in the reading order of the original, and relies on no colour or sound to convey meaning. It has no images.');
    expect(summary('es')).toMatch(/^El texto está estructurado .* No contiene imágenes\.$/);
    expect(summary('zh-Hans')).toMatch(/^本文以标题.*不含图像。$/);
  });

  it('claims no text alternatives when an image has none, and does not rule out hazards for an animated PNG', () => {
    const png = (chunks: string[]) =>
      Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        ...chunks.map((type) => Buffer.concat([Buffer.from([0, 0, 0, 0]), Buffer.from(type, 'latin1'), Buffer.alloc(4)])),
      ]);
    const undescribed = accessibility('<p><img src="a.png" alt="A chart" /><img src="b.png" alt="" /></p>', [png(['IHDR', 'IDAT', 'IEND'])]);
    expect(undescribed.modes).toEqual(['textual', 'visual']);
    expect(undescribed.sufficient).toEqual(['textual,visual']);
    expect(undescribed.features).not.toContain('alternativeText');
    expect(undescribed.summary).toEqual(['accessibilityImagesUndescribed']);
    expect(undescribed.hazards).toEqual(['none']);
    const moving = accessibility('<p><img src="a.png" alt="A chart" /></p>', [png(['IHDR', 'acTL', 'IDAT', 'IEND'])]);
    expect(moving.hazards).toEqual(['noSoundHazard', 'unknownFlashingHazard', 'unknownMotionSimulationHazard']);
    expect(moving.features).toContain('alternativeText');
    // A table without header cells is not said to have them.
    expect(accessibility('<table><tr><td>1</td></tr></table>', []).summary).toEqual(['accessibilityNoImages']);
  });
});
