// Terminal tabs with session info: chain, path, key, counter, recording. A session that ends says
// so inside its tab, with the next actions (reconnect, the backup path, the v1.5 account); nothing
// a session does reaches the app-level fatal screen. Keyboard: Ctrl+Tab / Ctrl+Shift+Tab,
// Ctrl+1…9, Ctrl+Shift+W (asks first for a live session).
import { useEffect, useState } from 'react';
import type { ConnectRequest } from '../../../../electron/shared/sessions';
import { ErrorCode } from '../../../../electron/shared/error-codes';
import { inertText } from '../../../../electron/shared/inert-text';
import { ApiError, call, errorText } from '../../api';
import { Modal } from '../../ui/Modal';
import { PasteConfirm, type PasteRequest } from './PasteConfirm';
import { TerminalView } from './TerminalView';
import { PasswordSplitNote } from './PasswordSplitNote';
import { clockText, endReason, isLive, type SessionTab } from './tabs';

export interface SessionsPanelProps {
  tabs: SessionTab[];
  activeKey: string | undefined;
  /** Keyboard shortcuts are live (not while the enrollment wizard runs). */
  shortcuts: boolean;
  onSelect: (key: string) => void;
  onChange: (tab: SessionTab) => void;
  onClosed: (key: string) => void;
}

export function SessionsPanel(props: SessionsPanelProps) {
  const { tabs } = props;
  const active = tabs.find((t) => t.key === props.activeKey) ?? tabs[0];
  const [closing, setClosing] = useState<SessionTab>();
  const [paste, setPaste] = useState<PasteRequest>();

  const close = async (tab: SessionTab) => {
    setClosing(undefined);
    try { await call('core:sessions.close', { id: tab.info.id }); } catch { /* already gone (ended, or the core restarted) */ }
    props.onClosed(tab.key);
  };
  const askClose = (tab: SessionTab) => { if (isLive(tab)) setClosing(tab); else void close(tab); };

  useSessionShortcuts(props.shortcuts && !closing && !paste, tabs, active, props.onSelect, askClose);

  if (!active) return <p className="empty">No sessions. Pick a device under Fabrics and connect.</p>;
  const info = active.info;
  const chainText = info.chain.map((h) => `${h.user}@${h.label}`).join(' → ');
  return (
    <div className="sessions">
      <div className="tabs" role="tablist" aria-label="Sessions">
        {tabs.map((t, i) => (
          <div key={t.key} role="tab" tabIndex={t.key === active.key ? 0 : -1} aria-selected={t.key === active.key}
            aria-controls={`terminal-panel-${t.key}`} id={`session-tab-${t.key}`}
            className={`tab ${t.key === active.key ? 'active' : ''} state-${t.info.state}`}
            title={i < 9 ? `Ctrl+${i + 1}` : undefined}
            onClick={() => props.onSelect(t.key)}
            onKeyDown={(e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); props.onSelect(t.key); } }}>
            <span className={`dot dot-${t.info.state}`} aria-hidden="true" />
            <span className="tab-title">{t.info.title}{t.info.drill ? ' (drill)' : ''}</span>
            <span className="sr-only">, {t.info.state}</span>
            <span className="tab-close" aria-hidden="true" title="Close (Ctrl+Shift+W)"
              onClick={(e) => { e.stopPropagation(); askClose(t); }}>×</span>
          </div>
        ))}
      </div>
      <div className="session-info" data-testid="session-info">
        <span title={`Jump chain: ${chainText}`} className="chain">{chainText}</span>
        <span className="badge">{info.path === 'backup' ? 'backup path' : 'primary path'}</span>
        <span className="badge">{info.method === 'v1.5' ? 'v1.5 password' : 'v2.0 key'}</span>
        {info.keyFingerprint ? <span className="mono key-fingerprint" title={`Key ${info.keyFingerprint}`}>{info.keyFingerprint}</span> : null}
        {info.counter !== undefined ? <span title="Signature counter">counter {info.counter}</span> : null}
        {info.kex ? <span className="badge" title={`Key exchange: ${info.kex}`}>{/^(mlkem|sntrup)/.test(info.kex) ? 'post-quantum key exchange' : 'classical key exchange'}</span> : null}
        {info.recording && isLive(active) ? <span className="rec" title="This session is recorded" data-testid="rec"><span className="rec-dot" aria-hidden="true" />REC</span> : null}
        {info.recording && !isLive(active) ? <span className="muted" data-testid="rec-stopped">recording stopped</span> : null}
        <span className="session-status">
          <span className={`state state-${info.state}`} data-testid="session-state">{info.state}{active.detail && isLive(active) ? `: ${inertText(active.detail)}` : ''}</span>
          <button type="button" className="small-button" onClick={() => askClose(active)}>Close session</button>
        </span>
      </div>
      {isLive(active) ? null : <SessionEnded key={`${active.key}-${active.endedAt ?? 0}`} tab={active} onChange={props.onChange} />}
      {tabs.map((t) => (
        <TerminalView key={t.key} tab={t} active={t.key === active.key} onPaste={setPaste} />
      ))}
      {closing ? (
        <Modal title={`Close the session to ${closing.info.title}?`} onEscape={() => setClosing(undefined)} testId="close-confirm">
          <p>The session is {closing.info.state === 'open' ? 'open' : 'still connecting'}. Closing it ends the connection to the device{closing.info.recording ? ' and its recording' : ''}.</p>
          <div className="actions">
            <button type="button" data-autofocus onClick={() => setClosing(undefined)}>Keep open</button>
            <button type="button" className="danger" onClick={() => void close(closing)}>Close session</button>
          </div>
        </Modal>
      ) : null}
      {paste ? <PasteConfirm request={paste} onDone={() => setPaste(undefined)} /> : null}
    </div>
  );
}

/** The ended-session bar inside a tab: why and when, and what to do next. */
function SessionEnded({ tab, onChange }: { tab: SessionTab; onChange: (tab: SessionTab) => void }) {
  const [busy, setBusy] = useState(false);
  const [v15User, setV15User] = useState<string>();
  const failed = tab.info.state === 'failed';
  const { request } = tab;

  const failedWith = (err: unknown) => {
    onChange({ ...tab, info: { ...tab.info, state: 'failed' }, detail: errorText(err), endedAt: Date.now() });
  };
  /** A new session for this tab (another path or method, or after a core restart); the terminal stays. */
  const reopen = async (req: ConnectRequest) => {
    try { await call('core:sessions.close', { id: tab.info.id }); } catch { /* already gone */ }
    const info = await call('core:sessions.open', req);
    onChange({ ...tab, info, request: req, detail: undefined, endedAt: undefined });
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    onChange({ ...tab, info: { ...tab.info, state: 'connecting' }, detail: undefined });
    try { await work(); } catch (err) { failedWith(err); } finally { setBusy(false); }
  };
  const reconnect = () => run(async () => {
    try {
      // Core writes the "reconnected" divider into the stream, so the scrollback above it stays.
      onChange({ ...tab, info: await call('core:sessions.reconnect', { id: tab.info.id }), detail: undefined, endedAt: undefined });
    } catch (err) {
      // The core restarted since (its sessions are gone): the same request opens it again.
      if (err instanceof ApiError && err.code === ErrorCode.SESSION_NOT_FOUND) await reopen(request);
      else throw err;
    }
  });
  const withRequest = (change: Partial<ConnectRequest>) => {
    const req = { ...request, ...change };
    return run(() => reopen(req));
  };

  return (
    <section className={`session-ended ${failed ? 'is-failed' : ''}`} aria-label="Session ended" data-testid="session-ended">
      <p role="status">
        <strong>{failed ? 'Could not connect' : 'Session closed'}</strong>
        {tab.endedAt ? ` at ${clockText(tab.endedAt)}` : ''}: {endReason(tab)}.
        {' '}The scrollback below is kept; typing is off until the session is open again.
      </p>
      <div className="actions start">
        <button type="button" className="primary" disabled={busy} data-autofocus onClick={() => void reconnect()}>{failed ? 'Retry' : 'Reconnect'}</button>
        {request.path === 'primary' && tab.backupAvailable
          ? <button type="button" disabled={busy} onClick={() => void withRequest({ path: 'backup' })}>Try the backup path</button> : null}
        {request.method === 'v2.0' && v15User === undefined
          ? <button type="button" disabled={busy} onClick={() => setV15User('')}>Use the Method D v1.5 account</button> : null}
      </div>
      {v15User !== undefined ? (
        <form className="row" onSubmit={(e) => { e.preventDefault(); if (v15User) void withRequest({ method: 'v1.5', user: v15User }); }}>
          <label>Method D v1.5 account <input value={v15User} autoFocus onChange={(e) => setV15User(e.target.value)} required /></label>
          <button type="submit" className="primary" disabled={busy || !v15User}>Connect with the password</button>
          <button type="button" onClick={() => setV15User(undefined)}>Cancel</button>
        </form>
      ) : null}
      {v15User !== undefined ? <PasswordSplitNote fabricId={request.fabricId} deviceId={request.deviceId} /> : null}
    </section>
  );
}

function useSessionShortcuts(enabled: boolean, tabs: SessionTab[], active: SessionTab | undefined,
  select: (key: string) => void, askClose: (tab: SessionTab) => void): void {
  useEffect(() => {
    if (!enabled) return undefined;
    const onKey = (e: KeyboardEvent) => {
      if (!e.ctrlKey || e.altKey || e.metaKey || tabs.length === 0) return;
      const index = active ? tabs.indexOf(active) : 0;
      let target: SessionTab | undefined;
      if (e.key === 'Tab') target = tabs[(index + (e.shiftKey ? tabs.length - 1 : 1)) % tabs.length];
      else if (!e.shiftKey && /^Digit[1-9]$/.test(e.code)) target = e.code === 'Digit9' ? tabs.at(-1) : tabs[Number(e.code.slice(5)) - 1];
      else if (e.shiftKey && e.code === 'KeyW' && active) {
        e.preventDefault();
        e.stopPropagation();
        askClose(active);
        return;
      } else return;
      e.preventDefault();
      e.stopPropagation();
      if (target) select(target.key);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [enabled, tabs, active, select, askClose]);
}
