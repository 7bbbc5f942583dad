// The app settings file (settings.json under the app home): zod-validated on every read,
// written atomically, changed only through update() so readers never see a half-written file.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { NbgError, isNodeError } from '../../../native/errors';
import { writeFileAtomic } from '../../../native/util/atomic-file';
import { ErrorCode } from '../../shared/error-codes';
import type { Settings, SettingsPatch } from '../../shared/settings';

/** The schemas, built on first read: a command that never reads the settings builds none. */
const schemas = () => import('../../shared/settings');
import { describeIssues } from '../../shared/zod-issues';

export const SETTINGS_FILE_NAME = 'settings.json';

export class SettingsInvalidError extends NbgError {
  constructor(file: string, detail: string) {
    super(ErrorCode.SETTINGS_INVALID, `${file} is not valid (${detail}); fix or delete it, then restart.`);
  }
}

export class SettingsStore {
  private cached: Settings | undefined;
  private writing: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(settings: Settings) => void>();

  constructor(readonly file: string) {}

  static inHome(home: string): SettingsStore {
    return new SettingsStore(path.join(home, SETTINGS_FILE_NAME));
  }

  /** Current settings; defaults when the file does not exist yet. */
  async get(): Promise<Settings> {
    if (this.cached) return this.cached;
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if (!isNodeError(err, 'ENOENT')) throw err;
      return (this.cached = (await schemas()).Settings.parse({}));
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new SettingsInvalidError(this.file, 'not JSON');
    }
    const parsed = (await schemas()).Settings.safeParse(json);
    if (!parsed.success) throw new SettingsInvalidError(this.file, describeIssues(parsed.error));
    return (this.cached = parsed.data);
  }

  /** Called after every successful update (services that follow a setting, e.g. the agent). */
  onChange(listener: (settings: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies a patch (top-level keys replace) and writes the whole file; updates run one after another. */
  update(patch: SettingsPatch): Promise<Settings> {
    const run = this.writing.then(async () => {
      const current = await this.get();
      const { Settings, SettingsPatch } = await schemas();
      const next = Settings.parse({ ...current, ...SettingsPatch.parse(patch) });
      await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
      this.cached = next;
      for (const listener of this.listeners) listener(next);
      return next;
    });
    this.writing = run.catch(() => undefined);
    return run;
  }
}

