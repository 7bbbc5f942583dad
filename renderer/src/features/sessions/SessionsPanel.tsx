// Terminal tabs with session info: chain, path, key, counter, recording, reconnect.
import type { SessionInfo } from '../../../../electron/shared/sessions';
import { call, errorText } from '../../api';
import { TerminalView } from './TerminalView';

export interface SessionTab { info: SessionInfo; detail?: string | undefined }

export function SessionsPanel(props: {
  tabs: SessionTab[]; activeId: string | undefined; onSelect: (id: string) => void;
  onClosed: (id: string) => void; onUpdate: (info: SessionInfo) => void; onError: (text: string) => void;
}) {
  const active = props.tabs.find((t) => t.info.id === props.activeId) ?? props.tabs[0];
  if (!active) return <p className="empty">No sessions. Pick a device under Fabrics and connect.</p>;

  // Core writes the "reconnected" divider into the stream, so the scrollback above it stays.
  const reconnect = async (id: string) => {
    try { props.onUpdate(await call('core:sessions.reconnect', { id })); } catch (err) { props.onError(errorText(err)); }
  };
  const close = async (id: string) => {
    try { await call('core:sessions.close', { id }); } catch { /* already gone */ }
    props.onClosed(id);
  };
  const info = active.info;
  return (
    <div className="sessions">
      <div className="tabs" role="tablist" aria-label="Sessions">
        {props.tabs.map((t) => (
          <div key={t.info.id} className={`tab ${t.info.id === info.id ? 'active' : ''} state-${t.info.state}`}>
            <button type="button" role="tab" aria-selected={t.info.id === info.id} onClick={() => props.onSelect(t.info.id)}>
              <span className={`dot dot-${t.info.state}`} aria-hidden="true" />
              {t.info.title}{t.info.drill ? ' (drill)' : ''}
            </button>
            <button type="button" className="tab-close" aria-label={`Close ${t.info.title}`} onClick={() => void close(t.info.id)}>×</button>
          </div>
        ))}
      </div>
      <div className="session-info" data-testid="session-info">
        <span title="Jump chain">{info.chain.map((h) => `${h.user}@${h.label}`).join(' → ')}</span>
        <span className="badge">{info.path === 'backup' ? 'backup path' : 'primary path'}</span>
        <span className="badge">{info.method === 'v1.5' ? 'v1.5 password' : 'v2.0 key'}</span>
        {info.keyFingerprint ? <span className="mono" title="Key">{info.keyFingerprint}</span> : null}
        {info.counter !== undefined ? <span title="Signature counter">counter {info.counter}</span> : null}
        {info.kex ? <span className="badge" title={`Key exchange: ${info.kex}`}>{/^(mlkem|sntrup)/.test(info.kex) ? 'post-quantum key exchange' : 'classical key exchange'}</span> : null}
        {info.recording ? <span className="rec" title="This session is recorded"><span className="rec-dot" aria-hidden="true" />REC</span> : null}
        <span className={`state state-${info.state}`} data-testid="session-state">{info.state}{active.detail ? `: ${active.detail}` : ''}</span>
        {info.state === 'closed' || info.state === 'failed'
          ? <button type="button" onClick={() => void reconnect(info.id)}>Reconnect</button> : null}
      </div>
      {props.tabs.map((t) => (
        <TerminalView key={t.info.id} session={t.info} active={t.info.id === info.id} />
      ))}
    </div>
  );
}
