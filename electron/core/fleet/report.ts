// A fleet run as one self-contained HTML file: inline styles, no script, nothing fetched (its own
// CSP says so), every device text escaped — to attach to an incident or open on any machine.
import type { FleetRunResult } from '../../shared/fleet';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML-escapes text and makes control characters (other than tab and newline) visible as "?". */
export function escapeHtml(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --ok: #1a7f37; --bad: #cf222e; --warn: #9a6700; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --border: #30363d; --ok: #3fb950; --bad: #f85149; --warn: #d29922; } }
body { background: var(--bg); color: var(--fg); font: 14px/1.45 system-ui, sans-serif; margin: 16px 24px; }
table { border-collapse: collapse; margin: 8px 0 16px; } th, td { border: 1px solid var(--border); padding: 4px 8px; text-align: left; vertical-align: top; }
.muted { color: var(--muted); } .ok { color: var(--ok); } .failed { color: var(--bad); } .skipped, .stopped { color: var(--warn); }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 12px; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; background: rgba(127, 127, 127, 0.08); padding: 8px; margin: 4px 0 0; font: 12.5px/1.4 ui-monospace, Menlo, Consolas, monospace; }
section.device { border: 1px solid var(--border); border-radius: 6px; padding: 8px; }
`;

export function htmlReport(r: FleetRunResult): string {
  const e = escapeHtml;
  const rows = r.devices.map((d) => `<tr><td>${e(d.name)}</td><td>${e(d.fabric)}</td><td>${e(d.via)}</td>`
    + `<td class="${d.status}">${e(d.status)}${d.error ? ` — ${e(d.error.message)}` : ''}</td><td>${d.path ?? '—'}</td><td>${(d.durationMs / 1000).toFixed(1)} s</td></tr>`).join('\n');
  const perCommand = r.commands.map((command) => `<h2>${e(command)}</h2>\n<div class="grid">\n${r.devices.map((d) => {
    const c = d.commands.find((x) => x.command === command);
    const body = c ? `<p class="muted">exit ${c.exitCode ?? '?'} · ${(c.durationMs / 1000).toFixed(1)} s${c.truncated ? ' · output cut' : ''}</p><pre>${e(c.output)}${c.stderr ? `\n${e(c.stderr)}` : ''}</pre>`
      : `<p class="${d.status}">no output (${e(d.status)})</p>`;
    return `<section class="device"><h3>${e(d.name)}</h3>${body}</section>`;
  }).join('\n')}\n</div>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Fleet run ${e(new Date(r.startedAt).toISOString())}</title>
<style>${STYLE}</style></head>
<body>
<h1>Fleet run, ${e(new Date(r.startedAt).toISOString())}</h1>
<p class="muted">Nexus Break-Glass · run ${e(r.runId)} · ${r.devices.length} devices · ${(r.durationMs / 1000).toFixed(1)} s · read-only commands: ${r.commands.map(e).join(', ')}</p>
<table><thead><tr><th>Device</th><th>Fabric</th><th>Via</th><th>Status</th><th>Path</th><th>Duration</th></tr></thead>
<tbody>
${rows}
</tbody></table>
${perCommand}
</body></html>
`;
}
