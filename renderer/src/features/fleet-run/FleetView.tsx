// Fleet run: pick devices (search, role, fabric, a saved set), write read-only show commands, run
// them through each fabric's jump host with one PIN and a touch per device, then read the results
// side by side, compare one command across devices, and export them (JSON, HTML report).
import { useEffect, useMemo, useState } from 'react';
import type { CommandCheck, FleetDeviceResult, FleetRunResult } from '../../../../electron/shared/fleet';
import type { NetworkDevice } from '../../../../electron/shared/inventory';
import { call, errorText, useEvent } from '../../api';
import { useAsync } from '../../ui/useAsync';
import { loadAllDevices } from '../quick-connect/allDevices';
import { FleetResults } from './FleetResults';
import { loadSets, saveSets, type SavedSet } from './savedSets';

const key = (d: { fabricId: string; id: string }) => `${d.fabricId.toLowerCase()}|${d.id.toLowerCase()}`;

interface Live { runId?: string; queue?: string; total: number; done: FleetDeviceResult[]; names: string[] }

export function FleetView({ historyAvailable }: { historyAvailable: boolean }) {
  const all = useAsync(() => loadAllDevices(historyAvailable), [historyAvailable]);
  const [query, setQuery] = useState('');
  const [role, setRole] = useState('');
  const [fabric, setFabric] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [commandsText, setCommandsText] = useState('show version');
  const [check, setCheck] = useState<CommandCheck>();
  const [live, setLive] = useState<Live>();
  const [result, setResult] = useState<FleetRunResult>();
  const [error, setError] = useState<string>();
  const [sets, setSets] = useState<SavedSet[]>(loadSets);
  const [setName, setSetName] = useState('');

  const devices = all.value?.devices ?? [];
  const roles = useMemo(() => [...new Set(devices.map((d) => d.device.role))].sort(), [devices]);
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return devices.filter(({ device: d, fabricName }) => (!role || d.role === role) && (!fabric || fabricName === fabric)
      && (!q || [d.name, d.hostName, d.role, d.managementIpv4, d.managementIpv6].some((v) => v?.toLowerCase().includes(q))));
  }, [devices, query, role, fabric]);
  const commands = useMemo(() => commandsText.split('\n').map((c) => c.trim()).filter(Boolean), [commandsText]);
  const chosen = devices.filter((d) => selected.has(key(d.device)));

  useEffect(() => {
    let live = true;
    call('core:fleet.check', { commands }).then((c) => { if (live) setCheck(c); }, (e: unknown) => setError(errorText(e)));
    return () => { live = false; };
  }, [commands]);

  useEvent('ui:fleet', (e) => setLive((cur) => {
    if (e.kind === 'started') return { runId: e.runId, total: e.devices.length, done: [], names: e.devices };
    if (!cur || (cur.runId && cur.runId !== e.runId)) return cur;
    if (e.kind === 'login') return { ...cur, queue: `touch ${e.index} of ${e.total} — ${e.device} via ${e.via}` };
    return { ...cur, done: [...cur.done, e.result] };
  }));

  const toggle = (d: NetworkDevice) => setSelected((s) => {
    const next = new Set(s);
    if (next.has(key(d))) next.delete(key(d)); else next.add(key(d));
    return next;
  });
  const running = live !== undefined && result === undefined;
  const refused = (check?.refusals.length ?? 0) > 0;

  const run = async () => {
    setError(undefined);
    setResult(undefined);
    setLive({ total: chosen.length, done: [], names: [] });
    try {
      setResult(await call('core:fleet.run', {
        devices: chosen.map(({ device }) => ({ fabricId: device.fabricId, deviceId: device.id })), commands,
      }));
    } catch (err) {
      setError(errorText(err));
      setLive(undefined);
    }
  };

  const saveSet = () => {
    const name = setName.trim();
    if (!name) return;
    const next = [...sets.filter((s) => s.name !== name), { name, devices: [...selected] }];
    saveSets(next);
    setSets(next);
    setSetName('');
  };

  return (
    <div className="fleet">
      <section className="panel fleet-pick" aria-labelledby="fleet-devices">
        <h2 id="fleet-devices">Devices <span className="muted small">{chosen.length} chosen</span></h2>
        <div className="filters wrap">
          <input type="search" aria-label="Search devices to run on" placeholder="Search" value={query} onChange={(e) => setQuery(e.target.value)} />
          <select aria-label="Role" value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="">All roles</option>
            {roles.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
          <select aria-label="Fabric" value={fabric} onChange={(e) => setFabric(e.target.value)}>
            <option value="">All fabrics</option>
            {all.value?.fabrics.map((f) => <option key={f.id} value={f.name}>{f.name}</option>)}
          </select>
          <button type="button" onClick={() => setSelected((s) => new Set([...s, ...shown.map((d) => key(d.device))]))}>Choose all shown</button>
          <button type="button" onClick={() => setSelected(new Set())}>Clear</button>
        </div>
        {all.error ? <p className="error" role="alert">{all.error}</p> : null}
        <ul className="fleet-devices" aria-label="Devices to run on" tabIndex={-1}>
          {shown.map(({ device: d, fabricName }) => (
            <li key={key(d)}>
              <label><input type="checkbox" checked={selected.has(key(d))} onChange={() => toggle(d)} />
                <span>{d.name}</span> <span className="mono muted">{d.hostName}</span> <span className="muted small">{d.role} · {fabricName}</span></label>
            </li>
          ))}
        </ul>
        <div className="filters wrap">
          <select aria-label="Saved set" value="" onChange={(e) => {
            const s = sets.find((x) => x.name === e.target.value);
            if (s) setSelected(new Set(s.devices));
          }}>
            <option value="">Saved sets…</option>
            {sets.map((s) => <option key={s.name} value={s.name}>{s.name} ({s.devices.length})</option>)}
          </select>
          <input aria-label="Name for this set" placeholder="Name for this set" value={setName} onChange={(e) => setSetName(e.target.value)} />
          <button type="button" onClick={saveSet} disabled={!setName.trim() || selected.size === 0}>Save set</button>
        </div>
      </section>
      <section className="panel fleet-commands" aria-labelledby="fleet-commands">
        <h2 id="fleet-commands">Read-only commands</h2>
        <label>One show command per line, written out in full
          <textarea rows={4} value={commandsText} onChange={(e) => setCommandsText(e.target.value)} aria-describedby="fleet-rules" spellCheck={false} />
        </label>
        <p id="fleet-rules" className="muted small">Azure&apos;s read-only rules apply whatever your role: no pipes, no configure, no abbreviations,
          nothing ending in tech-support, agent logs, ip route or ip route vrf all.</p>
        {check?.refusals.length ? (
          <ul className="error" role="alert" data-testid="fleet-refusals">
            {check.refusals.map((r) => <li key={r.command}>Refused: <span className="mono">{r.command}</span> — {r.reason}</li>)}
          </ul>
        ) : null}
        <div className="actions">
          {running && live?.runId ? <button type="button" className="danger" onClick={() => void call('core:fleet.stop', { runId: live.runId! })}>Stop</button> : null}
          <button type="button" className="primary" disabled={running || refused || !commands.length || !chosen.length} onClick={() => void run()}>
            {running ? 'Running…' : `Run on ${chosen.length} ${chosen.length === 1 ? 'device' : 'devices'}`}
          </button>
        </div>
        {error ? <p className="error" role="alert" data-testid="fleet-error">{error}</p> : null}
        {running && live ? (
          <div data-testid="fleet-progress">
            <p aria-live="polite" className="fleet-queue">{live.queue ?? 'Planning…'} · {live.done.length} of {live.total} done</p>
            <ul className="fleet-running">
              {live.names.filter((n) => !live.done.some((d) => d.name === n)).map((n) => (
                <li key={n}>{n} <button type="button" onClick={() => void call('core:fleet.skip', { runId: live.runId!, device: n })} aria-label={`Skip ${n}`}>Skip</button></li>
              ))}
            </ul>
          </div>
        ) : null}
      </section>
      {result ? <FleetResults result={result} /> : null}
    </div>
  );
}
