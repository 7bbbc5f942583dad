// One SSH login over an already-open stream: host key check, then the hop's auth methods in
// order (security key via the sk agent, the system agent, password / keyboard-interactive).
import { Client, type AnyAuthMethod, type AuthenticationType, type BaseAgent, type ClientErrorExtensions, type ConnectConfig, type NextAuthHandler } from 'ssh2';
import type { PromptContext } from '../../../../native/interaction';
import { NbgError } from '../../../../native/errors';
import type { CoreInteraction } from '../../prompts/interaction';
import { DEFAULT_SSH_PORT, formatHop, formatHostPort } from '../chain';
import { hostKeyAlgorithms, verifyHostKey, type HostKeyCheck } from '../known-hosts-verify';
import { trackHopStream, type CountingStream } from './ack-nudge';
import { AuthCancelledError, HopAuthError, HopConnectError, PathUnreachableError } from './errors';
import { ObservedAgent, type SignObservation } from './observed-agent';
import type { ConnectScope } from './connect-scope';
import { PhaseClock, type LoginPhase } from './phase-clock';
import { SkAgent } from '../agent/sk-agent';
import type { SkSigner } from '../agent/types';
import type { Hop, NetAddress, SessionSignContext } from './types';

export const DEFAULT_AUTH_TIMEOUT_MS = 180_000;
export const DEFAULT_KEEPALIVE_MS = 15_000;
export const DEFAULT_KEEPALIVE_COUNT_MAX = 3;
/** Signature origin the signer and audit log see for logins made by a session. */
export const SESSION_SIGN_ORIGIN = 'nbg session';

export interface HopTimeouts {
  /** Handshake + authentication; long enough for a person to type a PIN and touch the key. */
  authMs?: number;
  /**
   * The connect timeout for each phase after the banner (key exchange, authentication); the
   * clock stops while a PIN, touch or password is awaited. A phase past it fails as "stalled",
   * so the backup path is tried. Unset: only `authMs` bounds the login.
   */
  phaseMs?: number;
  keepaliveMs?: number;
  keepaliveCountMax?: number;
}

export interface HopLogin {
  hop: Hop;
  /** Display name of the previous hop, for "sign in to leaf-02 via jump-01". */
  via?: string;
  stream: CountingStream;
  /**
   * The name the host key is looked up and recorded under (OpenSSH's HostKeyAlias); default the
   * hop's own address. The backup path uses the device's primary name: same device, same key.
   */
  hostKeyName?: NetAddress;
  scope: ConnectScope;
  interaction: CoreInteraction;
  hostKeys: Omit<HostKeyCheck, 'interaction'>;
  signer?: SkSigner;
  timeouts?: HopTimeouts;
  algorithms?: ConnectConfig['algorithms'];
  /** Offered to the server for agent forwarding (channels still need to request it). */
  forwardAgent?: BaseAgent;
  onSign?: (observation: SignObservation) => void;
  onAuthenticating?: () => void;
}

export interface HopConnection {
  client: Client;
  hostKeyFingerprint: string;
  /** What the first handshake negotiated (ssh2's 'handshake' event), e.g. mlkem768x25519-sha256. */
  kex: string;
  hostKeyAlgorithm: string;
  method: 'security-key' | 'system-agent' | 'password';
}

export function hopLabel(hop: Hop): string {
  return hop.name ?? hop.host;
}

export function signPurpose(hop: Hop, via?: string): PromptContext {
  return { purpose: `sign in to ${hopLabel(hop)}${via ? ` via ${via}` : ''}`, hop: hopLabel(hop) };
}

/** ssh2 takes `false` for "no more methods"; its type definitions leave that out. */
const NO_MORE_METHODS = false as unknown as AuthenticationType;

type Candidate = { method: HopConnection['method']; auth: AnyAuthMethod };

export function loginHop(login: HopLogin): Promise<HopConnection> {
  const { hop, interaction, scope } = login;
  // The login's lifetime: its prompts (host key, password, PIN, touch) close when it ends.
  const operation = new AbortController();
  const context: PromptContext = { ...signPurpose(hop, login.via), signal: operation.signal };
  const display = formatHop(hop);
  const client = new Client();
  let hostKeyFingerprint = '';
  let negotiated = { kex: '', serverHostKey: '' };
  client.once('handshake', (n) => { negotiated = n; });
  let failure: Error | undefined;
  let lastMethod: HopConnection['method'] | undefined;
  /** The login succeeded or failed: answers that arrive later go nowhere. */
  let settled = false;
  let onPhaseExpired = (_phase: LoginPhase): void => undefined;
  const phaseMs = login.timeouts?.phaseMs;
  const clock = phaseMs ? new PhaseClock(phaseMs, (phase) => onPhaseExpired(phase)) : undefined;
  const hold = (): (() => void) => clock?.hold() ?? (() => undefined);

  const candidates: Candidate[] = [];
  const auth = hop.auth ?? {};
  if (auth.securityKey ?? !auth.password) {
    if (!login.signer) throw new HopAuthError(display, 'no security-key signer is configured');
    const signContext: SessionSignContext = { ...context, origin: SESSION_SIGN_ORIGIN, pinCache: scope };
    const agent = new ObservedAgent(new SkAgent(login.signer, signContext), (o) => login.onSign?.(o), hold);
    candidates.push({ method: 'security-key', auth: { type: 'agent', username: hop.user, agent } });
  }
  if (auth.systemAgent) candidates.push({ method: 'system-agent', auth: { type: 'agent', username: hop.user, agent: auth.systemAgent } });
  const askPassword = (prompt: string): Promise<string | null> => {
    const release = hold();
    return interaction.password({
      context: { ...context, purpose: `log in to ${hopLabel(hop)} with a password` }, user: hop.user, host: hop.host, prompt,
    }).finally(release);
  };
  const defaultPrompt = `Password for ${hop.user}@${hopLabel(hop)}:`;
  if (auth.password) {
    candidates.push({
      method: 'password',
      auth: {
        type: 'keyboard-interactive', username: hop.user,
        prompt: (_name, _instructions, _lang, prompts, finish) => {
          (async () => {
            const answers: string[] = [];
            for (const p of prompts) {
              const answer = await askPassword(p.prompt.trim() || defaultPrompt);
              if (answer === null) {
                failure = new AuthCancelledError(display);
                client.end();
                return;
              }
              answers.push(answer);
            }
            if (!settled) finish(answers);
          })().catch((err: unknown) => {
            failure = err instanceof Error ? err : new Error(String(err));
            client.end();
          });
        },
      },
    });
    // The password itself is filled in when the server actually offers "password".
    candidates.push({ method: 'password', auth: { type: 'password', username: hop.user, password: '' } });
  }

  let next = 0;
  const authHandler = (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, cb: NextAuthHandler): void => {
    login.onAuthenticating?.();
    while (next < candidates.length) {
      const c = candidates[next++]!;
      if (methodsLeft && !methodsLeft.includes(c.auth.type === 'agent' ? 'publickey' : c.auth.type)) continue;
      lastMethod = c.method;
      if (c.auth.type === 'password') {
        // Asked only now, when the server really offers "password".
        const pwAuth = c.auth;
        askPassword(defaultPrompt).then((pw) => {
          if (settled) return;
          if (pw === null) {
            failure = new AuthCancelledError(display);
            cb(NO_MORE_METHODS);
          } else cb({ ...pwAuth, password: pw });
        }, (err: unknown) => {
          if (settled) return;
          failure = err instanceof Error ? err : new Error(String(err));
          cb(NO_MORE_METHODS);
        });
        return;
      }
      cb(c.auth);
      return;
    }
    cb(NO_MORE_METHODS);
  };

  return new Promise<HopConnection>((resolve, reject) => {
    let endLoginSetup = (): void => undefined;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clock?.stop();
      operation.abort();
      client.end();
      reject(err);
    };
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      clock?.stop();
      operation.abort();
      endLoginSetup();
      client.removeListener('error', onError);
      client.on('error', () => undefined); // later transport errors surface as 'close'
      resolve({ client, hostKeyFingerprint, kex: negotiated.kex, hostKeyAlgorithm: negotiated.serverHostKey, method: lastMethod ?? 'security-key' });
    });
    const onError = (err: Error & ClientErrorExtensions): void => {
      if (failure) return fail(failure);
      if (err instanceof NbgError) return fail(err);
      if (err.level === 'client-authentication') return fail(new HopAuthError(display, 'the server accepted none of the offered credentials'));
      if (err.level === 'client-timeout') return fail(new HopConnectError(display, 'the login did not finish in time'));
      if (err.level === 'agent') return; // ssh2 goes on with the next key; a later error decides
      return fail(new HopConnectError(display, err.message, { cause: err }));
    };
    client.on('error', onError);
    const address = formatHostPort(hop.host, hop.port);
    onPhaseExpired = (phase) => fail(new PathUnreachableError(address, 'stalled', `${phase} did not finish within ${phaseMs} ms`));
    client.once('handshake', () => { if (!settled) clock?.enter('authentication'); });
    client.once('close', () => fail(failure ?? new HopConnectError(display, 'the server closed the connection during login')));
    const timeouts = login.timeouts ?? {};
    const named = hop.hostKeyAlias !== undefined ? { host: hop.hostKeyAlias, port: DEFAULT_SSH_PORT } : login.hostKeyName ?? hop;
    const configured = { ...login.algorithms, ...hop.algorithms } as ConnectConfig['algorithms'];
    // The stream stays paused (banner unread) until ssh2 has it.
    hostKeyAlgorithms(login.hostKeys.store, named.host, named.port, configured).then((algorithms) => client.connect({
      sock: login.stream,
      username: hop.user,
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        // A person reading a fingerprint is not a stalled network: the phase clock waits.
        verifyHostKey({ ...login.hostKeys, interaction }, named.host, named.port, key, context).finally(hold()).then((outcome) => {
          // A decision that arrives after the login ended (timed out, server gone) changes nothing.
          if (settled) return;
          hostKeyFingerprint = outcome.fingerprint;
          verify(true);
        }, (err: unknown) => {
          if (settled) return;
          failure = err instanceof Error ? err : new Error(String(err));
          verify(false);
        });
      },
      authHandler,
      readyTimeout: timeouts.authMs ?? DEFAULT_AUTH_TIMEOUT_MS,
      keepaliveInterval: timeouts.keepaliveMs ?? DEFAULT_KEEPALIVE_MS,
      keepaliveCountMax: timeouts.keepaliveCountMax ?? DEFAULT_KEEPALIVE_COUNT_MAX,
      ...(algorithms ? { algorithms } : {}),
      ...(login.forwardAgent ? { agent: login.forwardAgent, agentForward: true } : {}),
    })).then(() => {
      endLoginSetup = trackHopStream(client, login.stream);
      if (!settled) clock?.enter('key exchange');
      login.stream.resume();
    }, (err: unknown) => fail(err instanceof Error ? err : new Error(String(err))));
  });
}
