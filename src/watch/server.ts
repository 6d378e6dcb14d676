/**
 * The preview server of `editions watch`: the output folder's files over HTTP on the loopback
 * address only, the catalogue at /, each HTML page with the live-reload client added as it is
 * served (the files stay as the build wrote them), a page that shows a PDF and refreshes it, and
 * the build events (server-sent events) the client listens to.
 *
 * Only files inside the output folder are served: the request's path is resolved, symbolic links
 * included, and refused unless it lands inside the folder. A folder is served as its index.html,
 * never as a listing.
 */
import { realpathSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { EVENTS_PATH, injectClient, pdfPage, PDF_PATH } from './client.js';

/** A diagnostic as the page shows it: `text` is the line the terminal prints. */
export interface ShownDiagnostic {
  severity: 'error' | 'warning';
  ruleId: string;
  message: string;
  file?: string;
  line?: number;
  column?: number;
  text: string;
}

/** What a page that connects is told first: the last build written, and the last build's problems. */
export interface PreviewState {
  build: number;
  failed: boolean;
  diagnostics: ShownDiagnostic[];
}

/** The addresses a preview may listen on: the loopback ones (the preview serves unpublished drafts). */
export const LOOPBACK: Record<string, string> = { '127.0.0.1': '127.0.0.1', localhost: '127.0.0.1', '::1': '::1' };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.xhtml': 'application/xhtml+xml; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.pdf': 'application/pdf',
  '.epub': 'application/epub+zip',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

const WAITING = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8" /><title>editions watch</title></head>
<body><p>No build has written the output folder yet: the catalogue is shown here when one has.</p></body></html>
`;

export class Preview {
  state: PreviewState = { build: 0, failed: false, diagnostics: [] };
  private readonly clients = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    private readonly out: string,
    readonly url: string,
  ) {}

  /** Listens on `host` (an address of LOOPBACK) and `port` (0: any free port). */
  static start(out: string, host: string, port: number): Promise<Preview> {
    return new Promise((resolve, reject) => {
      let preview: Preview | undefined;
      const server = createServer((req, res) => void preview!.handle(req, res).catch(() => respond(res, 500, 'the file could not be read')));
      server.once('error', reject);
      server.listen(port, host, () => {
        const { address, port: bound } = server.address() as AddressInfo;
        preview = new Preview(server, out, `http://${address.includes(':') ? `[${address}]` : address}:${bound}/`);
        resolve(preview);
      });
    });
  }

  /** Tells every page: `reload` (a build wrote its outputs) or `failed` (it wrote nothing). */
  send(event: 'reload' | 'failed', data: object): void {
    const message = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of this.clients) res.write(message);
  }

  /** Closes the server and every page's connection, synchronously (it runs in a signal handler too). */
  close(): void {
    for (const res of this.clients) res.end();
    this.clients.clear();
    this.server.close();
    this.server.closeAllConnections();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') return respond(res, 405, 'the preview only serves files', { Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://preview');
    if (url.pathname === EVENTS_PATH) return this.events(req, res);
    if (url.pathname === PDF_PATH) {
      const pdf = url.searchParams.get('path') ?? '';
      if (!pdf.endsWith('.pdf') || !this.inside(pdf)) return respond(res, 404, 'no such PDF in the output folder');
      return send(res, req, TYPES['.html']!, Buffer.from(pdfPage(pdf, this.state.build)));
    }
    let wanted: string;
    try {
      wanted = decodeURIComponent(url.pathname.slice(1));
    } catch {
      return respond(res, 400, 'the path is not well-formed');
    }
    const file = this.inside(wanted);
    // Until a first build writes the catalogue, / says so, and shows the catalogue when it is there.
    if (!file && url.pathname === '/') return send(res, req, TYPES['.html']!, Buffer.from(injectClient(WAITING, this.state.build, 'catalogue')));
    if (!file) return respond(res, 404, 'not found in the output folder');
    const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const data = await readFile(file);
    if (type !== TYPES['.html']) return send(res, req, type, data);
    const kind = path.relative(this.out, file) === 'index.html' ? 'catalogue' : 'html';
    return send(res, req, type, Buffer.from(injectClient(data.toString('utf8'), this.state.build, kind)));
  }

  /** The regular file that `relative` (a decoded URL path, without its leading /) names inside the output folder, if any. */
  private inside(relative: string): string | undefined {
    if (relative.includes('\0')) return undefined;
    try {
      const root = realpathSync(this.out);
      let file = realpathSync(path.resolve(root, `./${relative}`));
      if (statSync(file).isDirectory()) file = realpathSync(path.join(file, 'index.html'));
      const rel = path.relative(root, file);
      if (rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel) || !statSync(file).isFile()) return undefined;
      return file;
    } catch {
      return undefined; // not there (or the output folder is not built yet)
    }
  }

  private events(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    // A page whose connection dropped (the watch restarted) tries again soon.
    res.write(`retry: 500\nevent: hello\ndata: ${JSON.stringify(this.state)}\n\n`);
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }
}

function send(res: ServerResponse, req: IncomingMessage, type: string, data: Buffer): void {
  // Every build may change every file: never cached, and never sniffed as another type.
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': data.byteLength, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(req.method === 'HEAD' ? undefined : data);
}

function respond(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(`${message}\n`);
}
