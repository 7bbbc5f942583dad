// The app shell: drill banner, header with identity, navigation, the screens, and the prompt layer.
// The fatal screen is only for a core that does not answer at all; a session's failure stays in
// its tab, and a core that was restarted (ui:core) ends the sessions' tabs without closing them.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { AppState } from '../../electron/shared/contract';
import { call, errorText, useEvent } from './api';
import { AuditView } from './features/audit/AuditView';
import { PreflightView } from './features/admin/PreflightView';
import { DrillBanner } from './features/drill/DrillBanner';
import { EnrollWizard } from './features/enroll/EnrollWizard';
import { ElevatedStepView } from './features/keys/ElevatedStepView';
import { FabricsView } from './features/fabrics/FabricsView';
import { FleetView } from './features/fleet-run/FleetView';
import { KeyPanel } from './features/keys/KeyPanel';
import { PromptHost } from './features/prompts/PromptHost';
import { SessionsPanel } from './features/sessions/SessionsPanel';
import { tabFor, type OpenedSession, type SessionTab } from './features/sessions/tabs';
import { isQuickConnectKey, QuickConnect } from './features/quick-connect/QuickConnect';
import { SettingsView } from './features/settings/SettingsView';

type View = 'fabrics' | 'sessions' | 'fleet' | 'key' | 'audit' | 'preflight' | 'settings';
const VIEWS: { id: View; label: string; needs?: string }[] = [
  { id: 'fabrics', label: 'Fabrics', needs: 'core:fabrics.list' },
  { id: 'sessions', label: 'Sessions', needs: 'core:sessions.open' },
  { id: 'fleet', label: 'Fleet run', needs: 'core:fleet.run' },
  { id: 'key', label: 'Key', needs: 'core:keys.state' },
  { id: 'audit', label: 'Audit', needs: 'core:audit.view' },
  { id: 'preflight', label: 'Preflight', needs: 'core:admin.preflight' },
  { id: 'settings', label: 'Settings' },
];

const CORE_RESTARTED = 'The app core stopped and was started again; this session ended with it.';

export function App() {
  const [state, setState] = useState<AppState>();
  const [error, setError] = useState<string>();
  const [view, setView] = useState<View>('fabrics');
  const [enrolling, setEnrolling] = useState(false);
  const [tabs, setTabs] = useState<SessionTab[]>([]);
  const [activeTab, setActiveTab] = useState<string>();
  const mainRef = useRef<HTMLElement>(null);
  const [quickConnect, setQuickConnect] = useState(false);
  // Mounted on first visit and kept, so a running fleet run and its results survive a look elsewhere.
  const [fleetSeen, setFleetSeen] = useState(false);
  useEffect(() => { if (view === 'fleet') setFleetSeen(true); }, [view]);

  const refresh = useCallback(() => call('core:app.state').then((s) => { setError(undefined); setState(s); setEnrolling(s.firstRun); },
    (e: unknown) => setError(errorText(e))), []);
  useEffect(() => { void refresh(); }, [refresh]);
  useEvent('ui:session.state', (e) => {
    const ended = e.state === 'closed' || e.state === 'failed';
    setTabs((all) => all.map((t) => (t.info.id === e.id
      ? { ...t, info: e.info ?? { ...t.info, state: e.state }, detail: e.detail, endedAt: ended ? (t.info.state === e.state ? t.endedAt : Date.now()) : undefined }
      : t)));
  });
  useEvent('ui:core', (e) => {
    setTabs((all) => all.map((t) => (t.info.state === 'open' || t.info.state === 'connecting'
      ? { ...t, info: { ...t.info, state: 'closed' }, detail: CORE_RESTARTED, endedAt: e.restartedAt } : t)));
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

  const opened = (session: OpenedSession) => {
    setQuickConnect(false);
    setTabs((all) => (all.some((t) => t.info.id === session.info.id) ? all : [...all, tabFor(session)]));
    setActiveTab(session.info.id);
    setView('sessions');
  };
  const selectTab = useCallback((key: string) => { setActiveTab(key); setView('sessions'); }, []);
  const changeTab = useCallback((tab: SessionTab) => setTabs((all) => all.map((t) => (t.key === tab.key ? tab : t))), []);
  const closedTab = (key: string) => {
    const at = tabs.findIndex((t) => t.key === key);
    const rest = tabs.filter((t) => t.key !== key);
    setTabs(rest);
    // The neighbour takes over, so focus has somewhere sensible to go.
    if (activeTab === key || activeTab === undefined) setActiveTab(rest[Math.min(at, rest.length - 1)]?.key);
    if (rest.length === 0) focusScreen();
  };

  // Focus starts on the screen, not the page body; a screen change moves it to the new screen.
  const focusScreen = () => requestAnimationFrame(() => {
    const node = mainRef.current;
    if (!node || enrolling) return; // the wizard moves focus through its own steps
    // Never pull focus out of something the operator is already in (a dialog opened meanwhile).
    const current = document.activeElement;
    if (current && current !== document.body && (node.contains(current) || current.closest('[role="dialog"]'))) return;
    const first = view === 'sessions'
      ? node.querySelector<HTMLElement>('.sessions-host .empty')
      : node.querySelector<HTMLElement>('[data-autofocus]:not(:disabled)') ?? node.querySelector<HTMLElement>('h1, h2');
    if (first && !first.matches('[data-autofocus]')) first.tabIndex = -1;
    first?.focus();
  });
  useEffect(() => {
    if (state && (view !== 'sessions' || tabs.length === 0)) focusScreen();
  }, [state, view, enrolling]); // on a screen change only

  if (error) {
    return (
      <div className="fatal" role="alert">
        <p>The app core is not answering: {error}</p>
        <button type="button" className="primary" autoFocus onClick={() => void refresh()}>Try again</button>
      </div>
    );
  }
  if (!state) return <div className="loading" role="status">Starting…</div>;
  if (state.elevatedStep) return <ElevatedStepView step={state.elevatedStep} />;
  const available = (method?: string) => !method || !state.unavailable.includes(method);

  return (
    <div className={`app ${state.drill ? 'is-drill' : ''}`}>
      {state.drill ? <DrillBanner /> : null}
      <header className="header" inert={enrolling ? true : undefined}>
        <span className="brand">Nexus Break-Glass</span>
        <nav aria-label="Main">
          {VIEWS.filter((v) => available(v.needs)).map((v) => (
            <button key={v.id} type="button" className={view === v.id ? 'active' : ''} aria-current={view === v.id ? 'page' : undefined}
              disabled={enrolling} onClick={() => setView(v.id)}>{v.label}{v.id === 'sessions' && tabs.length ? ` (${tabs.length})` : ''}</button>
          ))}
        </nav>
        {canQuickConnect ? <button type="button" className="qc-open" onClick={() => setQuickConnect(true)} aria-keyshortcuts="Control+K">Quick connect (Ctrl+K)</button> : null}
        <span className="identity">{state.identity ? state.identity.userPrincipalName : state.drill ? 'drill operator' : 'not signed in'}</span>
      </header>
      <main className="main" ref={mainRef}>
        {enrolling ? <EnrollWizard drill={state.drill} onDone={() => { setEnrolling(false); void refresh(); }} /> : (
          <>
            {view === 'fabrics' ? <FabricsView onOpened={opened} clustersAvailable={available('core:clusters.list')} historyAvailable={available('core:history.get')} /> : null}
            {fleetSeen ? <div hidden={view !== 'fleet'}><FleetView historyAvailable={available('core:history.get')} /></div> : null}
            {view === 'key' ? <KeyPanel /> : null}
            {view === 'audit' ? <AuditView /> : null}
            {view === 'preflight' ? <PreflightView /> : null}
            {view === 'settings' ? <SettingsView drill={state.drill} fabricsAvailable={available('core:fabrics.list')} /> : null}
          </>
        )}
        <div hidden={view !== 'sessions' || enrolling} className="sessions-host">
          <SessionsPanel tabs={tabs} activeKey={activeTab} shortcuts={!enrolling} onSelect={selectTab}
            onChange={changeTab} onClosed={closedTab} />
        </div>
      </main>
      {quickConnect && canQuickConnect ? (
        <QuickConnect historyAvailable={available('core:history.get')} onOpened={opened} onClose={() => setQuickConnect(false)} />
      ) : null}
      <div className="prompt-layer"><PromptHost /></div>
    </div>
  );
}
