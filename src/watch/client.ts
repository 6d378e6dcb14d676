/**
 * What the preview adds to the pages it serves (never to the files in the output folder): a
 * script that listens to the watch's events, reloads the page when a build rewrote what it shows,
 * and shows the last build's problems in a banner; and the page that shows a PDF, refreshed when
 * a build rewrites the PDFs.
 */
export const EVENTS_PATH = '/__editions/events';
export const PDF_PATH = '/__editions/pdf';

/**
 * What a page is: an HTML output (reloaded when a build wrote the HTML), the catalogue (reloaded
 * after every build: it lists every format) or the PDF page (its frame refreshed when a build
 * wrote the PDFs).
 */
export type PageKind = 'html' | 'catalogue' | 'pdf';

/**
 * The script, run in the page, in plain JavaScript: it is not compiled for the browser. `build`
 * is the number of the build the page was served from: a build that finished between the page
 * being served and its events connecting is seen in the `hello` event. Text from the sources is
 * put in the page as text only (textContent), never as markup.
 */
const CLIENT = `(function (build, kind, pdf, eventsPath, pdfPath) {
  var banner = document.createElement('div');
  banner.id = 'editions-watch';
  banner.setAttribute('role', 'status');
  banner.style.cssText = 'position:fixed;left:0;right:0;bottom:0;z-index:2147483647;max-height:40vh;overflow:auto;margin:0;padding:.5em 1em;font:13px/1.4 monospace;white-space:pre-wrap;color:#000;border-top:3px solid;display:none';
  document.body.appendChild(banner);
  function show(problems, failed) {
    banner.textContent = '';
    banner.style.display = problems.length > 0 ? 'block' : 'none';
    var errors = problems.some(function (p) { return p.severity === 'error'; });
    banner.style.background = errors ? '#fde8e8' : '#fff8db';
    banner.style.borderColor = errors ? '#c81e1e' : '#c27803';
    if (failed) {
      var head = document.createElement('strong');
      head.textContent = 'The last build failed: this page is from the build before it.\\n';
      banner.appendChild(head);
    }
    problems.forEach(function (p) { banner.appendChild(document.createTextNode(p.text + '\\n')); });
  }
  function refresh() {
    if (kind === 'pdf') document.querySelector('iframe').src = '/' + pdf.split('/').map(encodeURIComponent).join('/') + '?build=' + build;
    else location.reload();
  }
  // The catalogue's PDFs open in the page that refreshes them.
  Array.prototype.forEach.call(document.querySelectorAll('a[href$=".pdf"]'), function (a) {
    var target = new URL(a.href);
    if (target.origin === location.origin) a.href = pdfPath + '?path=' + encodeURIComponent(decodeURIComponent(target.pathname.slice(1)));
  });
  var events = new EventSource(eventsPath);
  events.addEventListener('hello', function (e) {
    var state = JSON.parse(e.data);
    show(state.diagnostics, state.failed);
    if (state.build !== build) {
      build = state.build;
      refresh();
    }
  });
  events.addEventListener('reload', function (e) {
    var done = JSON.parse(e.data);
    build = done.build;
    show(done.diagnostics, false);
    if (kind === 'catalogue' || done.formats.indexOf(kind) >= 0) refresh();
  });
  events.addEventListener('failed', function (e) {
    show(JSON.parse(e.data).diagnostics, true);
  });
})`;

/** The script tag for a page of `kind` served from build `build` (`pdf`: the PDF the PDF page shows). */
function clientScript(build: number, kind: PageKind, pdf: string | null = null): string {
  // JSON in a script element: "</script>" in a file name must not end it.
  const args = [build, kind, pdf, EVENTS_PATH, PDF_PATH].map((a) => JSON.stringify(a).replace(/</g, '\\u003c')).join(', ');
  return `<script>${CLIENT}(${args});</script>`;
}

/** `html` with the client script before its last </body> (at its end if it has none). */
export function injectClient(html: string, build: number, kind: 'html' | 'catalogue'): string {
  const at = html.toLowerCase().lastIndexOf('</body>');
  const script = clientScript(build, kind);
  return at < 0 ? `${html}${script}` : `${html.slice(0, at)}${script}${html.slice(at)}`;
}

/** The page that shows the PDF at `pdf` (a path inside the output folder, `/`-separated). */
export function pdfPage(pdf: string, build: number): string {
  const src = `/${pdf.split('/').map(encodeURIComponent).join('/')}?build=${build}`;
  const title = escapeHtml(pdf);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8" /><title>${title}</title>
<style>html,body{margin:0;height:100%}iframe{display:block;border:0;width:100%;height:100%}</style></head>
<body><iframe src="${escapeHtml(src)}" title="${title}"></iframe>${clientScript(build, 'pdf', pdf)}</body></html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
