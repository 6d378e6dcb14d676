/**
 * The CI files `editions init --ci` writes: valid against the published schemas (SchemaStore's
 * for GitHub workflows, GitLab's own for .gitlab-ci.yml, vendored in tests/fixtures/schemas/),
 * and the GitHub workflow run end to end on this machine by scripts/ci-local.js.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT, runCli, tempDir } from './helpers.js';
import { validate } from './json-schema.js';

const schema = (name: string) => JSON.parse(readFileSync(path.join(ROOT, 'tests', 'fixtures', 'schemas', name), 'utf8'));

/** A new project with its CI file, and that file's parsed YAML. */
function project(ci: 'github' | 'gitlab'): { dir: string; file: string; ci: any } {
  const dir = path.join(tempDir(), 'project');
  for (const args of [['init', dir], ['init', dir, '--ci', ci]]) {
    const r = runCli(args);
    if (r.status !== 0) throw new Error(`editions ${args.join(' ')}: ${r.stderr}`);
  }
  const file = path.join(dir, ci === 'github' ? '.github/workflows/editions.yml' : '.gitlab-ci.yml');
  return { dir, file, ci: parse(readFileSync(file, 'utf8')) };
}

describe('the GitHub workflow', () => {
  const github = schema('github-workflow.json');

  it('is valid against SchemaStore\'s github-workflow schema', () => {
    expect(validate(github, project('github').ci)).toEqual([]);
  });

  it('is checked by that schema (a step with both uses and run, an unknown event, are refused)', () => {
    const { ci } = project('github');
    ci.jobs.check.steps.push({ uses: 'actions/checkout@v4', run: 'true' });
    expect(validate(github, ci).map((e) => e.at)).toContainEqual(expect.stringMatching(/^\/jobs\/check/));
    expect(validate(github, { ...project('github').ci, on: ['pushed'] }).map((e) => e.at)).toContainEqual(expect.stringMatching(/^\/on/));
  });

  it('runs check, four build shards with their caches, and the merge, as issue 14 asks', () => {
    const { jobs } = project('github').ci;
    const runs = (job: string) => jobs[job].steps.filter((s: any) => s.run).map((s: any) => s.run.trim());
    const uses = (job: string) => jobs[job].steps.filter((s: any) => s.uses).map((s: any) => s.uses.split('@')[0]);
    expect(runs('check')).toEqual(['npm ci', 'npx editions check --strict']);
    expect(jobs.build.needs).toBe('check');
    expect(jobs.build.strategy.matrix.shard).toEqual([1, 2, 3, 4]);
    expect(uses('build')).toEqual(['actions/checkout', 'actions/setup-node', 'actions/cache', 'actions/upload-artifact']);
    expect(jobs.build.steps[1].with['node-version']).toBe(20);
    expect(jobs.build.steps.find((s: any) => s.uses?.startsWith('actions/cache')).with.key).toContain("hashFiles('source/**', 'templates/**')");
    expect(runs('build')).toEqual(['npm ci', 'npx editions build --shard ${{ matrix.shard }}/4 --out dist-${{ matrix.shard }} --cache .editions-cache']);
    expect(jobs.merge.needs).toBe('build');
    expect(runs('merge').slice(0, 3)).toEqual(['npm ci', 'npx editions merge dist-1 dist-2 dist-3 dist-4 --out dist --since previous/manifest.json --changes changes.json', 'mkdir -p previous && cp dist/manifest.json previous/manifest.json']);
  });

  it('lists what merge says changed since the last build in the job summary', () => {
    const { ci } = project('github');
    const step = ci.jobs.merge.steps.find((s: any) => s.name === 'List the changed outputs in the job summary');
    const summary = (changes: object) => {
      const dir = tempDir();
      writeFileSync(path.join(dir, 'changes.json'), JSON.stringify(changes));
      const file = path.join(dir, 'summary.md');
      const r = spawnSync('bash', ['-e', '-c', step.run], { cwd: dir, env: { ...process.env, GITHUB_STEP_SUMMARY: file }, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return readFileSync(file, 'utf8');
    };
    expect(summary({ changed: ['a/a.en.pdf', 'a/a.en.html'], removed: ['b/b.en.pdf'] })).toBe('## Changed outputs\n\n- `a/a.en.pdf`\n- `a/a.en.html`\n- `b/b.en.pdf` (removed)\n');
    expect(summary({ changed: [], removed: [] })).toBe('## Changed outputs\n\nNo output changed since the last build.\n');
  });

  // Needs `build --shard I/N`, `build --cache DIR` and `editions merge DIR... --out DIR` (issue 14).
  it('passes end to end when scripts/ci-local.js runs its jobs on a new project', () => {
    const { dir } = project('github');
    const work = tempDir('ci-local-');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ci-local.js'), '--project', dir, '--work', work], { encoding: 'utf8', env: { ...process.env, SOURCE_DATE_EPOCH: '' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('ci-local: all 6 jobs passed');
    // The merged dist/ the workflow uploads has every output of a whole build, byte for byte.
    const whole = runCli(['build', '-q', '--out', path.join(work, 'whole')], { cwd: dir });
    expect(whole.status, whole.stderr).toBe(0);
    const outputs = (folder: string) => JSON.parse(readFileSync(path.join(folder, 'manifest.json'), 'utf8')).outputs.map((o: any) => `${o.path} ${o.sha256}`);
    expect(outputs(path.join(work, 'artifacts', 'dist'))).toEqual(outputs(path.join(work, 'whole')));
    expect(readFileSync(path.join(work, 'summary.md'), 'utf8')).toContain('## Changed outputs\n');
    // The shards rendered into .editions-cache, which the cache steps saved for the next run.
    expect(readdirSync(path.join(work, 'caches')).length).toBeGreaterThan(0);
  }, 180_000);
});

describe('the GitLab pipeline', () => {
  const gitlab = schema('gitlab-ci.json');

  it('is valid against GitLab\'s CI schema', () => {
    expect(validate(gitlab, project('gitlab').ci)).toEqual([]);
  });

  it('is checked by that schema (a misspelt job key is refused)', () => {
    const { ci } = project('gitlab');
    ci.build.scripts = ci.build.script;
    expect(validate(gitlab, ci)).toContainEqual(expect.objectContaining({ at: '/build', params: { additionalProperty: 'scripts' } }));
  });

  it('has the same stages: check, four parallel shards with a cache each, merge', () => {
    const { ci } = project('gitlab');
    expect(ci.stages).toEqual(['check', 'build', 'merge']);
    expect(ci.check.script).toEqual(['npm ci', 'npx editions check --strict']);
    expect(ci.build.parallel).toBe(4);
    expect(ci.build.cache).toEqual({ key: 'editions-shard-$CI_NODE_INDEX', paths: ['.editions-cache/'] });
    expect(ci.build.script[1]).toBe('npx editions build --shard $CI_NODE_INDEX/$CI_NODE_TOTAL --out dist-$CI_NODE_INDEX --cache .editions-cache');
    expect(ci.build.artifacts.paths).toEqual(['dist-$CI_NODE_INDEX/']);
    expect(ci.merge.script[1]).toBe('npx editions merge dist-1 dist-2 dist-3 dist-4 --out dist --since previous/manifest.json --changes changes.json');
    expect(ci.merge.artifacts.paths).toEqual(['dist/']);
  });
});

describe('scripts/ci-local.js', () => {
  /** Runs the runner on `workflow` (YAML) in a project with one source file; returns its result. */
  const runner = (workflow: string, work: string, project = tempDir()) => {
    mkdirSync(path.join(project, 'source'), { recursive: true });
    writeFileSync(path.join(project, 'source', 'a.md'), 'a\n');
    writeFileSync(path.join(project, 'ci.yml'), workflow);
    return spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ci-local.js'), '--project', project, '--workflow', 'ci.yml', '--work', work], { encoding: 'utf8' });
  };
  const WORKFLOW = `
on: push
jobs:
  merge:
    needs: shard
    runs-on: ubuntu-latest
    steps:
      - uses: actions/download-artifact@v4
        with: { pattern: out-*, path: . }
      - run: |
          cat out-1/n out-2/n > all
          echo "- $(tr '\\n' ' ' < all)" >> "$GITHUB_STEP_SUMMARY"
  shard:
    runs-on: ubuntu-latest
    strategy: { matrix: { n: [1, 2] } }
    steps:
      - uses: actions/checkout@v4
      - uses: actions/cache@v4
        with: { path: .cache, key: "c-\${{ matrix.n }}-\${{ hashFiles('source/**') }}", restore-keys: "c-\${{ matrix.n }}-" }
      - run: |
          test -f source/a.md
          mkdir -p .cache out-\${{ matrix.n }}
          echo "runs=$(ls .cache | wc -l)"
          touch .cache/run-$RANDOM
          echo \${{ matrix.n }} > out-\${{ matrix.n }}/n
      - uses: actions/upload-artifact@v4
        with:
          name: out-\${{ matrix.n }}
          path: out-\${{ matrix.n }}
`;

  it('runs jobs by their needs, a matrix, artifacts, the cache across runs and the summary', () => {
    const work = tempDir('ci-local-');
    const first = runner(WORKFLOW, work);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/job shard-1[\s\S]*job shard-2[\s\S]*job merge/);
    expect(first.stderr).toContain('cache miss: c-1-');
    expect(first.stdout).toContain('runs=0');
    expect(readFileSync(path.join(work, 'summary.md'), 'utf8')).toBe('<!-- job merge -->\n- 1 2 \n');
    // The second run, with the same work folder, restores what the first saved.
    const second = runner(WORKFLOW, work);
    expect(second.status, second.stderr).toBe(0);
    expect(second.stderr).toContain('cache hit: c-1-');
    expect(second.stdout).toContain('runs=1');
  });

  it('fails on a failing step (exit 1) and refuses what it cannot emulate (exit 2)', () => {
    const failing = runner('jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: exit 3\n', tempDir());
    expect(failing.status).toBe(1);
    expect(failing.stderr).toContain('step failed (exit 3): exit 3');
    const unknown = runner('jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/github-script@v7\n', tempDir());
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('ci-local: error: "actions/github-script@v7" is not emulated');
    const input = runner('jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          fetch-depth: 0\n', tempDir());
    expect(input.status).toBe(2);
    expect(input.stderr).toContain('actions/checkout: the input "fetch-depth" is not emulated');
    const key = runner('jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: "true"\n        if: always()\n', tempDir());
    expect(key.status).toBe(2);
    expect(key.stderr).toContain('step 1: "if" is not emulated');
  });
});
