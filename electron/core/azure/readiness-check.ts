// One line of the readiness report ("will break-glass work tonight?"), shared by the key checks
// (key-readiness.ts) and the Azure access checks (access-readiness.ts).
export type CheckState = 'ok' | 'warn' | 'fail';

export interface ReadinessCheck {
  id: 'local-key' | 'entra-key' | 'security-key' | 'sync' | 'fabric-role' | 'bmm-keysets';
  state: CheckState;
  message: string;
}
