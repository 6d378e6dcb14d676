/**
 * `editions watch`: the compiled command on a copy of source/, its preview read over HTTP and its
 * events over server-sent events, and in headless Chromium.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { Rebuilds } from '../src/watch/rebuilds.js';
import { CHROMIUM, copySource, hasChromium, lineOf, read, ROOT, runCli, startCli, tempDir, type StartedCli } from './helpers.js';

const PAPER = 'china-lac-policy/paper.en.md';
const PARAGRAPH = 'It encourages Chinese commercial banks';
const HTML = 'china-lac-policy/china-lac-policy.en.html';
const PDF = 'china-lac-policy/china-lac-policy.en.pdf';

interface Event {
  event: string;
  data: { build: number; formats?: string[]; failed?: boolean; diagnostics: { severity: string; ruleId: string; file?: string; line?: number; column?: number; text: string }[] };
}

interface Watching {
  cli: StartedCli;
  url: string;
  source: string;
  out: string;
  stdout: () => string;
}

const started: Watching[] = [];
afterEach(async () => {
  for (const w of started.splice(0)) {
    w.cli.child.kill('SIGKILL');
    await w.cli.done;
  }
});

/** Starts `editions watch --port 0` on a copy of source/, and waits for its first build. */
async function watch(args: string[] = [], firstBuild = 'built html'): Promise<Watching> {
  const source = copySource();
  const dir = path.dirname(source);
  const out = path.join(dir, 'dist');
  const cli = startCli(['watch', source, '--out', out, '--port', '0', ...args], { cwd: dir });
  let stdout = '';
  cli.child.stdout!.on('data', (chunk: string) => (stdout += chunk));
  const w: Watching = { cli, url: '', source, out, stdout: () => stdout };
  started.push(w);
  await cli.printed('preview at http://');
  w.url = /preview at (http:\/\/\S+)/.exec(stdout)![1]!;
  await cli.printed(firstBuild);
  return w;
}

/** The preview's events, as they come. */
function events(url: string): { next(test: (e: Event) => boolean): Promise<Event>; close(): void } {
  const seen: Event[] = [];
  const waiting: { test: (e: Event) => boolean; resolve: (e: Event) => void }[] = [];
  const req = http.get(`${url}__editions/events`, (res) => {
    let buffer = '';
    res.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        if (!event || !data) continue;
        const e: Event = { event, data: JSON.parse(data) };
        seen.push(e);
        for (const w of waiting.filter((w) => w.test(e))) waiting.splice(waiting.indexOf(w), 1), w.resolve(e);
      }
    });
  });
  return {
    next: (test) => {
      const found = seen.find(test);
      if (found) {
        seen.splice(seen.indexOf(found), 1);
        return Promise.resolve(found);
      }
      return new Promise((resolve) => waiting.push({ test, resolve: (e) => (seen.splice(seen.indexOf(e), 1), resolve(e)) }));
    },
    close: () => req.destroy(),
  };
}

/** A raw request: the path is sent as it is, without the normalising of `..` that URL parsers do. */
function get(url: string, rawPath: string): Promise<{ status: number; type: string; body: Buffer }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    http
      .get({ host: hostname, port, path: rawPath }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, type: String(res.headers['content-type']), body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

function edit(file: string, from: string, to: string): void {
  const text = read(file);
  expect(text).toContain(from);
  writeFileSync(file, text.replace(from, to));
}

/** Every file under `dir`, by its path relative to it. */
function files(dir: string): Map<string, Buffer> {
  const all = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(all.map((e) => [path.relative(dir, path.join(e.parentPath, e.name)), readFileSync(path.join(e.parentPath, e.name))]));
}

describe('Rebuilds', () => {
  it('makes one build of a burst of changes, never two at once, and one more for the changes during a build', async () => {
    let running = 0;
    let most = 0;
    const runs: number[] = [];
    let release!: () => void;
    const rebuilds = new Rebuilds(async () => {
      running++;
      most = Math.max(most, running);
      runs.push(runs.length);
      await new Promise<void>((resolve) => (release = resolve));
      running--;
    }, 10);
    for (let i = 0; i < 5; i++) rebuilds.request();
    await sleep(50);
    expect(runs).toEqual([0]);
    // Changes during the build: one more build, after it.
    for (let i = 0; i < 5; i++) rebuilds.request(), await sleep(20);
    expect(rebuilds.waiting).toBe(true);
    expect(runs).toEqual([0]);
    release();
    await sleep(30);
    expect(runs).toEqual([0, 1]);
    release();
    await sleep(50);
    expect(runs).toEqual([0, 1]);
    expect(most).toBe(1);
    expect(rebuilds.waiting).toBe(false);
  });
});

describe('editions watch', () => {
  it('builds what a build builds, sends a reload when a paragraph changes, and serves the new text with the client added', async () => {
    const w = await watch([], 'built epub, pdf, docx');
    // The output folder holds what `editions build` writes, byte for byte: no client in it.
    const built = path.join(tempDir(), 'dist');
    expect(runCli(['build', w.source, '--out', built, '-q']).status).toBe(0);
    const byBuild = files(built);
    const byWatch = files(w.out);
    expect([...byWatch.keys()].sort()).toEqual([...byBuild.keys()].sort());
    for (const [file, data] of byBuild) expect(byWatch.get(file)!.equals(data), file).toBe(true);

    const e = events(w.url);
    const hello = await e.next((x) => x.event === 'hello');
    const savedAt = performance.now();
    edit(path.join(w.source, PAPER), PARAGRAPH, 'It encourages Chinese watchful commercial banks');
    const reload = await e.next((x) => x.event === 'reload');
    const ms = performance.now() - savedAt;
    // The HTML first, on its own: the page reloads before the PDFs are made.
    expect(reload.data.formats).toEqual(['html']);
    expect(reload.data.build).toBeGreaterThan(hello.data.build);
    console.info(`editions watch: from the save to the reload event: ${ms.toFixed(0)} ms`);

    const page = await get(w.url, `/${HTML}`);
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.body.toString()).toContain('watchful commercial banks');
    expect(page.body.toString()).toContain('new EventSource');
    expect(read(path.join(w.out, HTML))).not.toContain('EventSource');

    const rest = await e.next((x) => x.event === 'reload');
    expect(rest.data.formats).toEqual(['epub', 'pdf', 'docx']);
    const pdf = await get(w.url, `/${PDF}`);
    expect(pdf.type).toBe('application/pdf');
    expect(pdf.body.equals(readFileSync(path.join(w.out, PDF)))).toBe(true);
    const pdfPage = await get(w.url, `/__editions/pdf?path=${encodeURIComponent(PDF)}`);
    expect(pdfPage.body.toString()).toContain(`<iframe src="/${PDF}?build=${rest.data.build}"`);
    const catalogue = await get(w.url, '/');
    expect(catalogue.body.toString()).toContain('"catalogue"');
    e.close();
  });

  it('shows a failed build\'s errors in the terminal and in the event, and keeps serving the last build', async () => {
    const w = await watch(['--format', 'html']);
    const e = events(w.url);
    await e.next((x) => x.event === 'hello');
    const paper = path.join(w.source, PAPER);
    const line = lineOf(paper, '### (3) Financial Cooperation');
    edit(paper, '### (3) Financial Cooperation', '### (4) Financial Cooperation');
    const failed = await e.next((x) => x.event === 'failed');
    const expected = `paper.en.md:${line}:1: error: (4) follows (2); expected (3) [numbering-sequence]`;
    expect(failed.data.diagnostics).toContainEqual(expect.objectContaining({ severity: 'error', ruleId: 'numbering-sequence', line, column: 1, text: expect.stringContaining(expected) }));
    await w.cli.printed(expected);
    // The previous output is still served, and a page loaded now is told of the failure.
    expect((await get(w.url, `/${HTML}`)).body.toString()).toContain('Financial Cooperation');
    const late = events(w.url);
    expect((await late.next((x) => x.event === 'hello')).data).toMatchObject({ failed: true, diagnostics: expect.arrayContaining([expect.objectContaining({ ruleId: 'numbering-sequence' })]) });
    late.close();
    // Fixed, it builds and reloads.
    edit(paper, '### (4) Financial Cooperation', '### (3) Financial Cooperation');
    const reload = await e.next((x) => x.event === 'reload');
    expect(reload.data.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    e.close();
  });

  it('sees a file saved as many editors save (a new file renamed over it), and written to after that', async () => {
    const w = await watch(['--format', 'html']);
    const e = events(w.url);
    await e.next((x) => x.event === 'hello');
    const paper = path.join(w.source, PAPER);
    // Node 20's recursive fs.watch on Linux misses the second: it watched the file replaced.
    for (const [word, renamed] of [['renamed', true], ['written', false]] as const) {
      const text = read(paper).replace(/It encourages Chinese \w* ?commercial banks/, `It encourages Chinese ${word} commercial banks`);
      writeFileSync(renamed ? `${paper}.swp` : paper, text);
      if (renamed) renameSync(`${paper}.swp`, paper);
      await e.next((x) => x.event === 'reload');
      expect((await get(w.url, `/${HTML}`)).body.toString()).toContain(`${word} commercial banks`);
    }
    e.close();
  });

  it('keeps watching when the first build fails, and shows the catalogue once a build has written it', async () => {
    const source = copySource({ [PAPER]: (t) => t.replace('### (3) Financial Cooperation', '### (4) Financial Cooperation') });
    const dir = path.dirname(source);
    const cli = startCli(['watch', source, '--out', path.join(dir, 'dist'), '--port', '0', '--format', 'html'], { cwd: dir });
    let stdout = '';
    cli.child.stdout!.on('data', (chunk: string) => (stdout += chunk));
    started.push({ cli, url: '', source, out: path.join(dir, 'dist'), stdout: () => stdout });
    await cli.printed('[numbering-sequence]');
    const url = /preview at (http:\/\/\S+)/.exec(stdout)![1]!;
    const e = events(url);
    expect((await e.next((x) => x.event === 'hello')).data).toMatchObject({ build: 0, failed: true });
    const waiting = await get(url, '/');
    expect(waiting.status).toBe(200);
    expect(waiting.body.toString()).toContain('No build has written the output folder yet');
    edit(path.join(source, PAPER), '### (4) Financial Cooperation', '### (3) Financial Cooperation');
    await e.next((x) => x.event === 'reload');
    expect((await get(url, '/')).body.toString()).toContain('china-lac-policy.en.html');
    e.close();
  });

  it('serves the output folder only, on 127.0.0.1 only, and stops cleanly on SIGTERM (143) and SIGINT (130)', async () => {
    const w = await watch(['--format', 'html']);
    const dir = path.dirname(w.out);
    writeFileSync(path.join(dir, 'secret.pdf'), 'not to be served');
    for (const p of ['/../secret.pdf', '/%2e%2e/secret.pdf', '/..%2fsecret.pdf', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '//etc/passwd', '/__editions/pdf?path=../secret.pdf', '/__editions/pdf?path=%2Fetc%2Fpasswd.pdf']) {
      const r = await get(w.url, p);
      expect([p, r.status]).toEqual([p, 404]);
      expect(r.body.toString()).not.toContain('not to be served');
    }
    symlinkSync(path.join(dir, 'secret.pdf'), path.join(w.out, 'link.pdf'));
    expect((await get(w.url, '/link.pdf')).status).toBe(404);
    // A folder is its index.html, never a listing.
    expect((await get(w.url, '/china-lac-policy/')).status).toBe(404);
    expect((await get(w.url, '/manifest.json')).type).toBe('application/json; charset=utf-8');

    // The kernel's table of listening sockets: this port on 127.0.0.1, on no other address.
    const port = Number(new URL(w.url).port);
    const listening = ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
      read(table)
        .split('\n')
        .slice(1)
        .map((l) => l.trim().split(/\s+/))
        .filter((f) => f[3] === '0A' && parseInt(f[1]!.split(':')[1]!, 16) === port)
        .map((f) => f[1]!.split(':')[0]),
    );
    expect(listening).toEqual(['0100007F']);

    w.cli.child.kill('SIGTERM');
    expect((await w.cli.done).status).toBe(143);
    await expect(new Promise((resolve, reject) => net.connect(port, '127.0.0.1').on('connect', resolve).on('error', reject))).rejects.toThrow(/ECONNREFUSED/);

    const again = await watch(['--format', 'html']);
    again.cli.child.kill('SIGINT');
    expect((await again.cli.done).status).toBe(130);
  });

  it('waits for a watched folder that goes, builds when it is back, and exits 1 when the folder that held it goes too', async () => {
    const w = await watch(['--format', 'html']);
    const e = events(w.url);
    await e.next((x) => x.event === 'hello');
    renameSync(w.source, `${w.source}.moved`);
    await w.cli.printed('is gone (deleted or renamed): the preview keeps the last build');
    expect((await e.next((x) => x.event === 'failed')).data.diagnostics[0]).toMatchObject({ ruleId: 'watch' });
    expect((await get(w.url, `/${HTML}`)).status).toBe(200);
    renameSync(`${w.source}.moved`, w.source);
    await e.next((x) => x.event === 'reload');
    edit(path.join(w.source, PAPER), PARAGRAPH, 'It encourages Chinese returning commercial banks');
    await e.next((x) => x.event === 'reload');
    expect((await get(w.url, `/${HTML}`)).body.toString()).toContain('returning commercial banks');
    e.close();
    rmSync(path.dirname(w.source), { recursive: true, force: true });
    const done = await w.cli.done;
    expect(done.status).toBe(1);
    expect(done.stderr).toContain('is gone, and so is the folder that held it: the watch stops [watch]');
  });

  it('builds again when a template or the config file changes, with the config read again', async () => {
    const source = copySource();
    const dir = path.dirname(source);
    mkdirSync(path.join(dir, 'templates', 'html'), { recursive: true });
    const style = path.join(dir, 'templates', 'html', 'style.css');
    copyFileSync(path.join(ROOT, 'templates', 'html', 'style.css'), style);
    const config = path.join(dir, 'editions.config.yaml');
    writeFileSync(config, 'sources: [source]\ntemplates: templates\nformats: [html]\n');
    const cli = startCli(['watch', '--port', '0'], { cwd: dir });
    let stdout = '';
    cli.child.stdout!.on('data', (chunk: string) => (stdout += chunk));
    started.push({ cli, url: '', source, out: path.join(dir, 'dist'), stdout: () => stdout });
    await cli.printed('built html');
    const url = /preview at (http:\/\/\S+)/.exec(stdout)![1]!;
    const e = events(url);
    await e.next((x) => x.event === 'hello');
    writeFileSync(style, `${read(style)}\n/* a template changed */\n`);
    await e.next((x) => x.event === 'reload');
    expect((await get(url, `/${HTML}`)).body.toString()).toContain('/* a template changed */');
    writeFileSync(config, 'sources: [source]\ntemplates: templates\nformats: [html, epub]\n');
    expect((await e.next((x) => x.event === 'reload')).data.formats).toEqual(['html']);
    expect((await e.next((x) => x.event === 'reload')).data.formats).toEqual(['epub']);
    expect((await get(url, '/china-lac-policy/china-lac-policy.en.epub')).type).toBe('application/epub+zip');
    e.close();
  });

  it('refuses a --host other than the loopback address, a bad --port, a port in use and a SOURCE that is not there', async () => {
    const r = runCli(['watch', '--host', '0.0.0.0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('error: --host 0.0.0.0: the preview is served on the loopback address only [cli-usage]');
    expect(runCli(['watch', '--port', '70000']).status).toBe(2);
    const missing = runCli(['watch', path.join(tempDir(), 'no-such-folder'), '--port', '0']);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no-such-folder" does not exist \[source-missing\]/);
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const source = copySource();
    const inUse = runCli(['watch', source, '--out', path.join(path.dirname(source), 'dist'), '--port', String(port)], { cwd: path.dirname(source) });
    taken.close();
    expect(inUse.status).toBe(1);
    expect(inUse.stderr).toContain(`error: the preview cannot listen on port ${port} of 127.0.0.1: another program uses it (EADDRINUSE) [watch]`);
  });
});

describe.skipIf(!hasChromium())('editions watch in headless Chromium', () => {
  it('reloads the page with the new text when the paper is saved, and shows a failed build on the page', async () => {
    const { chromium } = await import('playwright-core');
    const w = await watch(['--format', 'html']);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`${w.url}${HTML}`);
      // The page's events are connected: the catalogue's and this page's script ran.
      await page.waitForFunction(() => document.getElementById('editions-watch') !== null);
      const paper = path.join(w.source, PAPER);
      edit(paper, PARAGRAPH, 'It encourages Chinese browser-tested commercial banks');
      await page.getByText('browser-tested commercial banks').waitFor({ timeout: 10_000 });
      edit(paper, '### (3) Financial Cooperation', '### (4) Financial Cooperation');
      const banner = page.locator('#editions-watch');
      await banner.getByText('[numbering-sequence]').waitFor({ timeout: 10_000 });
      expect(await banner.textContent()).toContain('The last build failed');
    } finally {
      await browser.close();
    }
  });

  it('opens the catalogue\'s PDFs in a page that refreshes them when the PDFs are built again', async () => {
    const { chromium } = await import('playwright-core');
    const w = await watch([], 'built epub, pdf, docx');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(w.url);
      await page.locator(`a[href="/__editions/pdf?path=${encodeURIComponent(PDF)}"]`).first().click();
      await page.waitForURL(/__editions\/pdf/);
      const frame = page.locator('iframe');
      const before = await frame.getAttribute('src');
      expect(before).toMatch(new RegExp(`^/${PDF}\\?build=\\d+$`));
      edit(path.join(w.source, PAPER), PARAGRAPH, 'It encourages Chinese printed commercial banks');
      await page.waitForFunction((src) => document.querySelector('iframe')!.getAttribute('src') !== src, before, { timeout: 30_000 });
      expect(await frame.getAttribute('src')).toMatch(new RegExp(`^/${PDF}\\?build=\\d+$`));
    } finally {
      await browser.close();
    }
  });
});
