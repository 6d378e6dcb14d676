/**
 * The build cache (src/build/cache.ts, cache-key.ts): an output whose inputs are unchanged is
 * copied from the cache, and the folder is byte for byte the one a build without it gives; one
 * paragraph edited re-renders exactly the outputs that contain it, as the build's own lines say;
 * an entry that is corrupt or foreign is never believed; a cache that cannot be written is
 * built without.
 */
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copySource, CORPUS_SOURCES, filesUnder, runCli, sharedBuild, tempDir } from './helpers.js';


/** The paths of the files that differ between two folders, or that one of them lacks. */
function differences(a: string, b: string): string[] {
  const x = filesUnder(a);
  const y = filesUnder(b);
  return [...new Set([...x.keys(), ...y.keys()])].filter((p) => !x.get(p)?.equals(y.get(p) ?? Buffer.alloc(0)) || !y.has(p)).sort();
}

/** A build's output lines split into the paths it rendered and those it copied from the cache. */
function rendered(stdout: string): { rendered: string[]; cached: string[] } {
  const lines = stdout.split('\n').filter((l) => /^ {2}\w+ /.test(l));
  const pathOf = (l: string) => l.trim().split(/\s+/).at(-1)!;
  return { rendered: lines.filter((l) => !/\scached\s/.test(l)).map(pathOf).sort(), cached: lines.filter((l) => /\scached\s/.test(l)).map(pathOf).sort() };
}

const build = (args: string[], cwd?: string) => runCli(['build', ...args], cwd ? { cwd } : {});

describe('the build cache', () => {
  it('copies a whole build of the corpus with nothing changed from the cache its first build filled, each byte as rendered', () => {
    const shared = sharedBuild('corpus');
    const out = path.join(tempDir(), 'dist');
    const r = build([...CORPUS_SOURCES, '--out', out, '--format', 'html,epub,pdf,docx', '--cache', shared.cache!]);
    expect(r.status, r.stderr).toBe(0);
    const { rendered: drawn, cached } = rendered(r.stdout);
    expect(drawn).toEqual([]);
    expect(cached.length).toBeGreaterThan(100);
    expect(r.stdout).toContain(`(${cached.length} copied from the cache)`);
    expect(differences(shared.out, out)).toEqual([]);
    // The warnings the first build gave (the corpus has many) are said again, each as it said it.
    expect(shared.stderr).toMatch(/\d+ warnings\n$/);
    expect(r.stderr).toBe(shared.stderr);
  }, 300_000);

  it('re-renders, after one paragraph of the paper is edited, exactly the outputs that hold it', () => {
    const source = copySource();
    const project = path.dirname(source);
    const cache = path.join(project, '.editions-cache');
    const first = build(['--out', 'dist', '--cache', cache, '-q'], project);
    expect(first.status, first.stderr).toBe(0);
    const en = path.join(source, 'china-lac-policy', 'paper.en.md');
    // IV.2.(3): in the paper, and in the economic and trade packet (IV.2), not in the political one.
    writeFileSync(en, readFileSync(en, 'utf8').replace('It encourages Chinese commercial banks', 'It encourages Chinese policy and commercial banks'));
    const second = build(['--out', 'dist', '--cache', cache, '--changes', 'changes.json'], project);
    expect(second.status, second.stderr).toBe(0);
    // What changed: the English text, the bilingual editions and the packet, all rendered again.
    const changed = [...['en', 'en+es', 'en+zh-Hans'].flatMap((l) => ['docx', 'epub', 'html', 'pdf'].map((f) => `china-lac-policy/china-lac-policy.${l}.${f}`)), ...['docx', 'epub', 'html', 'pdf'].map((f) => `packets/economic-trade.en+es.${f}`)];
    expect(JSON.parse(readFileSync(path.join(project, 'changes.json'), 'utf8'))).toEqual({ changed, removed: [] });
    expect(second.stdout).toMatch(/; since the last build: 16 changed$/m);
    const { rendered: drawn, cached } = rendered(second.stdout);
    const editions = (langs: string[]) => langs.flatMap((l) => ['html', 'epub', 'pdf', 'docx'].map((f) => `china-lac-policy/china-lac-policy.${l}.${f}`));
    const packet = (name: string, langs: string) => ['html', 'epub', 'pdf', 'docx'].map((f) => `packets/${name}.${langs}.${f}`);
    // The translations' own editions read of the English its front matter only.
    expect(drawn).toEqual([...editions(['en', 'en+es', 'en+zh-Hans']), ...packet('economic-trade', 'en+es')].sort());
    expect(cached).toEqual([...editions(['es', 'zh-Hans']), ...packet('political', 'en+zh-Hans')].sort());
    // The same bytes as a build without the cache.
    const clean = build(['--out', 'clean', '-q'], project);
    expect(clean.status, clean.stderr).toBe(0);
    expect(differences(path.join(project, 'dist'), path.join(project, 'clean'))).toEqual([]);
  }, 300_000);

  it('is keyed as "editions plan --json" lists each output, with the files it is made from', () => {
    const source = copySource();
    const project = path.dirname(source);
    expect(build(['--out', 'dist', '--cache', 'cache', '-q'], project).status).toBe(0);
    const planned = runCli(['plan', '--json'], { cwd: project });
    expect(planned.status, planned.stderr).toBe(0);
    const outputs = JSON.parse(planned.stdout) as { path: string; key: string; inputs: string[] }[];
    expect(outputs.map((o) => o.path).sort()).toEqual((JSON.parse(readFileSync(path.join(project, 'dist', 'manifest.json'), 'utf8')) as { outputs: { path: string }[] }).outputs.map((o) => o.path).sort());
    const entries = new Set([...filesUnder(path.join(project, 'cache', 'v1', 'entries')).keys()].map((f) => path.basename(f, '.json')));
    expect(outputs.filter((o) => !entries.has(o.key)).map((o) => o.path)).toEqual([]);
    expect(outputs.find((o) => o.path === 'packets/economic-trade.en+es.pdf')!.inputs).toEqual([
      'editions:templates',
      'source/china-lac-policy/paper.en.md',
      'source/china-lac-policy/paper.es.md',
      'source/china-lac-policy/paper.es.sources.yaml',
      'source/china-lac-policy/termbase.yaml',
      'source/packets/economic-trade.yaml',
    ]);
  }, 300_000);

  it('renders again, with a warning, an output whose entry is corrupt or foreign', () => {
    const source = copySource();
    const project = path.dirname(source);
    const cache = path.join(project, 'cache');
    expect(build(['--out', 'dist', '--cache', cache, '--format', 'html', '-q'], project).status).toBe(0);
    const entries = [...filesUnder(path.join(cache, 'v1', 'entries'))].map(([file, text]) => ({ file: path.join(cache, 'v1', 'entries', file), sha256: (JSON.parse(text.toString()) as { sha256: string }).sha256 }));
    expect(entries).toHaveLength(7);
    // The output of one entry with a byte changed; another entry that is not JSON.
    const [a, b] = entries;
    const object = path.join(cache, 'v1', 'objects', a!.sha256.slice(0, 2), a!.sha256);
    const bytes = readFileSync(object);
    bytes[bytes.length >> 1] ^= 1;
    writeFileSync(object, bytes);
    expect(b!.sha256).not.toBe(a!.sha256);
    writeFileSync(b!.file, 'not an entry');
    const again = build(['--out', 'again', '--cache', cache, '--format', 'html'], project);
    expect(again.status, again.stderr).toBe(0);
    const warnings = again.stderr.split('\n').filter((l) => l.includes('[cache]'));
    expect(warnings.length).toBe(2);
    expect(warnings[0]).toMatch(/warning: the cache entry .* is not one this build wrote, or its output has changed since: it is not used \[cache\]$/);
    expect(rendered(again.stdout).rendered).toHaveLength(2);
    expect(differences(path.join(project, 'dist'), path.join(project, 'again'))).toEqual([]);
    // Written anew: the next build copies all.
    const third = build(['--out', 'third', '--cache', cache, '--format', 'html'], project);
    expect(rendered(third.stdout).rendered).toEqual([]);
    expect(third.stderr).not.toContain('[cache]');
  }, 300_000);

  it('copies a whole build kept in a cache inside its source folder, a dangling link there too', () => {
    const source = copySource();
    const project = path.dirname(source);
    symlinkSync(path.join(project, 'nowhere'), path.join(source, 'china-lac-policy', 'dangling'));
    const args = ['source', '--out', 'dist', '--cache', 'source/.cache', '-q'];
    const first = build(args, project);
    expect(first.status, first.stderr).toBe(0);
    // The cache's own files are not among the inputs it is keyed on: the next build copies all.
    const second = build(args, project);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^built 28 outputs \(28 copied from the cache\) .*; since the last build: nothing changed$/m);
  }, 300_000);

  it('builds without a cache it cannot write, with one warning', () => {
    const source = copySource();
    const project = path.dirname(source);
    // A folder under a file: no one, root included, can make it.
    writeFileSync(path.join(project, 'a-file'), '');
    const r = build(['--out', 'dist', '--cache', 'a-file/cache', '--format', 'html'], project);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.match(/\[cache\]/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/warning: the cache folder a-file\/cache cannot be written \(ENOTDIR\): the build goes on without writing it \[cache\]/);
    expect(readdirSync(path.join(project, 'dist'))).toContain('manifest.json');
  }, 300_000);
});
