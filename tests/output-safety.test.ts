/**
 * What a build does to its output folder when it is killed, interrupted, raced by another build,
 * left read-only or asked for some formats only; and the config and names it refuses (issue 11:
 * atomicity, crash-safe output, config and names). Every case runs the CLI.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copySource, folderHashes, hasVnu, read, REVISE_IV_2_3, runCli, SOURCE, startCli, tempDir, VNU_JAR, type CliResult } from './helpers.js';


/** Every file under `dir` with its hash; undefined when there is no `dir`. */
function snapshot(dir: string): Record<string, string> | undefined {
  return existsSync(dir) ? folderHashes(dir) : undefined;
}

/** What stands beside the output folder: nothing but itself once a build has ended. */
const beside = (out: string) => readdirSync(path.dirname(out)).sort();

/** A refusal: the exit status, the message, a hint, and neither a stack nor an "internal error". */
function expectRefused(r: CliResult, status: 1 | 2, message: string | RegExp) {
  expect(r.status, r.stderr).toBe(status);
  if (typeof message === 'string') expect(r.stderr).toContain(message);
  else expect(r.stderr).toMatch(message);
  expect(r.stderr).toMatch(/\n {2}hint: \S/);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toContain('internal error');
}

/** A document of one section, quick to build: `root/<name>/paper.en.md`. */
function tinyDoc(root: string, name: string): string {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'paper.en.md'), '---\ntitle: A Short Paper\nissuer: The Office\nissued: 2020-01-02\nlanguage: en\n---\n\n# One\n\nA paragraph.\n');
  return dir;
}

/** A copy of the source whose English paper breaks a numbering rule: its build fails at the check. */
const broken = () => copySource({ 'china-lac-policy/paper.en.md': (t) => t.replace('### (3) Financial Cooperation', '### (4) Financial Cooperation') });

describe('a build that is stopped', () => {
  let sourceA: string;
  let sourceB: string;
  /** Another text that builds without a warning. */
  let sourceC: string;
  beforeAll(() => {
    sourceA = copySource();
    sourceB = copySource(REVISE_IV_2_3);
    sourceC = copySource({ 'china-lac-policy/paper.en.md': (t) => t.replace('The first policy paper', 'The very first policy paper') });
  });

  it('killed (kill -9) between the two renames of its swap: the next build first puts the previous output back', async () => {
    const out = path.join(tempDir(), 'dist');
    expect(runCli(['build', sourceA, '--out', out, '-f', 'html', '-q']).status).toBe(0);
    const before = snapshot(out);
    // A fault hook for this test: the build kills itself (SIGKILL) right after the first rename.
    const killed = await startCli(['build', sourceB, '--out', out, '-f', 'html', '-q'], { env: { EDITIONS_TEST_KILL_IN_SWAP: '1' } }).done;
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    // The next build, even one that then fails at a source error, restores it before anything else.
    const next = runCli(['build', broken(), '--out', out, '-f', 'html']);
    expect(next.status).toBe(1);
    expect(next.stderr).toContain('the previous output is put back');
    expect(snapshot(out)).toEqual(before);
    expect(beside(out)).toEqual(['dist']);
  });

  it('restores an output that an earlier version of the tool left stranded in .previous', () => {
    const out = path.join(tempDir(), 'dist');
    expect(runCli(['build', sourceA, '--out', out, '-f', 'html', '-q']).status).toBe(0);
    const before = snapshot(out);
    // What a kill between the renames left before: no dist/, the old build under another name.
    renameSync(out, path.join(path.dirname(out), '.dist.staging-Xk3pQa.previous'));
    mkdirSync(path.join(path.dirname(out), '.dist.staging-Zr81Fe'));
    expect(runCli(['build', broken(), '--out', out, '-f', 'html']).status).toBe(1);
    expect(snapshot(out)).toEqual(before);
    expect(beside(out)).toEqual(['dist']);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('by %s while rendering: exits %i, removes its staging folder and its lock, leaves the output as it was', async (signal, status) => {
    const out = path.join(tempDir(), 'dist');
    expect(runCli(['build', sourceA, '--out', out, '-f', 'html', '-q']).status).toBe(0);
    const before = snapshot(out);
    const build = startCli(['build', sourceB, '--out', out]);
    // The first output is written: the staging folder exists and the PDFs are still to come.
    await build.printed('  html  en ');
    build.child.kill(signal);
    const r = await build.done;
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(status);
    expect(beside(out)).toEqual(['dist']);
    expect(snapshot(out)).toEqual(before);
  });

  it('two builds into one folder run one after the other: the second waits for the first, says so, and nothing is stranded', async () => {
    const refA = path.join(tempDir(), 'dist');
    const refB = path.join(tempDir(), 'dist');
    expect(runCli(['build', sourceA, '--out', refA, '-f', 'html,docx', '-q']).status).toBe(0);
    expect(runCli(['build', sourceB, '--out', refB, '-f', 'html,docx', '-q']).status).toBe(0);
    const out = path.join(tempDir(), 'dist');
    const first = startCli(['build', sourceA, '--out', out, '-f', 'html,docx']);
    await first.printed('  html  en ');
    const second = startCli(['build', sourceB, '--out', out, '-f', 'html,docx']);
    const [a, b] = await Promise.all([first.done, second.done]);
    expect(a.status, a.stderr).toBe(0);
    expect(b.status, b.stderr).toBe(0);
    expect(b.stderr).toContain(`waiting for the build with process id ${first.child.pid} to finish writing into`);
    expect(snapshot(out)).toEqual(snapshot(refB));
    expect(beside(out)).toEqual(['dist']);
  });

  it('waits for a lock whose process is alive, and takes over one whose process is gone', async () => {
    const out = path.join(tempDir(), 'dist');
    const lock = path.join(path.dirname(out), '.dist.lock');
    const holder = spawn('sleep', ['60']);
    writeFileSync(lock, `${JSON.stringify({ pid: holder.pid, host: hostname() })}\n`);
    const build = startCli(['build', sourceA, '--out', out, '-f', 'html', '-q']);
    await build.printed(`waiting for the build with process id ${holder.pid}`);
    expect(existsSync(out)).toBe(false);
    holder.kill('SIGKILL');
    const r = await build.done;
    expect(r.status, r.stderr).toBe(0);
    expect(beside(out)).toEqual(['dist']);

    // A build killed with its lock held: its process is gone, the lock is stale.
    const gone = spawnSync('true').pid;
    writeFileSync(lock, `${JSON.stringify({ pid: gone, host: hostname() })}\n`);
    const again = runCli(['build', sourceA, '--out', out, '-f', 'html', '-q']);
    expect(again.status, again.stderr).toBe(0);
    expect(again.stderr).not.toContain('waiting');
    expect(beside(out)).toEqual(['dist']);
  });

  it('replaces an output folder that was made read-only, and reports nothing', async () => {
    // As root every file is writable: then the builds run as nobody, in a folder nobody may write.
    const asUser = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const project = tempDir();
    chmodSync(project, 0o777);
    cpSync(sourceA, path.join(project, 'a'), { recursive: true });
    cpSync(sourceC, path.join(project, 'c'), { recursive: true });
    const out = path.join(project, 'dist');
    const run = (source: string) => startCli(['build', path.join(project, source), '--out', out, '-f', 'html', '-q'], asUser).done;
    expect((await run('a')).status).toBe(0);
    const before = snapshot(out)!;
    // Read-only for its owner too: every file and every folder under dist/, dist/ itself.
    expect(spawnSync('chmod', ['-R', 'a-w', out], asUser).status).toBe(0);
    const r = await run('c');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(snapshot(out)).not.toEqual(before);
    expect(beside(out)).toEqual(['a', 'c', 'dist']);
  });

  it.each([
    [['--out', '']],
    [['--out', ' ']],
    [['--out=']],
    [['--config', '']],
    [['--templates', '']],
  ])('refuses an empty option value (%j) as a usage error, and builds nothing', (option) => {
    const cwd = tempDir();
    const r = runCli(['build', path.join(sourceA, 'china-lac-policy'), '-f', 'html', '-q', ...option], { cwd });
    expectRefused(r, 2, /error: --(out|config|templates) is empty \[cli-usage\]/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('translations accept refuses to write its record through a symbolic link', () => {
    const source = copySource();
    const record = path.join(source, 'china-lac-policy/paper.es.sources.yaml');
    const victim = path.join(tempDir(), 'victim.txt');
    writeFileSync(victim, 'precious\n');
    rmSync(record);
    symlinkSync(victim, record);
    const r = runCli(['translations', 'accept', path.join(source, 'china-lac-policy/paper.es.md')]);
    expectRefused(r, 1, /paper\.es\.sources\.yaml: error: the record .* is a symbolic link/);
    expect(read(victim)).toBe('precious\n');
    expect(lstatSync(record).isSymbolicLink()).toBe(true);
  });

  it('translations accept replaces its record whole', () => {
    const source = copySource(REVISE_IV_2_3);
    const dir = path.join(source, 'china-lac-policy');
    const r = runCli(['translations', 'accept', path.join(dir, 'paper.es.md')]);
    expect(r.status, r.stderr).toBe(0);
    expect(read(path.join(dir, 'paper.es.sources.yaml'))).toMatch(/^# Which text of paper\.en\.md/);
    expect(readdirSync(dir).filter((f) => f.includes('sources'))).toEqual(['paper.es.sources.yaml', 'paper.zh-Hans.sources.yaml']);
  });
});

describe('a build of some formats only', () => {
  let out: string;
  let full: Record<string, string>;
  beforeAll(() => {
    out = path.join(tempDir(), 'dist');
    const r = runCli(['build', '--out', out, '-q']);
    expect(r.status, r.stderr).toBe(0);
    full = snapshot(out)!;
  });

  it('keeps the other formats: rebuilding the HTML of the same source gives the same folder, byte for byte', () => {
    const r = runCli(['build', '--out', out, '-f', 'html']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^built 7 outputs .* into .*; kept 21 outputs of other formats from the previous build; since the last build: nothing changed$/m);
    expect(snapshot(out)).toEqual(full);
  });

  it('merges the manifest: the new HTML, the previous PDF, EPUB and DOCX, and the catalogue lists them all', () => {
    const copy = path.join(tempDir(), 'dist');
    cpSync(out, copy, { recursive: true });
    const r = runCli(['build', copySource(REVISE_IV_2_3), '--out', copy, '-f', 'html', '-q']);
    expect(r.status, r.stderr).toBe(0);
    const now = snapshot(copy)!;
    expect(Object.keys(now).sort()).toEqual(Object.keys(full).sort());
    const manifest = JSON.parse(read(path.join(copy, 'manifest.json'))) as { outputs: { path: string; format: string; sha256: string }[] };
    expect(manifest.outputs).toHaveLength(28);
    for (const o of manifest.outputs) {
      expect(o.sha256).toBe(now[o.path]);
      if (o.format !== 'html') expect(now[o.path]).toBe(full[o.path]);
    }
    for (const html of ['china-lac-policy/china-lac-policy.en.html', 'china-lac-policy/china-lac-policy.en+es.html']) {
      expect(now[html]).not.toBe(full[html]);
    }
    const catalogue = read(path.join(copy, 'index.html'));
    expect(catalogue.match(/<img src="data:image\/svg\+xml;base64,/g)).toHaveLength(7);
    expect(catalogue.match(/<a href=/g)).toHaveLength(28);
  });
});

describe('config and names', () => {
  /** A project folder with an editions.config.yaml of `lines`, reading a copy of source/. */
  const project = (config: string, source = copySource()) => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'editions.config.yaml'), config.replaceAll('SOURCE', JSON.stringify(source)));
    return dir;
  };

  it.each([
    ['formats: []', 'editions.config.yaml:2:10: error: "formats" names no format [config-content]'],
    ['formats: [html, html]', 'editions.config.yaml:2:17: error: "formats" names html twice [config-content]'],
  ])('refuses %j in the config, and leaves the output folder as it was', (line, message) => {
    const cwd = project('sources: [SOURCE]\n');
    expect(runCli(['build', '-f', 'html', '-q'], { cwd }).status).toBe(0);
    const before = snapshot(path.join(cwd, 'dist'));
    writeFileSync(path.join(cwd, 'editions.config.yaml'), `${read(path.join(cwd, 'editions.config.yaml'))}${line}\n`);
    expectRefused(runCli(['build', '-q'], { cwd }), 1, message);
    expect(snapshot(path.join(cwd, 'dist'))).toEqual(before);
  });

  it('refuses "sources: []" in the config', () => {
    expectRefused(runCli(['build', '-q'], { cwd: project('sources: []\n') }), 1, 'editions.config.yaml:1:10: error: "sources" names no folder [config-content]');
  });

  it.each([
    [['-f', ','], '--format names no format'],
    [['-f', ''], '--format is empty'],
    [['-f', 'html,html'], '--format names html twice'],
    [['-f', 'html', '-f', 'pdf,html'], '--format names html twice'],
  ])('refuses %j as a usage error, and leaves the output folder as it was', (args, message) => {
    const out = path.join(tempDir(), 'dist');
    expect(runCli(['build', path.join(SOURCE, 'china-lac-policy'), '--out', out, '-f', 'html', '-q']).status).toBe(0);
    const before = snapshot(out);
    expectRefused(runCli(['build', '--out', out, ...args]), 2, `error: ${message} [cli-usage]`);
    expect(snapshot(out)).toEqual(before);
  });

  it.each([
    ['[zh-hans, en]', '3:17', 'the bilingual setting names "zh-hans", which is not the language of any document', 'did you mean zh-Hans?'],
    ['[en, fr]', '3:21', 'the bilingual setting names "fr", which is not the language of any document', 'the documents are in en, es, zh-Hans'],
    ['[en, en]', '3:21', 'the bilingual setting names en twice', 'name the two languages'],
    ['[es, zh-Hans]', '3:16', 'no document has a bilingual edition in es and zh-Hans', 'en+es, en+zh-Hans'],
  ])('refuses the bilingual languages %s at their place', (languages, place, message, hint) => {
    const cwd = project(`sources: [SOURCE]\nbilingual:\n  - languages: ${languages}\n`);
    for (const command of ['check', 'build']) {
      const r = runCli([command, '-q'], { cwd });
      expectRefused(r, 1, `editions.config.yaml:${place}: error: ${message} [config-content]`);
      expect(r.stderr).toContain(hint);
    }
    expect(existsSync(path.join(cwd, 'dist'))).toBe(false);
  });

  it('refuses two bilingual settings for one edition', () => {
    const cwd = project('sources: [SOURCE]\nbilingual:\n  - languages: [en, es]\n  - languages: [es, en]\n    layout: alternating\n');
    expectRefused(runCli(['check'], { cwd }), 1, 'editions.config.yaml:4:16: error: a second bilingual setting for es and en (the first is at line 3) [config-content]');
  });

  it('refuses a packet whose two languages are one', () => {
    const source = copySource({ 'packets/political.yaml': (t) => t.replace('languages: [en, zh-Hans]', 'languages: [en, en]') });
    const line = read(path.join(source, 'packets/political.yaml')).split('\n').indexOf('languages: [en, en]') + 1;
    const r = runCli(['check', source]);
    expectRefused(r, 1, `packets/political.yaml:${line}:17: error: the packet's two languages are both en [packet-content]`);
  });

  it('refuses the same document name in two source folders', () => {
    const root = tempDir();
    tinyDoc(path.join(root, 'a'), 'note');
    tinyDoc(path.join(root, 'b'), 'note');
    const r = runCli(['build', path.join(root, 'a'), path.join(root, 'b'), '--out', path.join(root, 'dist'), '-f', 'html']);
    expectRefused(r, 1, `${path.join(root, 'b', 'note')}: error: two documents are named "note": ${path.join(root, 'a', 'note')} and this folder [name-collision]`);
    expect(existsSync(path.join(root, 'dist'))).toBe(false);
  });

  it('refuses the same packet name in two source folders, and a packet named like a document', () => {
    const second = tempDir();
    tinyDoc(second, 'note');
    mkdirSync(path.join(second, 'packets'));
    cpSync(path.join(SOURCE, 'packets/political.yaml'), path.join(second, 'packets/political.yaml'));
    cpSync(path.join(SOURCE, 'packets/political.yaml'), path.join(second, 'packets/note.yaml'));
    const r = runCli(['check', SOURCE, second]);
    expectRefused(r, 1, `${path.join(second, 'packets/political.yaml')}: error: two briefing packets are named "political": source/packets/political.yaml and this file [name-collision]`);
    expect(r.stderr).toContain(`${path.join(second, 'packets/note.yaml')}: error: the briefing packet "note" has the name of a document [name-collision]`);
  });

  it.each(['packets', 'index.html', 'manifest.json', 'Index.HTML'])('refuses a document named %s, which the output folder has a file or folder of its own for', (name) => {
    const root = tempDir();
    tinyDoc(path.join(root, 'source'), name);
    const r = runCli(['build', path.join(root, 'source'), '--out', path.join(root, 'dist'), '-f', 'html']);
    expectRefused(r, 1, `${path.join(root, 'source', name)}: error: a document cannot be named "${name}": `);
    expect(r.stderr).toContain('[name-collision]');
  });

  it('links a document whose folder name has a space from a valid catalogue page', () => {
    const root = tempDir();
    tinyDoc(path.join(root, 'source'), 'my paper');
    tinyDoc(path.join(root, 'source'), 'a#b?c%d');
    const out = path.join(root, 'dist');
    const r = runCli(['build', path.join(root, 'source'), '--out', out, '-f', 'html', '-q']);
    expect(r.status, r.stderr).toBe(0);
    const page = read(path.join(out, 'index.html'));
    expect(page).toContain('<a href="my%20paper/my%20paper.en.html">HTML</a>');
    expect(page).toContain('<a href="a%23b%3Fc%25d/a%23b%3Fc%25d.en.html">HTML</a>');
    expect(page).toContain('<section id="my%20paper" aria-labelledby="my%20paper-title">');
    for (const href of page.matchAll(/href="([^"]+)"/g)) expect(existsSync(path.join(out, decodeURIComponent(href[1]!)))).toBe(true);
    if (hasVnu()) {
      const v = spawnSync('java', ['-jar', VNU_JAR, '--format', 'json', path.join(out, 'index.html')], { encoding: 'utf8' });
      const messages = (JSON.parse(v.stderr).messages as { type: string; subType?: string; message: string }[]).filter((m) => m.type !== 'info' || m.subType === 'warning');
      expect(messages).toEqual([]);
    }
  });
});
