// The browser test host: serves the built renderer over loopback HTTP with the app's security
// headers and carries the contract over a WebSocket to an in-process core. Pages get
// window.breakglass from the shim (see shim.ts), injected with Playwright's addInitScript.
import { promises as fs } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Core } from '../../../electron/app/dispatcher';
import { serveCore } from '../../../electron/host/serve';
import { contentTypeOf, resolveAppPath, SECURITY_HEADERS } from '../../../electron/main/app-protocol';
import type { FromCore } from '../../../electron/shared/wire';
import { acceptWebSocket, type WebSocketConnection } from './websocket';

const here = import.meta.dirname;
const root = path.resolve(here, '../../..');
const WS_PATH = '/__breakglass/ws';

export interface BrowserHost {
  url: string;
  /** Script that defines window.breakglass; pass to page.addInitScript({ content }). */
  shim: string;
  /** Open WebSocket connections (one per page load). */
  connections(): number;
  close(): Promise<void>;
}

/** Builds the shipped renderer into outdir (the same esbuild config as `npm run build`). */
export async function buildRendererInto(outdir: string): Promise<void> {
  const mod = (await import(path.join(root, 'electron/build/build.mjs'))) as { buildRenderer(dir: string): Promise<unknown> };
  await mod.buildRenderer(outdir);
}

export async function bundleShim(): Promise<string> {
  // Loaded here only: a host running under Windows Node (test/windows) gets the shim prebuilt.
  const { build } = await import('esbuild');
  const out = await build({
    entryPoints: [path.join(here, 'shim.ts')], bundle: true, write: false, format: 'iife', platform: 'browser',
    target: ['chrome120'], minify: true, logLevel: 'warning',
  });
  return out.outputFiles[0]?.text ?? '';
}

export async function startBrowserHost(opts: { rendererDir: string; core: Core; shim?: string }): Promise<BrowserHost> {
  const sockets = new Set<WebSocketConnection>();
  const shim = opts.shim ?? await bundleShim();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = resolveAppPath(opts.rendererDir, `app://nbg${url.pathname}`);
    if (req.method !== 'GET' || !file) { res.writeHead(404).end(); return; }
    fs.readFile(file).then((body) => {
      res.writeHead(200, { 'Content-Type': contentTypeOf(file), ...SECURITY_HEADERS, 'Cache-Control': 'no-store' });
      res.end(body);
    }, () => res.writeHead(404).end());
  });
  server.on('upgrade', (req, socket) => {
    const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    if (req.url !== WS_PATH || req.headers.origin !== origin) { socket.destroy(); return; }
    const ws = acceptWebSocket(req, socket);
    if (!ws) { socket.destroy(); return; }
    sockets.add(ws);
    const channel = serveCore({ send: (m: FromCore) => ws.send(JSON.stringify(m)) }, async () => opts.core);
    ws.onMessage((text) => {
      try { channel.receive(JSON.parse(text)); } catch { ws.close(); }
    });
    ws.onClose(() => { sockets.delete(ws); channel.close(); });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    shim,
    connections: () => sockets.size,
    async close() {
      for (const ws of sockets) ws.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
