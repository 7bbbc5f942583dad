// The desktop app's drill-mode core in Windows Node (bundled by test/windows/desktop-core.test.ts
// into the win32 tree): composeDrillCore served by the browser test host, so the real renderer in
// a Linux Chromium talks to a core running as a Windows program. Prints the page URL, then serves
// until it is stopped.
import { readFileSync } from 'node:fs';
import { composeDrillCore } from '../../../electron/app/compose';
import { startBrowserHost } from '../../support/browser-host/server';

async function main(): Promise<void> {
  const [rendererDir, home, shimFile] = process.argv.slice(2);
  if (!rendererDir || !home || !shimFile) throw new Error('usage: core-host RENDERER_DIR HOME SHIM_FILE');
  const app = await composeDrillCore({ home, drill: { port: 0 }, log: (m) => process.stderr.write(`${m}\n`) });
  const host = await startBrowserHost({ rendererDir, core: app.core, shim: readFileSync(shimFile, 'utf8') });
  process.stdout.write(`${host.url}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
