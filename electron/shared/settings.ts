// App settings (one JSON file under the app home). Shared because the settings screen edits them.
import { z } from 'zod';
import { checkHost } from './host-address';

/** A host name or address that can go to ssh and known_hosts as it is (see host-address.ts). */
const HostName = z.string().min(1).max(256).superRefine((v, ctx) => {
  const c = checkHost(v);
  if (!c.ok) ctx.addIssue({ code: z.ZodIssueCode.custom, message: `the host ${c.reason}` });
});

/** A jump host by address. */
export const AddressJump = z.object({
  host: HostName,
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().min(1).max(256),
  /** Shown in prompts ("jump-01"); the address when absent. */
  name: z.string().min(1).max(64).optional(),
});
export type AddressJump = z.infer<typeof AddressJump>;

/** A concrete `Host` alias of ssh_config: letters, digits and `._-`, no pattern characters. */
export const SshConfigAlias = z.string().min(1).max(256)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, 'an ssh_config Host alias: letters, digits, dot, dash, underscore (no patterns)');

/** A jump host by ssh_config alias: its HostName, Port, User and own ProxyJump come from the config when connecting. */
export const AliasJump = z.object({ sshConfigAlias: SshConfigAlias });
export type AliasJump = z.infer<typeof AliasJump>;

export const JumpHost = z.union([AddressJump, AliasJump]);
export type JumpHost = z.infer<typeof JumpHost>;

/** The jump host a connect would use: its address, and where it came from (operator words). */
export const JumpInEffect = AddressJump.extend({
  /** "set for this fabric", "ssh_config alias jump-a (~/.ssh/config)", ... */
  from: z.string().max(512),
  /** Jumps before it when it comes from ssh_config with its own ProxyJump, as user@host:port. */
  via: z.array(z.string().max(600)).max(8).default([]),
});
export type JumpInEffect = z.infer<typeof JumpInEffect>;

const AgentSettings = z.object({
  enabled: z.boolean(),
  /** Unix socket path or Windows pipe name; absent: the app's default. */
  path: z.string().max(4096).optional(),
});

const RecordingSettings = z.object({
  /** Every session's output and resizes as asciicast v2 under the app home (on by default). */
  sessions: z.boolean(),
  /** Keystrokes too: passwords typed on a device end up in the file, so off by default. */
  input: z.boolean(),
});

/**
 * Where the audit log is forwarded (none by default). Secrets are not here: the webhook's HMAC
 * secret lives in the OS key store (`nbg audit forward --webhook-secret-stdin`).
 */
const AuditForwardSettings = z.object({
  /** Syslog over TLS (RFC 5425), e.g. a SIEM collector on port 6514. */
  syslog: z.object({
    host: z.string().min(1).max(256),
    port: z.number().int().min(1).max(65535).default(6514),
    /** PEM file of the CA that signed the collector's certificate; default: the system's roots. */
    caFile: z.string().max(4096).optional(),
  }).optional(),
  /** Azure Monitor Logs Ingestion: data collection endpoint, the rule's immutable id, its stream. */
  azureMonitor: z.object({
    endpoint: z.string().url().max(2048),
    ruleId: z.string().regex(/^dcr-[0-9a-f]{32}$/, 'a data collection rule immutable id: dcr- and 32 hex digits'),
    stream: z.string().regex(/^Custom-[A-Za-z0-9_]{1,200}$/, 'a custom stream name: Custom-<name>'),
    /** The Log Analytics workspace (its id, a GUID) behind the rule: `nbg audit verify --remote` reads checkpoints back from it. */
    workspaceId: z.string().uuid().optional(),
    /** The Log Analytics Query API of another cloud; default https://api.loganalytics.io/v1/workspaces. */
    queryEndpoint: z.string().url().max(2048).optional(),
  }).optional(),
  /** An HTTPS webhook that receives the records with an HMAC-SHA256 signature header. */
  webhook: z.object({ url: z.string().url().max(2048).refine((u) => u.startsWith('https://'), 'an https:// URL') }).optional(),
  /** Seconds between deliveries in the app (each also sends a checkpoint). */
  intervalSeconds: z.number().int().min(30).max(86_400).default(300),
});
export type AuditForwardSettings = z.infer<typeof AuditForwardSettings>;

/** Every field a person may set; SettingsPatch is these, each optional, with no defaults filled in. */
const settingsFields = {
  /** Jump host per fabric ARM id (lower-cased); `defaultJumpHost` for fabrics not listed. */
  jumpHosts: z.record(z.string().max(1024), JumpHost),
  defaultJumpHost: JumpHost,
  /** Device user name from the Entra identity: {upn}, {alias} (part before @), {mail}. */
  userNameTemplate: z.string().min(1).max(256),
  /** Backup (in-band loopback) addresses by device host name (lower-cased). */
  backupAddresses: z.record(z.string().max(256), HostName),
  /** Absent: the default ~/.ssh/known_hosts. */
  knownHostsPath: z.string().max(4096),
  /** The ssh_config file read for hosts and jump aliases, alone (as ssh -F); absent: the user's and the system's. */
  sshConfigPath: z.string().max(4096),
  agent: AgentSettings,
  recording: RecordingSettings,
  /** Limit for each network phase of a connect (TCP, banner, key exchange, authentication, each
   *  hop's channel); PIN, touch and password prompts do not count. As nbg's --connect-timeout. */
  connectTimeoutSeconds: z.number().int().min(1).max(600),
  /** Entra app registration used to sign in; absent means not configured (drill-only first launch). */
  azure: z.object({ tenantId: z.string().min(1).max(64), clientId: z.string().min(1).max(64) }),
  auditForward: AuditForwardSettings,
};

export const Settings = z.object({
  version: z.literal(1).default(1),
  jumpHosts: settingsFields.jumpHosts.default({}),
  defaultJumpHost: settingsFields.defaultJumpHost.optional(),
  userNameTemplate: settingsFields.userNameTemplate.default('{upn}'),
  backupAddresses: settingsFields.backupAddresses.default({}),
  knownHostsPath: settingsFields.knownHostsPath.optional(),
  sshConfigPath: settingsFields.sshConfigPath.optional(),
  agent: settingsFields.agent.default({ enabled: false }),
  recording: settingsFields.recording.default({ sessions: true, input: false }),
  connectTimeoutSeconds: settingsFields.connectTimeoutSeconds.default(15),
  azure: settingsFields.azure.optional(),
  auditForward: settingsFields.auditForward.optional(),
});
export type Settings = z.infer<typeof Settings>;

/**
 * POSIX `/…`, Windows `C:\…` or `\\server\…`: a relative path would depend on the directory
 * the app happened to start in, and `~` is not expanded.
 */
const ABSOLUTE_PATH = /^(\/|[A-Za-z]:[\\/]|\\\\)/;

/** What the settings screen may change: top-level keys replace the stored value. */
export const SettingsPatch = z.object(settingsFields).partial().extend({
  knownHostsPath: settingsFields.knownHostsPath
    .refine((p) => ABSOLUTE_PATH.test(p), 'the known_hosts path must be absolute (for example /home/you/.ssh/known_hosts); ~ and relative paths are not expanded')
    .optional(),
  sshConfigPath: settingsFields.sshConfigPath
    .refine((p) => ABSOLUTE_PATH.test(p), 'the ssh_config path must be absolute (for example /home/you/.ssh/config); ~ and relative paths are not expanded')
    .optional(),
});
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const BackupImport = z.object({
  format: z.enum(['csv', 'json']),
  text: z.string().max(1 << 20),
});
export type BackupImport = z.infer<typeof BackupImport>;

/** "Test jump host": does it answer as an SSH server, and is its host key the one known_hosts holds. */
export const JumpProbe = z.object({
  reachable: z.boolean(),
  hostKey: z.object({
    fingerprint: z.string().max(128),
    /** known: matches known_hosts; unknown: first contact; changed / revoked: a connect would stop. */
    status: z.enum(['known', 'unknown', 'changed', 'revoked']),
  }).optional(),
  detail: z.string().max(512),
});
export type JumpProbe = z.infer<typeof JumpProbe>;
