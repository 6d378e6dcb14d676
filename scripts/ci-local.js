#!/usr/bin/env node
/**
 * Runs a GitHub Actions workflow made by `editions init --ci github` on this machine, job by job,
 * so that the workflow is tested before it is pushed:
 *
 *   node scripts/ci-local.js [--project DIR] [--workflow FILE] [--work DIR]
 *
 * Jobs run in the order their `needs` give, a matrix job once per combination, each in its own
 * copy of the project (DIR/jobs/<job>-<n>). `run:` steps run as GitHub runs them (`bash -e`),
 * after `${{ }}` expressions are replaced (matrix.*, runner.os, hashFiles()); GITHUB_STEP_SUMMARY
 * names a file per job, and every summary is gathered in DIR/summary.md. The `uses:` steps the
 * workflow needs are emulated: checkout copies the project; setup-node checks the local Node has
 * the major version asked for; cache restores and saves DIR/caches/<key> (kept from one run to
 * the next with the same --work); upload-artifact and download-artifact copy folders through
 * DIR/artifacts/<name>. Any other action, or a step key
 * this runner does not know, stops the run: a step it would skip could hide a broken workflow.
 *
 * `npm ci` is the one step not run as written: it would install policy-editions from the
 * registry, and the point is to run the tool in this clone. The job's node_modules gets a link to
 * it instead (`npx editions` then runs bin/editions.js of this clone, compiled: npm run compile).
 * A project without package-lock.json gets a warning there: on GitHub, that step would fail.
 *
 * Exit status: 0 when every job passed; 1 when a step failed; 2 for a workflow or command line
 * this runner cannot run.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

const TOOL = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What checkout leaves out: what a fresh clone would not have (see the .gitignore init writes). */
const NOT_CHECKED_OUT = /^(\.git|node_modules|dist|dist-.*|\.dist\..*|\.editions-cache)$/;

class Unsupported extends Error {}
class StepFailed extends Error {}

function main() {
  let args;
  try {
    args = parseArgs({ options: { project: { type: 'string' }, workflow: { type: 'string' }, work: { type: 'string' } }, strict: true }).values;
  } catch (e) {
    return usage(e.message);
  }
  const project = path.resolve(args.project ?? '.');
  const workflowFile = path.resolve(project, args.workflow ?? '.github/workflows/editions.yml');
  if (!existsSync(workflowFile)) return usage(`no workflow at ${workflowFile}`, 'write one with: npx editions init --ci github');
  const work = args.work ? path.resolve(args.work) : mkdtempSync(path.join(tmpdir(), 'ci-local-'));
  // A run starts with no jobs and no artifacts, as a workflow run does; caches are kept, so a
  // second run with the same --work finds what the first saved, as the next CI run would.
  for (const name of ['jobs', 'artifacts', 'summary.md']) rmSync(path.join(work, name), { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    const workflow = readWorkflow(workflowFile);
    const runs = plan(workflow);
    for (const run of runs) runJob(run, { project, work });
    log(`all ${runs.length} jobs passed; work folder: ${work}`);
    return 0;
  } catch (e) {
    if (e instanceof Unsupported) return usage(e.message, 'this runner emulates actions/checkout, setup-node, cache, upload-artifact and download-artifact, and run: steps');
    if (e instanceof StepFailed) {
      log(`${e.message}; work folder: ${work}`);
      return 1;
    }
    throw e;
  }
}

function readWorkflow(file) {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Unsupported(`${file} is not valid YAML: ${e.message.split('\n')[0]}`);
  }
}

/** Every job run in order: jobs by their needs, each matrix combination a run of its own. */
function plan(workflow) {
  const jobs = workflow?.jobs;
  if (!jobs || typeof jobs !== 'object') throw new Unsupported('the workflow has no jobs');
  const order = [];
  const visit = (id, trail) => {
    if (order.includes(id)) return;
    if (trail.includes(id)) throw new Unsupported(`jobs need each other in a cycle: ${[...trail, id].join(' -> ')}`);
    if (!jobs[id]) throw new Unsupported(`a job needs "${id}", which the workflow does not have`);
    for (const need of [jobs[id].needs ?? []].flat()) visit(need, [...trail, id]);
    order.push(id);
  };
  for (const id of Object.keys(jobs)) visit(id, []);
  return order.flatMap((id) => combinations(id, jobs[id].strategy?.matrix).map((matrix, i, all) => ({ id, job: jobs[id], matrix, name: all.length > 1 ? `${id}-${i + 1}` : id })));
}

/** The matrix's combinations (its lists' product); include and exclude are not emulated. */
function combinations(id, matrix) {
  if (matrix === undefined) return [{}];
  for (const key of ['include', 'exclude']) if (key in matrix) throw new Unsupported(`job ${id}: matrix "${key}" is not emulated`);
  return Object.entries(matrix).reduce((acc, [key, values]) => {
    if (!Array.isArray(values)) throw new Unsupported(`job ${id}: matrix.${key} is not a list`);
    return acc.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }, [{}]);
}

function runJob(run, { project, work }) {
  const workspace = path.join(work, 'jobs', run.name);
  rmSync(workspace, { recursive: true, force: true });
  mkdirSync(workspace, { recursive: true });
  const summary = path.join(work, 'jobs', `${run.name}.summary.md`);
  writeFileSync(summary, '');
  const known = new Set(['runs-on', 'needs', 'strategy', 'steps']);
  for (const key of Object.keys(run.job)) if (!known.has(key)) throw new Unsupported(`job ${run.id}: "${key}" is not emulated`);
  log(`job ${run.name}${Object.keys(run.matrix).length > 0 ? ` (${JSON.stringify(run.matrix)})` : ''}`);
  const ctx = { matrix: run.matrix, workspace, work, project, summary };
  // actions/cache saves in a post step, when the job has passed: these run then.
  const post = [];
  for (const [i, step] of (run.job.steps ?? []).entries()) {
    for (const key of Object.keys(step)) if (!['name', 'uses', 'with', 'run'].includes(key)) throw new Unsupported(`job ${run.id}, step ${i + 1}: "${key}" is not emulated`);
    if (step.run !== undefined) runStep(expand(String(step.run), ctx), ctx);
    else if (step.uses !== undefined) useAction(String(step.uses), expandAll(step.with ?? {}, ctx), ctx, post);
  }
  for (const action of post) action();
  const written = readFileSync(summary, 'utf8');
  if (written) appendFileSync(path.join(work, 'summary.md'), `<!-- job ${run.name} -->\n${written}`);
}

function runStep(script, ctx) {
  if (script.trim() === 'npm ci') return linkTool(ctx.workspace);
  log(`  run: ${script.trim().split('\n')[0]}`);
  const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd: ctx.workspace,
    stdio: 'inherit',
    env: { ...process.env, CI: 'true', GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: ctx.workspace, GITHUB_STEP_SUMMARY: ctx.summary, RUNNER_OS: 'Linux' },
  });
  if (r.status !== 0) throw new StepFailed(`step failed (exit ${r.status ?? r.signal}): ${script.trim()}`);
}

/** `npm ci`, emulated: the job's node_modules links this clone as policy-editions. */
function linkTool(workspace) {
  log(`  run: npm ci (emulated: node_modules/policy-editions links ${TOOL})`);
  warnWithoutLockfile(workspace, 'npm ci');
  const bin = JSON.parse(readFileSync(path.join(TOOL, 'package.json'), 'utf8')).bin;
  mkdirSync(path.join(workspace, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(TOOL, path.join(workspace, 'node_modules', 'policy-editions'), 'dir');
  for (const [name, file] of Object.entries(bin)) symlinkSync(path.join('..', 'policy-editions', file), path.join(workspace, 'node_modules', '.bin', name));
}

/** The inputs each emulated action takes; any other would be ignored here, so it is refused. */
const INPUTS = {
  'actions/checkout': [],
  'actions/setup-node': ['node-version', 'cache'],
  'actions/cache': ['path', 'key', 'restore-keys'],
  'actions/upload-artifact': ['name', 'path', 'if-no-files-found'],
  'actions/download-artifact': ['name', 'pattern', 'path'],
};

/** What this runner emulates but GitHub would refuse: the project has no npm lock file. */
function warnWithoutLockfile(workspace, step) {
  if (existsSync(path.join(workspace, 'package-lock.json'))) return;
  log(`    warning: the project has no package-lock.json; on GitHub, ${step} fails without one (commit a package.json and package-lock.json that depend on policy-editions)`);
}

function useAction(uses, inputs, ctx, post) {
  const [action, version] = uses.split('@');
  log(`  uses: ${uses}`);
  if (!version) throw new Unsupported(`"${uses}" names no version`);
  if (!INPUTS[action]) throw new Unsupported(`"${uses}" is not emulated`);
  for (const input of Object.keys(inputs)) if (!INPUTS[action].includes(input)) throw new Unsupported(`${action}: the input "${input}" is not emulated`);
  switch (action) {
    case 'actions/checkout':
      return cpSync(ctx.project, ctx.workspace, { recursive: true, filter: (src) => !NOT_CHECKED_OUT.test(path.relative(ctx.project, src).split(path.sep)[0]) });
    case 'actions/setup-node': {
      const major = process.versions.node.split('.')[0];
      if (String(inputs['node-version']).split('.')[0] !== major) throw new StepFailed(`setup-node asks for Node ${inputs['node-version']}; this machine has ${process.version}`);
      if (inputs.cache === 'npm') warnWithoutLockfile(ctx.workspace, 'setup-node with cache: npm');
      return undefined;
    }
    case 'actions/cache':
      return cache(inputs, ctx, post);
    case 'actions/upload-artifact': {
      const from = path.join(ctx.workspace, inputs.path);
      // The workflows say if-no-files-found: error; a missing folder fails here in any case.
      if (!existsSync(from)) throw new StepFailed(`upload-artifact: ${inputs.path} does not exist`);
      const to = path.join(ctx.work, 'artifacts', inputs.name);
      if (existsSync(to)) throw new StepFailed(`upload-artifact: an artifact "${inputs.name}" exists already`);
      return cpSync(from, to, { recursive: true });
    }
    case 'actions/download-artifact':
      return download(inputs, ctx);
  }
}

/** Restores the exact key, else the newest cache a restore key begins; saves after the job on a miss. */
function cache(inputs, ctx, post) {
  const store = path.join(ctx.work, 'caches');
  mkdirSync(store, { recursive: true });
  const target = path.join(ctx.workspace, inputs.path);
  const saved = readdirSync(store).sort((a, b) => statSync(path.join(store, b)).mtimeMs - statSync(path.join(store, a)).mtimeMs);
  const prefixes = String(inputs['restore-keys'] ?? '').split('\n').map((k) => k.trim()).filter(Boolean);
  const hit = saved.find((k) => k === inputs.key) ?? saved.find((k) => prefixes.some((p) => k.startsWith(p)));
  if (hit) cpSync(path.join(store, hit, 'data'), target, { recursive: true });
  log(`    cache ${hit === inputs.key ? 'hit' : hit ? `restored from ${hit}` : 'miss'}: ${inputs.key}`);
  if (hit !== inputs.key) {
    post.push(() => {
      if (!existsSync(target)) return log(`    cache not saved: ${inputs.path} does not exist`);
      cpSync(target, path.join(store, inputs.key, 'data'), { recursive: true });
    });
  }
}

/** By name: its files into `path`; by pattern: each artifact into path/<name>, as v4 does. */
function download(inputs, ctx) {
  const store = path.join(ctx.work, 'artifacts');
  const dest = path.join(ctx.workspace, inputs.path ?? '.');
  if (inputs.name) return cpSync(path.join(store, inputs.name), dest, { recursive: true });
  const pattern = globRegex(inputs.pattern ?? '*');
  const names = existsSync(store) ? readdirSync(store).filter((n) => pattern.test(n)) : [];
  if (names.length === 0) throw new StepFailed(`download-artifact: no artifact matches ${inputs.pattern}`);
  for (const n of names) cpSync(path.join(store, n), path.join(dest, n), { recursive: true });
  return undefined;
}

function expandAll(inputs, ctx) {
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, typeof v === 'string' ? expand(v, ctx) : v]));
}

/** Replaces each `${{ expression }}` as GitHub does before a step runs. */
function expand(text, ctx) {
  return text.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, expression) => {
    const m = /^matrix\.([\w-]+)$/.exec(expression);
    if (m) {
      if (!(m[1] in ctx.matrix)) throw new Unsupported(`\${{ ${expression} }}: the job's matrix has no ${m[1]}`);
      return String(ctx.matrix[m[1]]);
    }
    if (expression === 'runner.os') return 'Linux';
    const h = /^hashFiles\((.*)\)$/.exec(expression);
    if (h) return hashFiles(ctx.workspace, [...h[1].matchAll(/'([^']*)'/g)].map((p) => p[1]));
    throw new Unsupported(`\${{ ${expression} }} is not emulated`);
  });
}

/** hashFiles(): the SHA-256 of the files' SHA-256s, in path order; '' when no file matches. */
function hashFiles(workspace, patterns) {
  const regexes = patterns.map(globRegex);
  const files = listFiles(workspace).filter((f) => regexes.some((r) => r.test(f)));
  if (files.length === 0) return '';
  const all = createHash('sha256');
  for (const f of files) all.update(createHash('sha256').update(readFileSync(path.join(workspace, f))).digest());
  return all.digest('hex');
}

function listFiles(dir, prefix = '') {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name), `${prefix}${e.name}/`) : e.isFile() ? [`${prefix}${e.name}`] : []));
}

/** A glob of `*` (within a name) and `**` (across folders) as a regular expression. */
function globRegex(glob) {
  const source = glob
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

function log(line) {
  process.stderr.write(`ci-local: ${line}\n`);
}

function usage(message, hint = 'run: node scripts/ci-local.js [--project DIR] [--workflow FILE] [--work DIR]') {
  process.stderr.write(`ci-local: error: ${message}\n  hint: ${hint}\n`);
  return 2;
}

process.exitCode = main();
