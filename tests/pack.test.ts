/**
 * The tool outside its own clone: the `npm pack` tarball installed into another project, and
 * `npx editions` run there on a copy of source/, gives the outputs the clone gives.
 *
 * Offline: npm's cache holds every dependency's tarball (npm ci put them there) but not the
 * registry's version lists that resolving a bare `npm install x.tgz` needs. So the project gets a
 * lock file made from ours (its runtime packages, at the versions tested here) and `npm ci
 * --offline` installs from it, as `npm install` online would with the registry's answers.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { read, ROOT, SOURCE, sharedBuild, tempDir } from './helpers.js';

interface LockEntry {
  dev?: boolean;
  [key: string]: unknown;
}

/**
 * Runs npm or npx in `cwd`; throws with its output when it fails. Under `npm test` the environment
 * names this clone as the package being run (npm_package_json, npm_config_local_prefix, INIT_CWD):
 * the other project must not see them.
 */
function npm(args: string[], cwd: string, command: 'npm' | 'npx' = 'npm'): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|INIT_CWD$)/.test(k)));
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...env, SOURCE_DATE_EPOCH: '' } });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** A project whose only dependency is the tarball, locked to our own lock file's runtime packages. */
function projectFor(tarball: string): string {
  const project = tempDir('editions-user-');
  cpSync(tarball, path.join(project, path.basename(tarball)));
  const spec = `file:${path.basename(tarball)}`;
  const ours = JSON.parse(read(path.join(ROOT, 'package.json')));
  const lock = JSON.parse(read(path.join(ROOT, 'package-lock.json'))) as { packages: Record<string, LockEntry> };
  const packages: Record<string, unknown> = {
    '': { name: 'my-policies', dependencies: { 'policy-editions': spec } },
    'node_modules/policy-editions': { version: ours.version, resolved: spec, license: ours.license, dependencies: ours.dependencies, bin: ours.bin, engines: ours.engines },
  };
  for (const [where, entry] of Object.entries(lock.packages)) if (where !== '' && !entry.dev) packages[where] = entry;
  writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'my-policies', private: true, dependencies: { 'policy-editions': spec } }, null, 2));
  writeFileSync(path.join(project, 'package-lock.json'), JSON.stringify({ name: 'my-policies', lockfileVersion: 3, requires: true, packages }, null, 2));
  return project;
}

describe('npm pack, installed elsewhere', () => {
  let files: string[];
  let project: string;
  let seconds: Record<string, number>;
  beforeAll(() => {
    expect(existsSync(path.join(ROOT, 'lib/cli.js')), 'lib/ is compiled (npm run compile) before the tests').toBe(true);
    seconds = {};
    const time = <T>(step: string, f: () => T): T => {
      const started = performance.now();
      const value = f();
      seconds[step] = (performance.now() - started) / 1000;
      return value;
    };
    const packed = tempDir('editions-pack-');
    // --ignore-scripts: pack the lib/ the tests run; `prepare` would recompile it under them.
    const [info] = JSON.parse(time('pack', () => npm(['pack', '--ignore-scripts', '--json', '--pack-destination', packed], ROOT)));
    files = info.files.map((f: { path: string }) => f.path);
    project = projectFor(path.join(packed, info.filename));
    time('install', () => npm(['ci', '--offline', '--no-audit', '--no-fund'], project));
    cpSync(SOURCE, path.join(project, 'source'), { recursive: true });
    time('build', () => npm(['--offline', 'editions', 'build', '-q'], project, 'npx'));
    console.log(`npm pack, installed elsewhere: ${Object.entries(seconds).map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}`);
  }, 180_000);

  it('packs the command, the compiled tool and the built-in templates, and nothing of the clone besides', () => {
    expect(files).toContain('bin/editions.js');
    expect(files).toContain('lib/cli.js');
    expect(files).toContain('templates/pdf/theme.yaml');
    expect(new Set(files.map((f) => f.split('/')[0]))).toEqual(new Set(['bin', 'lib', 'templates', 'package.json', 'README.md']));
  });

  it('builds every output there with `npx editions`, byte for byte as the clone builds them', () => {
    const there = JSON.parse(read(path.join(project, 'dist/manifest.json')));
    expect(there.outputs).toHaveLength(28);
    for (const o of there.outputs) expect(readFileSync(path.join(project, 'dist', o.path)).byteLength).toBe(o.bytes);
    // The run's shared build has the paper's 28 outputs among its own (with the kitchen sink's).
    const here = JSON.parse(read(path.join(sharedBuild('repository').out, 'manifest.json')));
    const paths = new Set(there.outputs.map((o: { path: string }) => o.path));
    expect(there.outputs).toEqual(here.outputs.filter((o: { path: string }) => paths.has(o.path)));
  });

  it('runs its other commands there too', () => {
    expect(npm(['--offline', 'editions', 'ids', 'china-lac-policy', '--json'], project, 'npx')).toContain('"id": "iv-2-3"');
  });
});
