/** `editions init`: a new project that checks and builds as it is, and a refusal that writes nothing. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderHashes, runCli, tempDir } from './helpers.js';

const SCAFFOLD = ['.gitignore', 'editions.config.yaml', 'source/example-policy/paper.en.md', 'templates/README.md'];

describe('editions init', () => {
  it('scaffolds a project that passes check --strict and builds every format', () => {
    const dir = path.join(tempDir(), 'project');
    const r = runCli(['init', dir]);
    expect(r.status, r.stderr).toBe(0);
    expect(Object.keys(folderHashes(dir)).sort()).toEqual(SCAFFOLD);
    const check = runCli(['check', '--strict'], { cwd: dir });
    expect(check.status, check.stderr).toBe(0);
    // No warning either: the README in templates/ is not taken for a misnamed template.
    expect(check.stderr).toBe('checked 1 source file: no errors\n');
    const build = runCli(['build', '-q'], { cwd: dir });
    expect(build.status, build.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'dist', 'manifest.json'), 'utf8'));
    expect(manifest.outputs.map((o: { path: string }) => o.path).sort()).toEqual(['html', 'epub', 'pdf', 'docx'].map((f) => `example-policy/example-policy.en.${f}`).sort());
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toMatch(/^dist\/$[\s\S]*^\.editions-cache\/$/m);
  });

  it('reads a template copied into templates/ (the folder the config names)', () => {
    const dir = tempDir();
    expect(runCli(['init'], { cwd: dir }).status).toBe(0);
    mkdirSync(path.join(dir, 'templates', 'html'));
    writeFileSync(path.join(dir, 'templates', 'html', 'style.css'), 'body { color: rgb(1, 2, 3); }\n');
    const build = runCli(['build', '-q', '--format', 'html'], { cwd: dir });
    expect(build.status, build.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'dist', 'example-policy', 'example-policy.en.html'), 'utf8')).toContain('rgb(1, 2, 3)');
  });

  it('refuses to overwrite, names every file that exists, and writes nothing', () => {
    const dir = tempDir();
    expect(runCli(['init'], { cwd: dir }).status).toBe(0);
    writeFileSync(path.join(dir, 'source', 'example-policy', 'paper.en.md'), 'my own text\n');
    const before = folderHashes(dir);
    const again = runCli(['init'], { cwd: dir });
    expect(again.status).toBe(1);
    for (const file of SCAFFOLD) expect(again.stderr).toContain(`${file}: error: the file exists already`);
    expect(again.stderr).toContain('[init-exists]');
    expect(again.stderr).toContain('hint: move or remove it');
    expect(folderHashes(dir)).toEqual(before);
  });

  it('checks every file before writing the first: one in the way stops them all', () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
    const r = runCli(['init', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('.gitignore: error: the file exists already');
    expect(folderHashes(dir)).toEqual({ '.gitignore': createHash('sha256').update('node_modules/\n').digest('hex') });
  });

  it('--ci writes the CI file alone, into a new project or an existing one, and never twice', () => {
    const dir = tempDir();
    expect(runCli(['init'], { cwd: dir }).status).toBe(0);
    const github = runCli(['init', '--ci', 'github'], { cwd: dir });
    expect(github.status, github.stderr).toBe(0);
    expect(github.stdout).toContain('created .github/workflows/editions.yml');
    const gitlab = runCli(['init', '--ci', 'gitlab'], { cwd: dir });
    expect(gitlab.status, gitlab.stderr).toBe(0);
    expect(Object.keys(folderHashes(dir)).sort()).toEqual([...SCAFFOLD, '.github/workflows/editions.yml', '.gitlab-ci.yml'].sort());
    const before = folderHashes(dir);
    const twice = runCli(['init', '--ci', 'github'], { cwd: dir });
    expect(twice.status).toBe(1);
    expect(twice.stderr).toContain('.github/workflows/editions.yml: error: the file exists already');
    expect(folderHashes(dir)).toEqual(before);
  });

  it('refuses an unknown CI and a second folder as usage errors (exit 2)', () => {
    const dir = tempDir();
    const ci = runCli(['init', '--ci', 'jenkins'], { cwd: dir });
    expect(ci.status).toBe(2);
    expect(ci.stderr).toContain('unknown CI "jenkins" [cli-usage]');
    expect(ci.stderr).toContain('hint: --ci takes github or gitlab');
    const two = runCli(['init', 'a', 'b'], { cwd: dir });
    expect(two.status).toBe(2);
    expect(two.stderr).toContain('init takes one folder, not 2');
    expect(existsSync(path.join(dir, 'a')) || existsSync(path.join(dir, 'editions.config.yaml'))).toBe(false);
  });
});
