import type { MockConfig, MockRequest, MockStats } from './schemas';

const BODY_PREVIEW_CHARS = 300;

function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function preview(body: string): string {
  return body.length > BODY_PREVIEW_CHARS ? `${body.slice(0, BODY_PREVIEW_CHARS)}…` : body;
}

function signatureCell(r: MockRequest): string {
  if (r.signature_valid === undefined) return '';
  return r.signature_valid ? 'valid' : '<strong class="bad">invalid</strong>';
}

function statusCell(r: MockRequest): string {
  const status = r.status === null ? '—' : String(r.status);
  const aborted = r.client_aborted ? ' (client left)' : '';
  return `${escapeHtml(status)} ${escapeHtml(r.outcome)}${aborted}`;
}

/**
 * The control page: configuration, statistics and the latest requests. Self-contained (no
 * scripts, no external assets). Headers are left out on purpose: deliveries carry credentials,
 * and the page is meant to be shown in demos; `GET /_mock/requests` has them for tests.
 */
export function renderMockPage(view: {
  url: string;
  config: MockConfig;
  stats: MockStats;
  requests: MockRequest[];
}): string {
  const { by_path: byPath, ...totals } = view.stats;
  const statRows = [['all', totals] as const, ...Object.entries(byPath)]
    .map(
      ([path, c]) =>
        `<tr><td>${escapeHtml(path)}</td><td>${c.total_requests}</td><td>${c.unique_deliveries}</td><td>${c.duplicates}</td><td>${c.failures}</td><td>${c.in_flight}</td><td>${c.max_in_flight}</td></tr>`,
    )
    .join('\n');
  const requestRows = view.requests
    .map(
      (r) =>
        `<tr><td>${r.seq}</td><td>${escapeHtml(r.received_at)}</td><td>${escapeHtml(r.method)}</td><td>${escapeHtml(r.path + r.query)}</td><td>${statusCell(r)}</td><td>${escapeHtml(r.idempotency_key ?? '')}</td><td>${signatureCell(r)}</td><td><code>${escapeHtml(preview(r.body))}</code></td></tr>`,
    )
    .join('\n');
  const base = escapeHtml(view.url);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Mock source</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1f2933; }
  table { border-collapse: collapse; margin-bottom: 1.5rem; }
  th, td { border: 1px solid #d3d8de; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
  th { background: #f1f3f5; }
  code, pre { font: 12px/1.4 ui-monospace, monospace; white-space: pre-wrap; word-break: break-all; }
  .bad { color: #b42318; }
</style>
</head>
<body>
<h1>Mock source</h1>
<p>Every path outside <code>/_mock</code> is a delivery. <a href="/_mock">Refresh</a> ·
<a href="/_mock/requests">requests (JSON)</a> · <a href="/_mock/stats">stats (JSON)</a> · <a href="/_mock/config">config (JSON)</a></p>
<pre>curl -X POST ${base}/_mock/config -H 'content-type: application/json' -d '{"path":"/hris","fail_next":3,"retry_after":2}'
curl -X POST ${base}/_mock/reset</pre>
<h2>Configuration</h2>
<pre>${escapeHtml(JSON.stringify(view.config, null, 2))}</pre>
<h2>Statistics</h2>
<table>
<tr><th>path</th><th>requests</th><th>unique deliveries</th><th>duplicates</th><th>failures</th><th>in flight</th><th>max in flight</th></tr>
${statRows}
</table>
<h2>Latest requests, newest first</h2>
<table>
<tr><th>#</th><th>received</th><th>method</th><th>path</th><th>answer</th><th>idempotency key</th><th>signature</th><th>body</th></tr>
${requestRows || '<tr><td colspan="8">none yet</td></tr>'}
</table>
</body>
</html>
`;
}
