// What `nbg` can do, without loading it: every command's words, summary and usage, and the module
// that implements it, loaded only when the command runs. `nbg --help` therefore loads no key
// stack, no Azure client, no SSH library and no schemas. Ordered as `nbg --help` shows them: the
// key first, then Entra and Azure, sessions, practice, evidence.
import type { CommandSpec } from './command';

/** The modules that implement commands, each loaded on first use. */
export const COMMAND_MODULES = {
  'keys-device': () => import('./commands/keys/device').then((m) => m.keyDeviceCommands),
  'keys-files': () => import('./commands/keys/files').then((m) => m.keyFileCommands),
  'keys-entra': () => import('./commands/keys/entra').then((m) => m.createKeysEntraCommands()),
  agent: () => import('./commands/agent').then((m) => m.agentCommands),
  auth: () => import('./commands/auth').then((m) => m.createAuthCommands()),
  fabrics: () => import('./commands/fabrics').then((m) => m.createFabricCommands()),
  bmm: () => import('./commands/bmm').then((m) => m.createBmmCommands()),
  connect: () => import('./commands/connect').then((m) => m.connectCommands),
  ssh: () => import('./commands/ssh').then((m) => m.sshCommands),
  run: () => import('./commands/run').then((m) => m.runCommands),
  drill: () => import('./commands/drill').then((m) => m.drillCommands),
  audit: () => import('./commands/audit').then((m) => m.auditCommands),
  admin: () => import('./commands/admin').then((m) => m.createAdminCommands()),
} satisfies Record<string, () => Promise<CommandSpec[]>>;

export interface CatalogueEntry {
  /** Words after `nbg`, e.g. ['keys', 'list']. */
  path: string[];
  /** The module that implements it. */
  group: keyof typeof COMMAND_MODULES;
  summary: string;
  /** Usage line shown by --help, without the leading `nbg`. */
  usage: string;
}

export const CATALOGUE: readonly CatalogueEntry[] = [
  { path: ['keys', 'devices'], group: 'keys-device', summary: 'list the connected security keys',
    usage: 'keys devices [--json]' },
  { path: ['keys', 'list'], group: 'keys-files', summary: 'list the security-key SSH key files in the key directory (~/.ssh)',
    usage: 'keys list [--dir DIR] [--json]' },
  { path: ['keys', 'show'], group: 'keys-files', summary: 'show one key file: public key line, fingerprint, application and flags',
    usage: 'keys show [FILE] [--dir DIR] [--json]' },
  { path: ['keys', 'enroll'], group: 'keys-device', summary: 'create a resident, verify-required SSH key on the security key (ssh-keygen -t ed25519-sk -O resident -O verify-required)',
    usage: 'keys enroll [--type ed25519-sk|ecdsa-sk] [--no-resident] [--no-verify-required] [--user NAME] [--comment C] [--file NAME] [--dir DIR] [--force] [--pin-stdin] [--json]' },
  { path: ['keys', 'import'], group: 'keys-device', summary: 'write the resident SSH keys stored on the security key as key files (ssh-keygen -K)',
    usage: 'keys import [--dir DIR] [--force] [--pin-stdin] [--json]' },
  { path: ['keys', 'set-pin'], group: 'keys-device', summary: 'set the PIN of a security key that has none',
    usage: 'keys set-pin [--pin-stdin]' },
  { path: ['keys', 'change-pin'], group: 'keys-device', summary: 'change the PIN of a security key (with --pin-stdin: old PIN, then new PIN, one per line)',
    usage: 'keys change-pin [--pin-stdin]' },
  { path: ['keys', 'upload'], group: 'keys-entra', summary: 'upload the public key to Entra (as az nexusidentity gen-keys does)',
    usage: 'keys upload [--pub FILE] [--token-source msal|az|env]' },
  { path: ['keys', 'check'], group: 'keys-entra', summary: 'is the key ready for break-glass (local, Entra, security key, sync)?',
    usage: 'keys check [--pub FILE] [--json] [--token-source msal|az|env]' },
  { path: ['agent'], group: 'agent', summary: 'serve the security-key SSH keys to stock OpenSSH (ssh -o IdentityAgent=SOCKET, or SSH_AUTH_SOCK)',
    usage: 'agent [--socket PATH] [--dir DIR] [--confirm] [--pin-stdin]' },
  { path: ['login'], group: 'auth', summary: 'sign in to Entra ID (browser; --device-code without one; --account to switch)',
    usage: 'login [--device-code] [--account UPN]' },
  { path: ['logout'], group: 'auth', summary: 'sign out and remove cached tokens',
    usage: 'logout' },
  { path: ['whoami'], group: 'auth', summary: 'show who Azure calls are made as',
    usage: 'whoami [--json] [--token-source msal|az|env]' },
  { path: ['fabrics'], group: 'fabrics', summary: 'fabrics you can see, with your role on each',
    usage: 'fabrics [--json] [--offline] [--token-source msal|az|env]' },
  { path: ['devices'], group: 'fabrics', summary: 'devices of a fabric with their management addresses',
    usage: 'devices FABRIC [--json] [--offline] [--token-source msal|az|env]' },
  { path: ['fabric', 'passwords'], group: 'fabrics', summary: 'where the fabric\'s Method D v1.5 password rotation stands, device by device (split, in progress)',
    usage: 'fabric passwords FABRIC [--json] [--token-source msal|az|env]' },
  { path: ['fabric', 'rotate-passwords'], group: 'fabrics', summary: 'rotate the Method D v1.5 passwords of a whole fabric (waits for Azure; shows each device; audited)',
    usage: 'fabric rotate-passwords FABRIC [--yes] [--json] [--token-source msal|az|env]' },
  { path: ['connect'], group: 'connect', summary: 'connect to a fabric device by name, as the app does (jump host, user name, backup path from the settings)',
    usage: 'connect DEVICE [--fabric FABRIC] [--backup-path] [--v15] [--user NAME] [--plan [--json]] [--agent SOCK] [--accept-new] [--known-hosts FILE] '
    + '[--connect-timeout S] [-v] [--dir DIR] [--pin-stdin] [--token-source msal|az|env] [-- command]' },
  { path: ['ssh'], group: 'ssh', summary: 'Break-glass SSH session through jump hosts, signing with the security key',
    usage: 'ssh [-F FILE] [-o Option=value]... [-J user@host[:port][,...]] [--backup ADDR] [--password] [--record] [--record-input] '
    + '[--known-hosts FILE] [--accept-new] [--agent SOCK] [--connect-timeout S] [-v] [--dir DIR] [--pin-stdin] [user@]device-or-alias[:port] [-- command]' },
  { path: ['run'], group: 'run', summary: 'run read-only show commands on many fabric devices at once (one PIN, one jump login, a touch per device)',
    usage: 'run [--fabric F...] [--role R...] [--device D...] [--per-jump N] [--json] [--agent SOCK] [--record] [--accept-new] [--known-hosts FILE] '
    + '[--dir DIR] [--pin-stdin] [--token-source msal|az|env] -- "show version" ["show bgp summary" ...]' },
  { path: ['bmm', 'list'], group: 'bmm', summary: 'bare metal machines of a Nexus cluster',
    usage: 'bmm list CLUSTER [--json] [--token-source msal|az|env]' },
  { path: ['keysets', 'list'], group: 'bmm', summary: 'BMM keysets of a cluster',
    usage: 'keysets list CLUSTER [--json] [--token-source msal|az|env]' },
  { path: ['keysets', 'show'], group: 'bmm', summary: 'one keyset with per-user status',
    usage: 'keysets show CLUSTER NAME [--json] [--token-source msal|az|env]' },
  { path: ['keysets', 'create'], group: 'bmm', summary: 'create a BMM keyset (waits for Azure to finish)',
    usage: 'keysets create CLUSTER NAME --group GUID --expires ISO --jump-host IP... --user NAME:UPN:PUBFILE... [--privilege Standard|Superuser|Other] [--privilege-name N] [--os-group G]' },
  { path: ['keysets', 'update'], group: 'bmm', summary: 'change expiry, jump hosts or the whole user list (shows the diff)',
    usage: 'keysets update CLUSTER NAME [--expires ISO] [--jump-host IP...] [--user NAME:UPN:PUBFILE...] [--yes]' },
  { path: ['keysets', 'delete'], group: 'bmm', summary: 'delete a BMM keyset (its users lose access)',
    usage: 'keysets delete CLUSTER NAME [--yes]' },
  { path: ['bmc-keysets', 'list'], group: 'bmm', summary: 'BMC (baseboard management controller) keysets of a cluster',
    usage: 'bmc-keysets list CLUSTER [--json] [--token-source msal|az|env]' },
  { path: ['bmc-keysets', 'show'], group: 'bmm', summary: 'one BMC keyset with per-user status',
    usage: 'bmc-keysets show CLUSTER NAME [--json] [--token-source msal|az|env]' },
  { path: ['bmc-keysets', 'create'], group: 'bmm', summary: 'create a BMC keyset (waits for Azure to finish)',
    usage: 'bmc-keysets create CLUSTER NAME --group GUID --expires ISO --user NAME:UPN:PUBFILE... [--privilege ReadOnly|Administrator]' },
  { path: ['bmc-keysets', 'update'], group: 'bmm', summary: 'change a BMC keyset\'s expiry or whole user list (shows the diff)',
    usage: 'bmc-keysets update CLUSTER NAME [--expires ISO] [--user NAME:UPN:PUBFILE...] [--yes]' },
  { path: ['bmc-keysets', 'delete'], group: 'bmm', summary: 'delete a BMC keyset (its users lose access to the BMCs)',
    usage: 'bmc-keysets delete CLUSTER NAME [--yes]' },
  { path: ['drill'], group: 'drill', summary: 'practise break-glass on a simulated fabric on this computer',
    usage: 'drill [--keep-running] [--log] [--user NAME] [--role reader|writer] [--port N] [--key FILE.pub] [--config FILE] [--dead-primary refused|silent] [--pin-stdin]' },
  { path: ['audit', 'verify'], group: 'audit', summary: 'check the audit log for edited, deleted, reordered or cut-off entries',
    usage: 'audit verify [--remote] [--json]' },
  { path: ['audit', 'export'], group: 'audit', summary: 'write the audit log, or the entries a filter matches, as JSONL (hashes preserved) or CSV',
    usage: 'audit export [--format jsonl|csv] [--device TEXT] [--operator TEXT] [--outcome success|refused|failed] [--since 24h|7d|TIME] [--until TIME] [--out FILE]' },
  { path: ['audit', 'list'], group: 'audit', summary: 'show the latest audit entries',
    usage: 'audit list [--limit N] [--json]' },
  { path: ['audit', 'forward'], group: 'audit', summary: 'send waiting audit entries to syslog, Azure Monitor and the webhook in settings',
    usage: 'audit forward [--status] [--json] [--webhook-secret-stdin]' },
  { path: ['admin', 'alerts'], group: 'admin', summary: 'create or update the Azure Monitor alarm on break-glass use (action group + severity-0 log alert rule)',
    usage: 'admin alerts --resource-group RG --workspace WORKSPACE-ARM-ID [--email ADDR]... [--sms CC:NUMBER]... [--webhook URL]... '
    + '[--subscription ID] [--action-group NAME] [--rule NAME] [--short-name NAME] [--yes] [--json] [--token-source msal|az|env]' },
  { path: ['admin', 'preflight'], group: 'admin', summary: 'check a subscription is ready for Method D v2.0 break-glass, with the fix for each failure',
    usage: 'admin preflight [--subscription ID]... [--json] [--token-source msal|az|env]' },
];

/** The implementation of a catalogued command (its options and run). */
export async function loadCommand(entry: CatalogueEntry): Promise<CommandSpec> {
  const key = entry.path.join(' ');
  const spec = (await COMMAND_MODULES[entry.group]()).find((s) => s.path.join(' ') === key);
  if (!spec) throw new Error(`nbg: the catalogue lists '${key}' but ${entry.group} does not implement it`);
  return spec;
}
