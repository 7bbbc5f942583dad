// A paste of more than one line runs as many commands on the device: show them, the device and
// the role first, and send only when the operator says so.
import type { AccessRole } from '../../../../electron/shared/inventory';
import { inertText } from '../../../../electron/shared/inert-text';
import { Modal } from '../../ui/Modal';

export interface PasteRequest {
  text: string;
  device: string;
  role: AccessRole;
  send: () => void;
}

export function pastedLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export function PasteConfirm({ request, onDone }: { request: PasteRequest; onDone: () => void }) {
  const lines = pastedLines(request.text);
  return (
    <Modal title={`Paste ${lines.length} lines into ${request.device}?`} onEscape={onDone} testId="paste-confirm">
      <p>Each line runs as a command on <strong>{request.device}</strong>{' '}
        {request.role === 'Writer'
          ? <span className="badge role-writer">Writer — these commands can change the configuration</span>
          : <span className="badge role-reader">Reader</span>}</p>
      <ol className="paste-lines mono" data-testid="paste-lines">
        {lines.map((line, i) => <li key={i}>{inertText(line) || '\u00a0'}</li>)}
      </ol>
      <div className="actions">
        {/* The safe choice has the focus: a reflex Enter does not run commands on a device. */}
        <button type="button" data-autofocus onClick={onDone}>Don&apos;t paste</button>
        <button type="button" className="primary" onClick={() => { onDone(); request.send(); }}>Paste {lines.length} lines</button>
      </div>
    </Modal>
  );
}
