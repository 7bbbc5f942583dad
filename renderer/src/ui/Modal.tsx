// A modal dialog: focus moves in on open and is kept inside; Escape runs onEscape.
import { useEffect, useRef, type ReactNode } from 'react';

export function Modal(props: { title: string; children: ReactNode; onEscape?: () => void; tone?: 'danger' | 'normal'; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const node = ref.current;
    const first = node?.querySelector<HTMLElement>('[data-autofocus], input, button');
    first?.focus();
  }, [props.title]);
  return (
    <div className="modal-backdrop">
      <div
        ref={ref}
        className={`modal ${props.tone === 'danger' ? 'modal-danger' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby="modal-title"
        data-testid={props.testId}
        onKeyDown={(e) => {
          if (e.key === 'Escape' && props.onEscape) { e.preventDefault(); props.onEscape(); }
          if (e.key === 'Tab') trapFocus(e, ref.current);
        }}
      >
        <h2 id="modal-title">{props.title}</h2>
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
  if (e.shiftKey && document.activeElement === first) { e.preventDefault(); last.focus(); }
  else if (!e.shiftKey && document.activeElement === last) { e.preventDefault(); first.focus(); }
}
