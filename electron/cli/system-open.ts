// Hands a URL or a system page (ms-settings:…) to the OS's own opener, as a double-click would.
import { spawn } from 'node:child_process';

export function systemOpenCommand(target: string, platform: NodeJS.Platform = process.platform): [string, string[]] {
  return platform === 'win32' ? ['rundll32', ['url.dll,FileProtocolHandler', target]]
    : platform === 'darwin' ? ['open', [target]] : ['xdg-open', [target]];
}

/** Resolves once the opener started; rejects with the reason it could not. */
export function systemOpen(target: string): Promise<void> {
  const [cmd, args] = systemOpenCommand(target);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', (e) => reject(new Error(`${cmd}: ${e.message}`)));
    child.on('spawn', () => { child.unref(); resolve(); });
  });
}
