// App settings (one JSON file under the app home). Shared because the settings screen edits them.
import { z } from 'zod';

export const JumpHost = z.object({
  host: z.string().min(1).max(256),
  port: z.number().int().min(1).max(65535).default(22),
  user: z.string().min(1).max(256),
  /** Shown in prompts ("jump-01"); the address when absent. */
  name: z.string().min(1).max(64).optional(),
});
export type JumpHost = z.infer<typeof JumpHost>;

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

/** Every field a person may set; SettingsPatch is these, each optional, with no defaults filled in. */
const settingsFields = {
  /** Jump host per fabric ARM id (lower-cased); `defaultJumpHost` for fabrics not listed. */
  jumpHosts: z.record(z.string().max(1024), JumpHost),
  defaultJumpHost: JumpHost,
  /** Device user name from the Entra identity: {upn}, {alias} (part before @), {mail}. */
  userNameTemplate: z.string().min(1).max(256),
  /** Backup (in-band loopback) addresses by device host name (lower-cased). */
  backupAddresses: z.record(z.string().max(256), z.string().max(64)),
  /** Absent: the default ~/.ssh/known_hosts. */
  knownHostsPath: z.string().max(4096),
  agent: AgentSettings,
  recording: RecordingSettings,
  /** Entra app registration used to sign in; absent means not configured (drill-only first launch). */
  azure: z.object({ tenantId: z.string().min(1).max(64), clientId: z.string().min(1).max(64) }),
};

export const Settings = z.object({
  version: z.literal(1).default(1),
  jumpHosts: settingsFields.jumpHosts.default({}),
  defaultJumpHost: settingsFields.defaultJumpHost.optional(),
  userNameTemplate: settingsFields.userNameTemplate.default('{upn}'),
  backupAddresses: settingsFields.backupAddresses.default({}),
  knownHostsPath: settingsFields.knownHostsPath.optional(),
  agent: settingsFields.agent.default({ enabled: false }),
  recording: settingsFields.recording.default({ sessions: true, input: false }),
  azure: settingsFields.azure.optional(),
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
