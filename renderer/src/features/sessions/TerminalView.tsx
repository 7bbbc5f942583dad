// One xterm per session: fit, search, web links, WebGL with a DOM fallback; copy/paste with
// Ctrl+Shift+C/V; resize goes to the remote pty. Scrollback survives a reconnect (core writes the divider).
import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import type { SessionInfo } from '../../../../electron/shared/sessions';
import { call } from '../../api';
import { attachOutput } from './outputBus';

const DARK = { background: '#0f1419', foreground: '#d8dee9', cursor: '#88c0d0', selectionBackground: '#3b4252' };
const LIGHT = { background: '#fbfbfd', foreground: '#1f2328', cursor: '#0969da', selectionBackground: '#c8d7f0' };

export function TerminalView({ session, active }: { session: SessionInfo; active: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const termRef = useRef<Terminal | null>(null);
  const [searching, setSearching] = useState(false);
  const [query, setQuery] = useState('');
  const [renderer, setRenderer] = useState<'webgl' | 'dom'>('dom');

  useEffect(() => {
    const node = host.current;
    if (!node) return;
    const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false;
    const term = new Terminal({
      fontFamily: 'ui-monospace, "Cascadia Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace',
      fontSize: 13,
      scrollback: 10_000,
      cursorBlink: true,
      allowProposedApi: true,
      theme: dark ? DARK : LIGHT,
    });
    const fit = new FitAddon();
    const search = new SearchAddon();
    term.loadAddon(fit);
    term.loadAddon(search);
    term.loadAddon(new WebLinksAddon((_event, uri) => { window.open(uri, '_blank', 'noopener'); }));
    term.open(node);
    try {
      const webgl = new WebglAddon();
      webgl.onContextLoss(() => { webgl.dispose(); setRenderer('dom'); });
      term.loadAddon(webgl);
      setRenderer('webgl');
    } catch {
      setRenderer('dom'); // no WebGL (headless, remote desktop, blocked GPU): the DOM renderer works everywhere
    }
    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
      if (e.code === 'KeyC') { void navigator.clipboard?.writeText(term.getSelection()); return false; }
      if (e.code === 'KeyV') {
        void navigator.clipboard?.readText().then((text) => term.paste(text));
        return false;
      }
      if (e.code === 'KeyF') { setSearching(true); return false; }
      return true;
    });
    const input = term.onData((data) => { void call('core:sessions.write', { id: session.id, data }).catch(() => undefined); });
    const resize = term.onResize(({ cols, rows }) => {
      void call('core:sessions.resize', { id: session.id, cols: Math.max(10, cols), rows: Math.max(2, rows) }).catch(() => undefined);
    });
    const detach = attachOutput(session.id, (data) => term.write(data));
    fitRef.current = fit;
    searchRef.current = search;
    termRef.current = term;
    const observer = new ResizeObserver(() => { try { fit.fit(); } catch { /* hidden tab: no size yet */ } });
    observer.observe(node);
    return () => {
      observer.disconnect();
      detach();
      input.dispose();
      resize.dispose();
      term.dispose();
    };
  }, [session.id]); // a terminal lives exactly as long as its session id

  useEffect(() => {
    if (active) {
      try { fitRef.current?.fit(); } catch { /* not laid out yet */ }
      termRef.current?.focus();
    }
  }, [active]);

  return (
    <div className="terminal-wrap" hidden={!active} data-testid={`terminal-${session.id}`} data-renderer={renderer}>
      {searching ? (
        <form className="term-search" role="search" onSubmit={(e) => { e.preventDefault(); searchRef.current?.findNext(query); }}>
          <input aria-label="Search terminal" value={query} autoFocus onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Escape') { setSearching(false); termRef.current?.focus(); } }} />
          <button type="button" onClick={() => searchRef.current?.findPrevious(query)}>Previous</button>
          <button type="submit">Next</button>
          <button type="button" onClick={() => { setSearching(false); termRef.current?.focus(); }}>Close</button>
        </form>
      ) : null}
      <div className="term-host" ref={host} />
    </div>
  );
}
