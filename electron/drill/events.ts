// What the drill servers report, like sshd's log lines: logins, refusals with their reason,
// forwarded connections, sessions and commands. No secrets: passwords never appear.
export interface DrillEvent {
  ts: string;
  server: string;
  kind: 'auth' | 'forward' | 'session' | 'command';
  outcome: 'ok' | 'refused' | 'info';
  user?: string;
  /** Refusal reason code (auth: unknown-key, uv-missing, ...; forward: not-allowed, unreachable). */
  reason?: string;
  /** sshd-style text for the operator. */
  message: string;
}

export type DrillEventSink = (event: Omit<DrillEvent, 'ts'>) => void;
