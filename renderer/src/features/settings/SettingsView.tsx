// Settings: jump hosts (default and per fabric), user name template, backup addresses import,
// known_hosts path, agent on/off, session recording. Every change goes through core (zod-validated, atomic write).
import { useEffect, useState } from 'react';
import type { FabricSummary } from '../../../../electron/shared/inventory';
import type { AddressJump, JumpHost, JumpInEffect as InEffect, Settings } from '../../../../electron/shared/settings';
import { inertText } from '../../../../electron/shared/inert-text';
import { call, errorText } from '../../api';
import { useAsync } from '../../ui/useAsync';

/** Saves `value` as a JSON file through the browser's download (no file system access here). */
function exportJson(fileName: string, value: unknown): void {
  exportText(fileName, `${JSON.stringify(value, null, 2)}\n`, 'application/json');
}

function exportText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const hostText = (h: JumpHost) => ('sshConfigAlias' in h ? `ssh_config alias ${h.sshConfigAlias}` : `${h.user}@${h.host}:${h.port}`);
const inEffectText = (h: InEffect) => `${h.user}@${h.host}:${h.port}${h.via.length ? ` via ${h.via.join(' → ')}` : ''}`;

/** A jump host as typed: by ssh_config alias when one is given, else by address. */
const typedJump = (j: AddressJump & { alias: string }): JumpHost => {
  const { alias, ...address } = j;
  return alias.trim() ? { sshConfigAlias: alias.trim() } : address;
};

/** One button: is the jump host reachable, and is its host key the one known_hosts holds. */
function TestJump({ host, port, label }: { host: string; port: number; label: string }) {
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);
  const test = async () => {
    setBusy(true);
    setResult(undefined);
    try {
      const r = await call('core:settings.testJump', { host, port });
      setResult({ ok: r.reachable && (r.hostKey?.status === 'known' || r.hostKey?.status === 'unknown'), text: r.detail });
    } catch (err) {
      setResult({ ok: false, text: errorText(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button type="button" disabled={busy || !host} onClick={() => void test()} aria-label={`Test jump host ${label}`}>{busy ? 'Testing…' : 'Test'}</button>
      {result ? <span className={`small ${result.ok ? 'ok' : 'error'}`} role="status" data-testid="jump-test">{result.text}</span> : null}
    </>
  );
}

/**
 * The jump host each fabric's connects use, as the connect planner decides it (asked for the
 * fabric's first device): this fabric's, else the default, else one the inventory knows; an
 * ssh_config alias resolved, with where it came from, or why it cannot be used.
 */
function JumpInEffect({ fabrics, settings }: { fabrics: FabricSummary[] | undefined; settings: Settings }) {
  const inEffect = useAsync(async () => Promise.all((fabrics ?? []).filter((f) => !f.sshConfig).map(async (f) => {
    const own = settings.jumpHosts[f.id.toLowerCase()];
    const first = (await call('core:fabrics.devices', { fabricId: f.id }).catch(() => []))[0];
    const defaults = first ? await call('core:connect.defaults', { fabricId: f.id, deviceId: first.id }).catch(() => null) : null;
    const setting = own ?? settings.defaultJumpHost;
    return {
      fabric: f, jump: defaults?.jumpHost ?? null, problem: defaults?.jumpProblem,
      // Without a device to ask about, the setting itself.
      unresolved: defaults ? undefined : setting ? `${hostText(setting)} (${own ? 'set for this fabric' : 'the default'})` : undefined,
    };
  })), [fabrics, settings]);
  if (!inEffect.value?.length) return null;
  return (
    <table className="table small" data-testid="jump-in-effect">
      <thead><tr><th>Fabric</th><th>Jump host in effect</th><th>Why</th><th><span className="sr-only">Test</span></th></tr></thead>
      <tbody>
        {inEffect.value.map(({ fabric, jump, problem, unresolved }) => (
          <tr key={fabric.id}>
            <td>{fabric.name}</td>
            <td className="mono">{inertText(jump ? inEffectText(jump) : unresolved ?? 'none')}</td>
            <td>{jump ? inertText(jump.from) : <span className="error">{inertText(problem ?? (unresolved ? 'not checked: the fabric lists no device' : 'no jump host: connects to this fabric fail until one is set'))}</span>}</td>
            {/* Reached only through its own jumps, it cannot be probed directly. */}
            <td>{jump && !jump.via.length ? <TestJump host={jump.host} port={jump.port} label={`of ${fabric.name}`} /> : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function SettingsView({ drill, fabricsAvailable = true }: { drill: boolean; fabricsAvailable?: boolean }) {
  const [settings, setSettings] = useState<Settings>();
  const [status, setStatus] = useState<string>();
  const [jump, setJump] = useState({ host: '', port: 22, user: '', alias: '' });
  const [fabricJump, setFabricJump] = useState({ fabricId: '', host: '', port: 22, user: '', alias: '' });
  const [sshConfig, setSshConfig] = useState('');
  const [template, setTemplate] = useState('');
  const [knownHosts, setKnownHosts] = useState('');
  const [importText, setImportText] = useState('');
  const [importFormat, setImportFormat] = useState<'csv' | 'json'>('csv');
  const [hostsText, setHostsText] = useState('');
  const fabrics = useAsync(() => (fabricsAvailable ? call('core:fabrics.list', { refresh: false }) : Promise.resolve([])), [fabricsAvailable]);

  const load = (s: Settings) => {
    setSettings(s);
    setTemplate(s.userNameTemplate);
    setKnownHosts(s.knownHostsPath ?? '');
    setSshConfig(s.sshConfigPath ?? '');
    const d = s.defaultJumpHost;
    if (d) setJump('sshConfigAlias' in d ? { host: '', port: 22, user: '', alias: d.sshConfigAlias } : { ...d, alias: '' });
  };
  useEffect(() => { call('core:settings.get').then(load, (e: unknown) => setStatus(errorText(e))); }, []);
  const save = async (label: string, work: () => Promise<Settings>) => {
    try { load(await work()); setStatus(`${label} saved.`); } catch (err) { setStatus(`${label}: ${errorText(err)}`); }
  };
  if (!settings) return <p>{status ?? 'Loading settings…'}</p>;
  return (
    <div className="panel settings">
      <h2>Settings {drill ? <span className="badge drill">drill</span> : null}</h2>
      {status ? <p role="status" data-testid="settings-status">{status}</p> : null}

      <form onSubmit={(e) => { e.preventDefault(); void save('Default jump host', () => call('core:settings.update', { defaultJumpHost: typedJump(jump) })); }}>
        <h3>Default jump host</h3>
        <div className="row">
          <label>User <input value={jump.user} onChange={(e) => setJump({ ...jump, user: e.target.value })} aria-label="Jump host user" required={!jump.alias} /></label>
          <label>Host <input value={jump.host} onChange={(e) => setJump({ ...jump, host: e.target.value })} aria-label="Jump host address" required={!jump.alias} /></label>
          <label>Port <input type="number" min={1} max={65535} value={jump.port} onChange={(e) => setJump({ ...jump, port: Number(e.target.value) })} aria-label="Jump host port" /></label>
          <label>or ssh_config alias <input value={jump.alias} onChange={(e) => setJump({ ...jump, alias: e.target.value })} aria-label="Default jump host ssh_config alias" /></label>
          <button type="submit">Save</button>
          <TestJump host={jump.host} port={jump.port} label="default" />
        </div>
      </form>

      <form onSubmit={(e) => {
        e.preventDefault();
        const { fabricId, ...host } = fabricJump;
        void save('Fabric jump host', () => call('core:settings.update', { jumpHosts: { ...settings.jumpHosts, [fabricId.toLowerCase()]: typedJump(host) } }));
      }}>
        <h3>Jump host per fabric</h3>
        <JumpInEffect fabrics={fabrics.value} settings={settings} />
        <ul className="small">
          {Object.entries(settings.jumpHosts).map(([id, h]) => (
            <li key={id}>{fabrics.value?.find((f) => f.id.toLowerCase() === id)?.name ?? <span className="mono">{id}</span>} → {hostText(h)}{' '}
              <button type="button" onClick={() => {
                const next = { ...settings.jumpHosts };
                delete next[id];
                void save('Fabric jump host', () => call('core:settings.update', { jumpHosts: next }));
              }}>Remove</button></li>
          ))}
        </ul>
        <div className="row">
          <label>Fabric
            <select value={fabricJump.fabricId} onChange={(e) => setFabricJump({ ...fabricJump, fabricId: e.target.value })} required aria-label="Fabric">
              <option value="">Choose a fabric…</option>
              {fabrics.value?.map((f) => <option key={f.id} value={f.id}>{f.name} ({f.resourceGroup})</option>)}
            </select>
          </label>
          <label>User <input value={fabricJump.user} onChange={(e) => setFabricJump({ ...fabricJump, user: e.target.value })} required={!fabricJump.alias} /></label>
          <label>Host <input value={fabricJump.host} onChange={(e) => setFabricJump({ ...fabricJump, host: e.target.value })} required={!fabricJump.alias} /></label>
          <label>Port <input type="number" min={1} max={65535} value={fabricJump.port} onChange={(e) => setFabricJump({ ...fabricJump, port: Number(e.target.value) })} /></label>
          <label>or ssh_config alias <input value={fabricJump.alias} onChange={(e) => setFabricJump({ ...fabricJump, alias: e.target.value })} aria-label="Fabric jump host ssh_config alias" /></label>
          <button type="submit">Add</button>
        </div>
      </form>

      <form onSubmit={(e) => { e.preventDefault(); void save('ssh_config file', () => call('core:settings.update', sshConfig ? { sshConfigPath: sshConfig } : {})); }}>
        <h3>ssh_config</h3>
        <p className="small">Hosts and jump host aliases are read from this file alone, as <span className="mono">ssh -F</span> would; empty: your ~/.ssh/config and the system&apos;s ssh_config.</p>
        <div className="row">
          <input value={sshConfig} placeholder="Absolute path; empty: ~/.ssh/config and the system file" onChange={(e) => setSshConfig(e.target.value)} aria-label="ssh_config path" />
          <button type="submit">Save</button>
        </div>
      </form>

      <form onSubmit={(e) => { e.preventDefault(); void save('User name template', () => call('core:settings.update', { userNameTemplate: template })); }}>
        <h3>Device user name</h3>
        <p className="small">Built from your Entra identity: <span className="mono">{'{upn}'}</span>, <span className="mono">{'{alias}'}</span> (before the @), <span className="mono">{'{mail}'}</span>.</p>
        <div className="row">
          <input value={template} onChange={(e) => setTemplate(e.target.value)} aria-label="User name template" required />
          <button type="submit">Save</button>
        </div>
      </form>

      <form onSubmit={(e) => {
        e.preventDefault();
        void call('core:settings.importBackup', { format: importFormat, text: importText })
          .then((r) => { load(r.settings); setStatus(`Imported ${r.imported} backup addresses.`); setImportText(''); }, (err: unknown) => setStatus(errorText(err)));
      }}>
        <h3>Backup addresses ({Object.keys(settings.backupAddresses).length})</h3>
        <p className="small">In-band loopback per device, used when the management network is down. CSV <span className="mono">hostName,address</span> or JSON.</p>
        <div className="row">
          <select value={importFormat} onChange={(e) => setImportFormat(e.target.value === 'json' ? 'json' : 'csv')} aria-label="Import format">
            <option value="csv">CSV</option><option value="json">JSON</option>
          </select>
          <input type="file" accept=".csv,.json,text/csv,application/json" aria-label="Backup address file"
            onChange={(e) => { const f = e.target.files?.[0]; if (f) { setImportFormat(f.name.endsWith('.json') ? 'json' : 'csv'); void f.text().then(setImportText); } }} />
        </div>
        <textarea rows={4} value={importText} onChange={(e) => setImportText(e.target.value)} aria-label="Backup addresses" />
        <div className="actions">
          <button type="button" disabled={!Object.keys(settings.backupAddresses).length} onClick={() => exportJson('backup-addresses.json', settings.backupAddresses)}>Export</button>
          <button type="submit" disabled={!importText.trim()}>Import</button>
        </div>
      </form>

      <form onSubmit={(e) => { e.preventDefault(); void save('known_hosts path', () => call('core:settings.update', knownHosts ? { knownHostsPath: knownHosts } : {})); }}>
        <h3>known_hosts</h3>
        <div className="row">
          <input value={knownHosts} placeholder="Absolute path; empty: your ~/.ssh/known_hosts" onChange={(e) => setKnownHosts(e.target.value)} aria-label="known_hosts path" />
          <button type="submit">Save</button>
        </div>
      </form>

      <form onSubmit={(e) => {
        e.preventDefault();
        void call('core:knownHosts.import', { text: hostsText })
          .then((r) => { setStatus(`Imported ${r.imported} host keys into the app's known_hosts.`); setHostsText(''); }, (err: unknown) => setStatus(errorText(err)));
      }}>
        <h4>The app&apos;s own known_hosts (host keys you trusted here)</h4>
        <textarea rows={3} value={hostsText} onChange={(e) => setHostsText(e.target.value)} aria-label="known_hosts lines to import" spellCheck={false} />
        <div className="actions">
          <button type="button" onClick={() => void call('core:knownHosts.export').then((r) => exportText('known_hosts', r.text, 'text/plain'), (err: unknown) => setStatus(errorText(err)))}>Export</button>
          <button type="submit" disabled={!hostsText.trim()}>Add host keys</button>
        </div>
      </form>

      <h3>SSH agent</h3>
      <label className="row">
        <input type="checkbox" checked={settings.agent.enabled}
          onChange={(e) => void save('Agent', () => call('core:settings.update', { agent: { ...settings.agent, enabled: e.target.checked } }))} />
        Offer the security key to other SSH tools through the app&apos;s agent ({settings.agent.path ?? 'default socket / pipe'})
      </label>

      <h3>Session recording</h3>
      <label className="row">
        <input type="checkbox" checked={settings.recording.sessions}
          onChange={(e) => void save('Recording', () => call('core:settings.update', { recording: { ...settings.recording, sessions: e.target.checked } }))} />
        Record every session (output and window size, asciicast v2; the audit log keeps each file&apos;s hash)
      </label>
      <label className="row">
        <input type="checkbox" checked={settings.recording.input} disabled={!settings.recording.sessions}
          onChange={(e) => void save('Recording', () => call('core:settings.update', { recording: { ...settings.recording, input: e.target.checked } }))} />
        Also record keystrokes. Passwords typed on a device are then in the file too.
      </label>
    </div>
  );
}
