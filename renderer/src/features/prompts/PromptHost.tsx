// The one visible prompt, above everything (Teleport's "important" modal layer). Core decides
// which prompt is visible; this component only shows it and sends the answer or the cancel.
import { useEffect, useState } from 'react';
import type { Prompt, PromptAnswer } from '../../../../electron/shared/prompts';
import { call, errorText, useEvent } from '../../api';
import { secondsLeft } from '../../ui/format';
import { Modal } from '../../ui/Modal';
import { NewPinForm } from '../../ui/NewPinForm';
import { FleetTouchActions, useFleetLogin, type FleetLogin } from '../fleet-run/FleetTouchActions';

export function PromptHost() {
  const [prompt, setPrompt] = useState<Prompt | null>(null);
  const [error, setError] = useState<string>();
  const fleet = useFleetLogin();
  useEvent('ui:prompt', (e) => { setPrompt(e.prompt); setError(undefined); });
  // The operation behind the prompt ended (login timed out, tab closed): its form goes at once.
  useEvent('ui:prompt.closed', (e) => setPrompt((p) => (p?.id === e.id ? null : p)));
  useEffect(() => { call('core:prompt.current').then(setPrompt, () => undefined); }, []);
  if (!prompt) return null;

  const answer = (a: PromptAnswer) => call('core:prompt.answer', { id: prompt.id, answer: a }).catch((e: unknown) => setError(errorText(e)));
  const cancel = () => call('core:prompt.cancel', { id: prompt.id }).catch((e: unknown) => setError(errorText(e)));
  return (
    <PromptView key={prompt.id} prompt={prompt} answer={answer} cancel={cancel} error={error} fleet={fleet} />
  );
}

function Where({ prompt }: { prompt: Prompt }) {
  return (
    <p className="prompt-where" data-testid="prompt-where">
      {prompt.purpose}{prompt.hop ? <> — <strong>{prompt.hop}</strong></> : null}
    </p>
  );
}

function Countdown({ deadline }: { deadline: number }) {
  const [, tick] = useState(0);
  useEffect(() => {
    const t = setInterval(() => tick((n) => n + 1), 1000);
    return () => clearInterval(t);
  }, []);
  return <span className="countdown" aria-live="off">{secondsLeft(deadline)} s</span>;
}

function Queued({ n }: { n: number }) {
  return n > 0 ? <p className="muted">{n} more {n === 1 ? 'request' : 'requests'} waiting after this one.</p> : null;
}

interface ViewProps {
  prompt: Prompt; answer: (a: PromptAnswer) => void; cancel: () => void; error?: string | undefined;
  /** A fleet run's login under way: the touch for that device offers Skip (it) and Stop (the run). */
  fleet?: FleetLogin | undefined;
}

function PromptView({ prompt, answer, cancel, error, fleet }: ViewProps) {
  const footer = (
    <>
      {error ? <p className="error" role="alert">{error}</p> : null}
      <Queued n={prompt.queued} />
    </>
  );
  switch (prompt.kind) {
    case 'pin':
      return <PinPrompt prompt={prompt} answer={answer} cancel={cancel} footer={footer} />;
    case 'touch':
      return (
        // The dialog holds the focus, not Cancel: a reflex Enter must never cancel a touch.
        <Modal title="Touch your security key" onEscape={cancel} testId="prompt-touch" focusDialog>
          <div className="touch-anim" aria-hidden="true"><span /></div>
          <Where prompt={prompt} />
          <p>The key is blinking. Touch its gold contact. <Countdown deadline={prompt.deadline} /></p>
          {fleet && (prompt.hop === fleet.device || prompt.purpose.includes(fleet.device)) ? <FleetTouchActions login={fleet} /> : null}
          {footer}
          <div className="actions"><button type="button" onClick={cancel}>Cancel</button></div>
        </Modal>
      );
    case 'select-key':
      return (
        <Modal title="Choose a security key" onEscape={cancel} testId="prompt-select-key">
          <Where prompt={prompt} />
          <ul className="choices">
            {prompt.choices.map((c) => (
              <li key={c.id}><button type="button" onClick={() => answer({ kind: 'select-key', keyId: c.id })}>{c.label}</button></li>
            ))}
          </ul>
          {footer}
          <div className="actions"><button type="button" onClick={cancel}>Cancel</button></div>
        </Modal>
      );
    case 'host-key':
      return prompt.mismatch ? (
        <Modal title="Host key changed — connection stopped" tone="danger" testId="prompt-host-key-mismatch">
          <Where prompt={prompt} />
          <p><strong>{prompt.host}:{prompt.port}</strong> presented a different {prompt.keyType} key than the one on record.
            This can mean someone is intercepting the connection. The app will not connect.</p>
          <dl className="kv">
            <dt>Presented</dt><dd className="mono">{prompt.fingerprint}</dd>
            <dt>On record</dt><dd className="mono">{prompt.mismatch.expected.join(', ')}</dd>
            <dt>Recorded in</dt><dd className="mono">{prompt.mismatch.source}</dd>
          </dl>
          <p>Verify the device&apos;s key out of band (console or the fabric team) before you change the record.</p>
          {footer}
          <div className="actions">
            <button type="button" className="danger" data-autofocus onClick={() => answer({ kind: 'host-key', decision: 'acknowledge' })}>Stop</button>
          </div>
        </Modal>
      ) : (
        <Modal title="New host key" onEscape={cancel} testId="prompt-host-key">
          <Where prompt={prompt} />
          <p>First connection to <strong>{prompt.host}:{prompt.port}</strong>. Compare this fingerprint with the one your team publishes:</p>
          <p className="mono fingerprint">{prompt.keyType} {prompt.fingerprint}</p>
          {footer}
          <div className="actions">
            <button type="button" onClick={() => answer({ kind: 'host-key', decision: 'refuse' })}>Refuse</button>
            <button type="button" onClick={() => answer({ kind: 'host-key', decision: 'trust-once' })}>Trust once</button>
            <button type="button" className="primary" onClick={() => answer({ kind: 'host-key', decision: 'trust-always' })}>Trust and remember</button>
          </div>
        </Modal>
      );
    case 'confirm-sign':
      return (
        <Modal title="Allow a signature?" onEscape={cancel} testId="prompt-confirm-sign">
          <Where prompt={prompt} />
          <p>{prompt.origin} asks your key <span className="mono">{prompt.keyFingerprint}</span> to sign.</p>
          {footer}
          <div className="actions">
            <button type="button" onClick={() => answer({ kind: 'confirm-sign', approve: false })}>Deny</button>
            <button type="button" className="primary" onClick={() => answer({ kind: 'confirm-sign', approve: true })}>Allow</button>
          </div>
        </Modal>
      );
    case 'overwrite-key':
    case 'confirm':
      return (
        <Modal title={prompt.kind === 'overwrite-key' ? 'Replace the existing key?' : 'Please confirm'} onEscape={cancel} testId={`prompt-${prompt.kind}`}>
          <Where prompt={prompt} />
          <p>{prompt.message}</p>
          {footer}
          <div className="actions">
            <button type="button" onClick={() => answer({ kind: prompt.kind, approve: false })}>No</button>
            <button type="button" className={prompt.kind === 'overwrite-key' ? 'danger' : 'primary'}
              onClick={() => answer({ kind: prompt.kind, approve: true })}>{prompt.kind === 'overwrite-key' ? 'Replace' : 'Yes'}</button>
          </div>
        </Modal>
      );
    case 'password':
      return <PasswordPrompt prompt={prompt} answer={answer} cancel={cancel} footer={footer} />;
    case 'new-pin':
      return (
        <Modal title="New PIN for the security key" onEscape={cancel} testId="prompt-new-pin">
          <Where prompt={prompt} />
          <NewPinForm submitLabel="Set PIN" onSubmit={(pin) => answer({ kind: 'new-pin', pin })}
            actions={<button type="button" onClick={cancel}>Cancel</button>}>
            <p>At least 4 characters; 6 or more is better. It goes only to the key.</p>
            {footer}
          </NewPinForm>
        </Modal>
      );
  }
}

function PinPrompt({ prompt, answer, cancel, footer }: { prompt: Extract<Prompt, { kind: 'pin' }>; answer: ViewProps['answer']; cancel: () => void; footer: React.ReactNode }) {
  const [pin, setPin] = useState('');
  const blocked = prompt.retriesLeft === 0;
  return (
    <Modal title="Security key PIN" onEscape={cancel} testId="prompt-pin">
      <Where prompt={prompt} />
      {blocked ? (
        <p className="error" role="alert">This key&apos;s PIN is blocked (no retries left). It must be reset, which erases its keys.</p>
      ) : (
        <form onSubmit={(e) => { e.preventDefault(); if (pin.length >= 4) { answer({ kind: 'pin', pin }); setPin(''); } }}>
          {prompt.previousWrong ? <p className="error" role="alert">Wrong PIN.</p> : null}
          <p className={prompt.retriesLeft <= 3 ? 'warn' : 'muted'} data-testid="pin-retries">
            {prompt.retriesLeft} {prompt.retriesLeft === 1 ? 'try' : 'tries'} left before the key locks.
          </p>
          <label>PIN <input type="password" autoComplete="off" minLength={4} maxLength={63} value={pin}
            onChange={(e) => setPin(e.target.value)} aria-label="PIN" data-autofocus /></label>
          {footer}
          <div className="actions">
            <button type="button" onClick={cancel}>Cancel</button>
            <button type="submit" className="primary" disabled={pin.length < 4}>Continue</button>
          </div>
        </form>
      )}
      {blocked ? <div className="actions"><button type="button" onClick={cancel}>Close</button></div> : null}
    </Modal>
  );
}

function PasswordPrompt({ prompt, answer, cancel, footer }: { prompt: Extract<Prompt, { kind: 'password' }>; answer: ViewProps['answer']; cancel: () => void; footer: React.ReactNode }) {
  const [password, setPassword] = useState('');
  return (
    <Modal title="Password (Method D v1.5)" onEscape={cancel} testId="prompt-password">
      <Where prompt={prompt} />
      <form onSubmit={(e) => { e.preventDefault(); if (password) { answer({ kind: 'password', password }); setPassword(''); } }}>
        <p>{prompt.user}@{prompt.host}: {prompt.prompt}</p>
        <label>Password <input type="password" autoComplete="off" value={password} onChange={(e) => setPassword(e.target.value)} aria-label="Password" data-autofocus /></label>
        {footer}
        <div className="actions">
          <button type="button" onClick={cancel}>Cancel</button>
          <button type="submit" className="primary" disabled={!password}>Sign in</button>
        </div>
      </form>
    </Modal>
  );
}
