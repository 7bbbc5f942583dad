// The renderer is served from app://nbg/ (a privileged standard scheme), never file://: a fixed
// origin for IPC sender checks and CSP, and a path-traversal check on every request.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { APP_CSP } from '../shared/csp';

export const APP_SCHEME = 'app';
export const APP_HOST = 'nbg';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** Pass to protocol.registerSchemesAsPrivileged before the app is ready. */
export const APP_SCHEME_PRIVILEGES = [
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/** The Content-Type a served file gets (its extension is one resolveAppPath accepts). */
export function contentTypeOf(file: string): string {
  return CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
}

export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': APP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/**
 * Maps an app:// URL to a file under root; null for other hosts, traversal attempts, or types we
 * do not serve. Symlinks leaving root are caught by the realpath check in the handler.
 */
export function resolveAppPath(root: string, url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) return null;
  const file = path.resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  const rel = path.relative(root, file);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  if (!CONTENT_TYPES[path.extname(file)]) return null;
  return file;
}

/** The protocol.handle handler: serves files from root with the security headers. */
export function createAppRequestHandler(root: string): (request: Request) => Promise<Response> {
  let resolvedRoot: string | undefined;
  return async (request) => {
    const file = resolveAppPath(root, request.url);
    if (!file || request.method !== 'GET') return new Response('Not found', { status: 404 });
    try {
      const real = await fs.realpath(file);
      const realRoot = (resolvedRoot ??= await fs.realpath(root));
      const rel = path.relative(realRoot, real);
      if (rel.startsWith('..') || path.isAbsolute(rel)) return new Response('Not found', { status: 404 });
      const body = await fs.readFile(real);
      return new Response(body, {
        status: 200,
        headers: { 'Content-Type': contentTypeOf(file), ...SECURITY_HEADERS },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  };
}
