// The app shell: drill banner, header with identity, navigation, the screens, and the prompt layer.
import { useCallback, useEffect, useState } from 'react';
import type { AppState } from '../../electron/shared/contract';
import type { SessionInfo } from '../../electron/shared/sessions';
import { call, errorText, useEvent } from './api';
import { AuditView } from './features/audit/AuditView';
import { DrillBanner } from './features/drill/DrillBanner';
import { EnrollWizard } from './features/enroll/EnrollWizard';
import { ElevatedStepView } from './features/keys/ElevatedStepView';
import { FabricsView } from './features/fabrics/FabricsView';
import { FleetView } from './features/fleet-run/FleetView';
import { KeyPanel } from './features/keys/KeyPanel';
import { PromptHost } from './features/prompts/PromptHost';
import { isQuickConnectKey, QuickConnect } from './features/quick-connect/QuickConnect';
import { SessionsPanel, type SessionTab } from './features/sessions/SessionsPanel';
import { SettingsView } from './features/settings/SettingsView';

type View = 'fabrics' | 'sessions' | 'fleet' | 'key' | 'audit' | 'settings';
const VIEWS: { id: View; label: string; needs?: string }[] = [
  { id: 'fabrics', label: 'Fabrics', needs: 'core:fabrics.list' },
  { id: 'sessions', label: 'Sessions', needs: 'core:sessions.open' },
  { id: 'fleet', label: 'Fleet run', needs: 'core:fleet.run' },
  { id: 'key', label: 'Key', needs: 'core:keys.state' },
  { id: 'audit', label: 'Audit', needs: 'core:audit.view' },
  { id: 'settings', label: 'Settings' },
];

export function App() {
  const [state, setState] = useState<AppState>();
  const [error, setError] = useState<string>();
  const [view, setView] = useState<View>('fabrics');
  const [enrolling, setEnrolling] = useState(false);
  const [tabs, setTabs] = useState<SessionTab[]>([]);
  const [activeTab, setActiveTab] = useState<string>();
  const [quickConnect, setQuickConnect] = useState(false);
  // Mounted on first visit and kept, so a running fleet run and its results survive a look elsewhere.
  const [fleetSeen, setFleetSeen] = useState(false);
  useEffect(() => { if (view === 'fleet') setFleetSeen(true); }, [view]);

  const refresh = useCallback(() => call('core:app.state').then((s) => { setState(s); setEnrolling(s.firstRun); }, (e: unknown) => setError(errorText(e))), []);
  useEffect(() => { void refresh(); }, [refresh]);
  useEvent('ui:session.state', (e) => {
    setTabs((all) => all.map((t) => (t.info.id === e.id ? { info: e.info ?? { ...t.info, state: e.state }, detail: e.detail } : t)));
  });

  const canQuickConnect = !!state && !enrolling && !state.elevatedStep &&
    !state.unavailable.includes('core:fabrics.list') && !state.unavailable.includes('core:sessions.open');
  useEffect(() => {
    if (!canQuickConnect) return undefined;
    const onKey = (e: KeyboardEvent) => {
      if (!isQuickConnectKey(e)) return;
      e.preventDefault();
      e.stopPropagation();
      setQuickConnect(true);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [canQuickConnect]);

  const opened = (info: SessionInfo) => {
    setQuickConnect(false);
    setTabs((all) => (all.some((t) => t.info.id === info.id) ? all : [...all, { info }]));
    setActiveTab(info.id);
    setView('sessions');
  };

  if (error) return <div className="fatal" role="alert">The app core is not answering: {error}</div>;
  if (!state) return <div className="loading">Starting…</div>;
  if (state.elevatedStep) return <ElevatedStepView step={state.elevatedStep} />;
  const available = (method?: string) => !method || !state.unavailable.includes(method);

  return (
    <div className={`app ${state.drill ? 'is-drill' : ''}`}>
      {state.drill ? <DrillBanner /> : null}
      <header className="header">
        <span className="brand">Nexus Break-Glass</span>
        <nav aria-label="Main">
          {VIEWS.filter((v) => available(v.needs)).map((v) => (
            <button key={v.id} type="button" className={view === v.id ? 'active' : ''} aria-current={view === v.id ? 'page' : undefined}
              onClick={() => setView(v.id)}>{v.label}{v.id === 'sessions' && tabs.length ? ` (${tabs.length})` : ''}</button>
          ))}
        </nav>
        {canQuickConnect ? <button type="button" className="qc-open" onClick={() => setQuickConnect(true)} aria-keyshortcuts="Control+K">Quick connect (Ctrl+K)</button> : null}
        <span className="identity">{state.identity ? state.identity.userPrincipalName : state.drill ? 'drill operator' : 'not signed in'}</span>
      </header>
      <main className="main">
        {enrolling ? <EnrollWizard drill={state.drill} onDone={() => { setEnrolling(false); void refresh(); }} /> : (
          <>
            {view === 'fabrics' ? <FabricsView onOpened={opened} clustersAvailable={available('core:clusters.list')} historyAvailable={available('core:history.get')} /> : null}
            {fleetSeen ? <div hidden={view !== 'fleet'}><FleetView historyAvailable={available('core:history.get')} /></div> : null}
            {view === 'key' ? <KeyPanel /> : null}
            {view === 'audit' ? <AuditView /> : null}
            {view === 'settings' ? <SettingsView drill={state.drill} fabricsAvailable={available('core:fabrics.list')} /> : null}
          </>
        )}
        <div hidden={view !== 'sessions' || enrolling} className="sessions-host">
          <SessionsPanel tabs={tabs} activeId={activeTab} onSelect={setActiveTab}
            onClosed={(id) => setTabs((all) => all.filter((t) => t.info.id !== id))}
            onUpdate={(info) => setTabs((all) => all.map((t) => (t.info.id === info.id ? { info } : t)))}
            onError={setError} />
        </div>
      </main>
      {quickConnect && canQuickConnect ? (
        <QuickConnect historyAvailable={available('core:history.get')} onOpened={opened} onClose={() => setQuickConnect(false)} />
      ) : null}
      <div className="prompt-layer"><PromptHost /></div>
    </div>
  );
}
