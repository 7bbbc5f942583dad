// One xterm per session tab: fit, search, web links, WebGL with a DOM fallback; the theme follows
// the OS colour scheme live. Copy and paste as in Windows Terminal: Ctrl+C copies when there is a
// selection, Ctrl+Shift+C/V, a right-click menu; Ctrl+= / Ctrl+- / Ctrl+0 zoom. A paste is one
// paste per gesture, bracketed when the device asked for it (xterm answers DECSET 2004), and a
// multi-line paste is confirmed first. The terminal stays while the session behind the tab is
// replaced (reconnect, another path): scrollback is kept, and an ended session prints why and when
// and takes no input.
import { useEffect, useRef, useState } from 'react';
import { Terminal, type ITheme } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { call } from '../../api';
import { drawnCounter } from './flowControl';
import { attachOutput } from './outputBus';
import { pastedLines, type PasteRequest } from './PasteConfirm';
import { clockText, endReason, isLive, type SessionTab } from './tabs';

const DARK: ITheme = { background: '#0f1419', foreground: '#d8dee9', cursor: '#88c0d0', selectionBackground: '#3b4252' };
const LIGHT: ITheme = { background: '#fbfbfd', foreground: '#1f2328', cursor: '#0969da', selectionBackground: '#c8d7f0' };
const DARK_SCHEME = '(prefers-color-scheme: dark)';
const FONT_SIZE = 13;
const FONT_MIN = 8;
const FONT_MAX = 32;
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

interface MenuAt { x: number; y: number }

export function TerminalView({ tab, active, onPaste }: { tab: SessionTab; active: boolean; onPaste: (p: PasteRequest) => void }) {
  const host = useRef<HTMLDivElement>(null);
  const fitRef = useRef<FitAddon | null>(null);
  const searchRef = useRef<SearchAddon | null>(null);
  const termRef = useRef<Terminal | null>(null);
  const [searching, setSearching] = useState(false);
  const [query, setQuery] = useState('');
  const [menu, setMenu] = useState<MenuAt>();
  const [renderer, setRenderer] = useState<'webgl' | 'dom'>('dom');
  const [fontSize, setFontSize] = useState(FONT_SIZE);
  const [dark, setDark] = useState(false);
  // What the long-lived handlers read: the current session, whether it takes input, and the paste gate.
  const live = useRef({ id: tab.info.id, open: tab.info.state === 'open', tab, onPaste });
  live.current = { id: tab.info.id, open: tab.info.state === 'open', tab, onPaste };

  /** Text from the clipboard or a drop goes to the device once, after a confirmation when it has several lines. */
  const paste = (text: string) => {
    const term = termRef.current;
    const now = live.current;
    if (!term || !text || !now.open) return;
    if (pastedLines(text).length <= 1) { term.paste(text); return; }
    now.onPaste({ text, device: now.tab.info.title, role: now.tab.role, send: () => { term.paste(text); term.focus(); } });
  };
  const pasteRef = useRef(paste);
  pasteRef.current = paste;
  const copy = (term: Terminal) => { const text = term.getSelection(); if (text) void navigator.clipboard?.writeText(text); };
  const readClipboard = () => { void navigator.clipboard?.readText().then((text) => pasteRef.current(text), () => undefined); };

  useEffect(() => {
    const node = host.current;
    if (!node) return undefined;
    const scheme = window.matchMedia?.(DARK_SCHEME);
    const term = new Terminal({
      fontFamily: 'ui-monospace, "Cascadia Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace',
      fontSize: FONT_SIZE,
      scrollback: 10_000,
      cursorBlink: true,
      allowProposedApi: true,
      theme: scheme?.matches ? DARK : LIGHT,
    });
    setDark(scheme?.matches ?? false);
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
    const zoom = (size: number) => {
      term.options.fontSize = Math.min(FONT_MAX, Math.max(FONT_MIN, size));
      setFontSize(term.options.fontSize);
      try { fit.fit(); } catch { /* hidden */ }
    };
    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== 'keydown' || !e.ctrlKey || e.altKey || e.metaKey) return true;
      const stop = () => { e.preventDefault(); return false; };
      if (e.code === 'KeyC' && (e.shiftKey || term.hasSelection())) { copy(term); if (!e.shiftKey) term.clearSelection(); return stop(); }
      // The keydown's default would also fire a native paste: one gesture, one paste.
      if (e.shiftKey && e.code === 'KeyV') { readClipboard(); return stop(); }
      if (e.shiftKey && e.code === 'KeyF') { setSearching(true); return stop(); }
      if (!e.shiftKey && (e.key === '=' || e.key === '+')) { zoom((term.options.fontSize ?? FONT_SIZE) + 1); return stop(); }
      if (!e.shiftKey && e.key === '-') { zoom((term.options.fontSize ?? FONT_SIZE) - 1); return stop(); }
      if (!e.shiftKey && e.key === '0') { zoom(FONT_SIZE); return stop(); }
      return true;
    });
    // Every other paste (menu, middle click, drop) comes here once, before xterm's own handler.
    const onNativePaste = (e: ClipboardEvent) => {
      e.preventDefault();
      e.stopImmediatePropagation();
      pasteRef.current(e.clipboardData?.getData('text/plain') ?? '');
    };
    node.addEventListener('paste', onNativePaste, true);
    const input = term.onData((data) => {
      if (!live.current.open) return;
      void call('core:sessions.write', { id: live.current.id, data }).catch(() => undefined);
    });
    const resize = term.onResize(({ cols, rows }) => {
      void call('core:sessions.resize', { id: live.current.id, cols: Math.max(10, cols), rows: Math.max(2, rows) }).catch(() => undefined);
    });
    const followScheme = (e: MediaQueryListEvent) => { term.options.theme = e.matches ? DARK : LIGHT; setDark(e.matches); };
    scheme?.addEventListener('change', followScheme);
    fitRef.current = fit;
    searchRef.current = search;
    termRef.current = term;
    const observer = new ResizeObserver(() => { try { fit.fit(); } catch { /* hidden tab: no size yet */ } });
    observer.observe(node);
    return () => {
      observer.disconnect();
      scheme?.removeEventListener('change', followScheme);
      node.removeEventListener('paste', onNativePaste, true);
      input.dispose();
      resize.dispose();
      term.dispose();
    };
  }, []); // a terminal lives exactly as long as its tab

  // Output of the session currently behind the tab.
  useEffect(() => {
    const id = tab.info.id;
    const drawn = drawnCounter((chars) => { void call('core:sessions.ack', { id, chars }).catch(() => undefined); });
    return attachOutput(id, (data) => termRef.current?.write(data, () => drawn(data.length)));
  }, [tab.info.id]);

  // An ended session says why and when in the terminal itself, and stops taking input.
  const state = tab.info.state;
  const ended = !isLive(tab);
  const said = useRef<string | undefined>(undefined);
  useEffect(() => {
    const term = termRef.current;
    if (!term) return;
    term.options.cursorBlink = !ended;
    term.options.disableStdin = state !== 'open';
    const mark = `${tab.info.id}:${tab.endedAt ?? ''}`;
    if (ended && said.current !== mark) {
      said.current = mark;
      const what = state === 'failed' ? 'could not connect' : 'session closed';
      const when = clockText(tab.endedAt ?? Date.now());
      term.write(`\r\n\x1b[7m ${what} at ${when}: ${endReason(tab)} \x1b[0m\r\n${HIDE_CURSOR}`);
    } else if (!ended && said.current !== undefined) {
      term.write(SHOW_CURSOR);
    }
  }, [ended, state, tab.info.id, tab.endedAt, tab.detail]);

  useEffect(() => {
    if (active) {
      try { fitRef.current?.fit(); } catch { /* not laid out yet */ }
      if (!ended) termRef.current?.focus();
    }
  }, [active, ended]);

  const menuRef = useRef<HTMLDivElement>(null);
  useEffect(() => { if (menu) menuRef.current?.querySelector<HTMLElement>('[role="menuitem"]:not(:disabled)')?.focus(); }, [menu]);
  const closeMenu = (refocus = true) => { setMenu(undefined); if (refocus) termRef.current?.focus(); };
  const menuItems: { label: string; run: () => void; disabled?: boolean }[] = [
    { label: 'Copy', run: () => { if (termRef.current) copy(termRef.current); }, disabled: !termRef.current?.hasSelection() },
    { label: 'Paste', run: readClipboard, disabled: state !== 'open' },
    { label: 'Select all', run: () => termRef.current?.selectAll() },
    { label: 'Find', run: () => setSearching(true) },
  ];

  return (
    <div className="terminal-wrap" hidden={!active} data-testid={`terminal-${tab.key}`} data-session={tab.info.id}
      data-renderer={renderer} data-font-size={fontSize} data-theme={dark ? 'dark' : 'light'} data-input={state === 'open' ? 'on' : 'off'} id={`terminal-panel-${tab.key}`}
      role="tabpanel" aria-labelledby={`session-tab-${tab.key}`}>
      {searching ? (
        <form className="term-search" role="search" onSubmit={(e) => { e.preventDefault(); searchRef.current?.findNext(query); }}>
          <input aria-label="Search terminal" value={query} autoFocus onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => { if (e.key === 'Escape') { setSearching(false); termRef.current?.focus(); } }} />
          <button type="button" onClick={() => searchRef.current?.findPrevious(query)}>Previous</button>
          <button type="submit">Next</button>
          <button type="button" onClick={() => { setSearching(false); termRef.current?.focus(); }}>Close</button>
        </form>
      ) : null}
      <div className="term-host" ref={host} onContextMenu={(e) => { e.preventDefault(); setMenu({ x: e.clientX, y: e.clientY }); }} />
      {menu ? <div className="context-menu-scrim" aria-hidden="true" onClick={() => closeMenu()} /> : null}
      {menu ? (
        <div className="context-menu" role="menu" aria-label="Terminal" style={{ left: menu.x, top: menu.y }} data-testid="terminal-menu"
          ref={menuRef} onKeyDown={(e) => menuKeys(e, () => closeMenu())}>
          {menuItems.map((item) => (
            <button key={item.label} type="button" role="menuitem" disabled={item.disabled}
              onClick={() => { closeMenu(item.label !== 'Find'); item.run(); }}>{item.label}</button>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** Up/Down move through the menu, Escape closes it. */
function menuKeys(e: React.KeyboardEvent<HTMLDivElement>, close: () => void): void {
  if (e.key === 'Escape') { e.preventDefault(); close(); return; }
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  e.preventDefault();
  const items = [...e.currentTarget.querySelectorAll<HTMLElement>('[role="menuitem"]:not(:disabled)')];
  const at = items.indexOf(document.activeElement as HTMLElement);
  items[(at + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
}
