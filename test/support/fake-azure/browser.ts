// Plays the system browser for MSAL's interactive flow: GET the authorize URL from the fake
// identity provider, then submit its auto-post form to MSAL's loopback redirect.
import assert from 'node:assert/strict';
import { createTransport } from '../../../electron/core/net/transport';
import type { FakeAzure } from './server';

export async function playBrowser(fake: FakeAzure, url: string): Promise<void> {
  const transport = createTransport({ extraCaPem: fake.caPem });
  const page = await transport({ method: 'GET', url, timeoutMs: 5000 });
  assert.equal(page.status, 200, page.body);
  const action = /action="([^"]+)"/.exec(page.body)?.[1];
  assert.ok(action !== undefined && action.startsWith('http://localhost:'), 'form posts to the loopback redirect');
  const fields = new URLSearchParams();
  for (const m of page.body.matchAll(/name="([^"]+)" value="([^"]*)"/g)) fields.set(m[1]!, m[2]!.replace(/&quot;/g, '"'));
  // MSAL listens on 127.0.0.1 only; "localhost" might resolve to ::1 first.
  const res = await fetch(action.replace('localhost', '127.0.0.1'), { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: fields.toString() });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /Signed in/);
}
