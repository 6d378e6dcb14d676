/**
 * The builds that many test files read, made once per run (vitest globalSetup) instead of once
 * per file: the repository's sources with the kitchen sink, and the corpus, each in every
 * format. Test files get them through sharedBuild() (tests/helpers.ts) and only read them: a
 * test that changes a source or an output builds its own.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TestProject } from 'vitest/node';
import { CLI, CORPUS_SOURCES, FIXTURE_DOCS, ROOT, tempDir, type SharedBuild } from './helpers.js';

/** One shared build, in a process of its own: the two run at once, one a core, before any test file. */
function buildOnce(sources: string[], cached = false): Promise<SharedBuild> {
  const dir = tempDir('editions-shared-');
  const out = path.join(dir, 'dist');
  const cache = path.join(dir, 'cache');
  const started = performance.now();
  // The corpus is built with an empty cache, which it fills (tests/cache.test.ts builds it again from it).
  const args = [CLI, 'build', ...sources, '--out', out, '--format', 'html,epub,pdf,docx', '-q', ...(cached ? ['--cache', cache] : [])];
  // As runCli runs the tool: from the repository, no SOURCE_DATE_EPOCH.
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, SOURCE_DATE_EPOCH: '' } });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  child.stdout.resume();
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      if (status !== 0) reject(new Error(`the shared build of ${sources.join(' ')} failed: ${stderr}`));
      else resolve({ out, stderr, seconds: (performance.now() - started) / 1000, ...(cached && { cache }) });
    });
  });
}

export default async function setup(project: TestProject): Promise<() => void> {
  const [repository, corpus] = await Promise.all([buildOnce(['source', FIXTURE_DOCS]), buildOnce(CORPUS_SOURCES, true)]);
  const builds = { repository, corpus };
  project.provide('builds', builds);
  return () => {
    for (const b of Object.values(builds)) rmSync(path.dirname(b.out), { recursive: true, force: true });
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    builds: { repository: SharedBuild; corpus: SharedBuild };
  }
}
