// Channel names only, without schemas: what the sandboxed preload needs to refuse unknown
// channels without bundling zod. contract.ts checks (at compile time) that it matches these lists.

export const METHOD_NAMES = [
  'core:app.state', 'core:keys.state', 'core:keys.enroll', 'core:keys.setPin', 'core:keys.importResident',
  'core:keys.readiness', 'core:keys.upload', 'core:auth.signIn', 'core:auth.signOut', 'core:fabrics.list',
  'core:fabrics.devices', 'core:fabrics.passwordRotation', 'core:clusters.list', 'core:clusters.keysets', 'core:connect.defaults', 'core:connect.plan',
  'core:sessions.open', 'core:sessions.list', 'core:sessions.write', 'core:sessions.resize', 'core:sessions.ack',
  'core:sessions.reconnect', 'core:sessions.close', 'core:prompt.current', 'core:prompt.answer',
  'core:prompt.cancel', 'core:audit.view', 'core:audit.recording', 'core:settings.get', 'core:settings.update',
  'core:settings.importBackup', 'core:step.run',
  'core:history.get', 'core:history.favourite',
  'core:keys.changePin', 'core:settings.testJump', 'core:knownHosts.export', 'core:knownHosts.import',
  'core:fleet.check', 'core:fleet.run', 'core:fleet.skip', 'core:fleet.stop', 'core:fleet.report',
  'core:keys.openPinSettings',
  'core:admin.preflight',
  'core:audit.status', 'core:audit.export', 'core:audit.checkRemote',
] as const;
export const EVENT_NAMES = ['ui:keys', 'ui:prompt', 'ui:prompt.closed', 'ui:session.output', 'ui:session.state', 'ui:progress', 'ui:core', 'ui:fleet'] as const;

export type MethodName = (typeof METHOD_NAMES)[number];
export type EventName = (typeof EVENT_NAMES)[number];

const methodSet: ReadonlySet<string> = new Set(METHOD_NAMES);
const eventSet: ReadonlySet<string> = new Set(EVENT_NAMES);

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && methodSet.has(name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && eventSet.has(name);
}

