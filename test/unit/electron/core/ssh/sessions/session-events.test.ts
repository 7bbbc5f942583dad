// Session events are typed (SessionEvents): listeners get the payload type of their event, and a
// wrong event name or payload type does not compile (the @ts-expect-error lines fail tsc if not).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { KnownHostsStore } from '../../../../../../electron/core/ssh/known-hosts-store';
import { SessionManager, type Session, type SessionState } from '../../../../../../electron/core/ssh/sessions/index';
import { refusedPort } from '../../../../../support/sessions-sshd';
import { sessionInteraction, tempDir } from '../../../../../support/sessions';

function manager(t: { after(fn: () => void): void }): SessionManager {
  const store = new KnownHostsStore({ readOnly: [], managed: path.join(tempDir(t, 'nbg-events-'), 'known_hosts') });
  const m = new SessionManager({ interaction: sessionInteraction(), hostKeys: { store, policy: 'ask' } });
  t.after(() => m.closeAll());
  return m;
}

/** Compile-time only (never called): each line must fail tsc. */
function _wrongUses(session: Session): void {
  // @ts-expect-error: Session has no 'output' event
  session.on('output', () => undefined);
  // @ts-expect-error: 'data' carries a Buffer, not a string
  session.on('data', (text: string) => text.length);
  // @ts-expect-error: 'state' is emitted with a SessionState
  session.emit('state', 'open');
  // @ts-expect-error: 'stderr' needs its Buffer
  session.emit('stderr');
}

test('state listeners get SessionState payloads: a refused connect reports connecting, then closed (connect-failed)', async (t) => {
  const port = await refusedPort();
  const session = manager(t).open({ name: 'leaf-01', user: 'admin', host: '127.0.0.1', port, auth: { password: true } }, []);
  const states: SessionState['kind'][] = [];
  session.on('state', (s) => states.push(s.kind));
  await assert.rejects(session.connect());
  assert.deepEqual(states, ['connecting', 'closed']);
  const closed = await session.whenClosed();
  assert.equal(closed.reason, 'connect-failed');
});
