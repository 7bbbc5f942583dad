// A modal dialog: focus moves in on open (to the [data-autofocus] control, else the first field or
// button, or to the dialog itself when `focusDialog` is set) and is kept inside; Escape runs
// onEscape; on close, focus goes back to where it was. Each dialog has its own title id, so two
// open dialogs (a prompt over the connect dialog) are each named by their own title.
import { useEffect, useId, useRef, type ReactNode } from 'react';

export function Modal(props: {
  title: string; children: ReactNode; onEscape?: (() => void) | undefined; tone?: 'danger' | 'normal'; testId?: string;
  /** Focus the dialog, not a button: for a dialog whose only button must not take a reflex Enter. */
  focusDialog?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    return () => {
      // Back where the operator was, unless that is gone or focus already moved on somewhere real.
      const now = document.activeElement;
      if (before?.isConnected && (!now || now === document.body || !now.isConnected)) before.focus();
    };
  }, []);
  useEffect(() => {
    const node = ref.current;
    const first = props.focusDialog ? node : node?.querySelector<HTMLElement>('[data-autofocus], input, button');
    first?.focus();
  }, [props.title, props.focusDialog]);
  return (
    <div className="modal-backdrop">
      <div
        ref={ref}
        className={`modal ${props.tone === 'danger' ? 'modal-danger' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        data-testid={props.testId}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && props.onEscape) { e.preventDefault(); e.stopPropagation(); props.onEscape(); }
          if (e.key === 'Tab') trapFocus(e, ref.current);
        }}
      >
        <h2 id={titleId}>{props.title}</h2>
        {props.children}
      </div>
    </div>
  );
}

function trapFocus(e: React.KeyboardEvent, node: HTMLElement | null): void {
  if (!node) return;
  const items = [...node.querySelectorAll<HTMLElement>('button, input, select, textarea, [tabindex="0"]')].filter((el) => !el.hasAttribute('disabled'));
  const first = items[0];
  const last = items[items.length - 1];
  if (!first || !last) return;
  if (e.shiftKey && (document.activeElement === first || document.activeElement === node)) { e.preventDefault(); last.focus(); }
  else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
}
