// First run: detect the key (or choose), set a PIN if none, create the key (PIN + touch prompts come
// from core), sign in, upload, and readiness all green.
import { useEffect, useRef, useState } from 'react';
import type { KeyDevice, Readiness, SshKeyInfo } from '../../../../electron/shared/keys';
import { call, errorText, useEvent } from '../../api';
import { NewPinForm } from '../../ui/NewPinForm';
import { ProgressLine } from '../../ui/ProgressLine';
import { ReadinessList } from '../keys/KeyPanel';

type Step = 'detect' | 'pin' | 'create' | 'signin' | 'upload' | 'ready';
const STEPS: { id: Step; label: string }[] = [
  { id: 'detect', label: 'Detect key' }, { id: 'pin', label: 'PIN' }, { id: 'create', label: 'Create key' },
  { id: 'signin', label: 'Sign in' }, { id: 'upload', label: 'Upload' }, { id: 'ready', label: 'Ready' },
];

export function EnrollWizard({ drill, onDone }: { drill: boolean; onDone: () => void }) {
  const [step, setStep] = useState<Step>('detect');
  const [devices, setDevices] = useState<KeyDevice[]>([]);
  const [deviceId, setDeviceId] = useState<string>();
  const [key, setKey] = useState<SshKeyInfo>();
  const [readiness, setReadiness] = useState<Readiness>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const device = devices.find((d) => d.id === deviceId) ?? (devices.length === 1 ? devices[0] : undefined);
  const root = useRef<HTMLDivElement>(null);
  // Each step starts with focus on its primary control (the heading while that is not usable yet).
  const ready = Boolean(device) && !busy;
  const shownStep = useRef(step);
  useEffect(() => {
    const node = root.current;
    const current = document.activeElement;
    const newStep = shownStep.current !== step;
    shownStep.current = step;
    if (!node || (current && node.contains(current) && current.matches('input'))) return;
    // Within a step, a prompt (PIN, touch) that opened meanwhile keeps the focus it took.
    if (!newStep && current?.closest('[role="dialog"]')) return;
    const target = node.querySelector<HTMLElement>('[data-autofocus]:not(:disabled)') ?? node.querySelector<HTMLElement>('h1');
    target?.focus();
  }, [step, ready, readiness]);

  useEffect(() => { call('core:keys.state').then((s) => setDevices(s.devices), (e: unknown) => setError(errorText(e))); }, []);
  useEvent('ui:keys', (s) => setDevices(s.devices));

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try { await work(); } catch (err) { setError(errorText(err)); } finally { setBusy(false); }
  };

  return (
    <div className="wizard" data-testid="enroll-wizard" ref={root}>
      <h1 tabIndex={-1}>Set up your security key</h1>
      <ol className="steps" aria-label="Steps">
        {STEPS.map((s) => <li key={s.id} className={s.id === step ? 'current' : ''} aria-current={s.id === step ? 'step' : undefined}>{s.label}</li>)}
      </ol>
      {error ? <p className="error" role="alert" data-testid="wizard-error">{error}</p> : null}
      <ProgressLine />

      {step === 'detect' ? (
        <section>
          {devices.length === 0 ? <p>Plug in your security key (YubiKey 5 series, firmware 5.2.3 or later).</p> : null}
          {devices.length > 1 ? <p>Several keys are connected. Choose the one to use:</p> : null}
          <ul className="choices">
            {devices.map((d) => (
              <li key={d.id}>
                <label><input type="radio" name="device" checked={device?.id === d.id} onChange={() => setDeviceId(d.id)} />
                  {' '}{d.label}{d.firmware ? ` (firmware ${d.firmware})` : ''}{d.pinSet === false ? ' — no PIN yet' : ''}</label>
              </li>
            ))}
          </ul>
          <div className="actions">
            <button type="button" className="primary" disabled={!device} data-autofocus
              onClick={() => setStep(device?.pinSet === false ? 'pin' : 'create')}>Continue</button>
          </div>
        </section>
      ) : null}

      {step === 'pin' && device ? (
        <NewPinForm submitLabel="Set PIN" busy={busy} onSubmit={(pin) => run(async () => {
          await call('core:keys.setPin', { deviceId: device.id, pin });
          setStep('create');
        })}>
          <p>This key has no PIN yet. Choose one (at least 4 characters; 6 or more is better). It never leaves this computer except to the key.</p>
        </NewPinForm>
      ) : null}

      {step === 'create' ? (
        <section>
          <p>The app creates a resident <span className="mono">ed25519-sk</span> key on {device?.label ?? 'your key'} that requires your PIN and a touch
            (the same as <span className="mono">ssh-keygen -t ed25519-sk -O resident -O verify-required</span>).{' '}{device?.transport === 'webauthn' ? 'Windows Security will ask for your PIN (or to set one up) and for a touch.' : 'You will be asked for the PIN, then to touch the key.'}</p>
          <div className="actions">
            <button type="button" onClick={() => run(async () => { setKey(await call('core:keys.importResident', device ? { deviceId: device.id } : {})); setStep(drill ? 'upload' : 'signin'); })} disabled={busy}>
              Import an existing resident key</button>
            <button type="button" className="primary" disabled={busy} data-autofocus
              onClick={() => run(async () => { setKey(await call('core:keys.enroll', device ? { deviceId: device.id } : {})); setStep(drill ? 'upload' : 'signin'); })}>
              {busy ? 'Creating…' : 'Create key'}</button>
          </div>
        </section>
      ) : null}

      {key && step !== 'create' ? <p className="small">Key written: <span className="mono">{key.path}</span> <span className="mono">{key.fingerprint}</span></p> : null}

      {step === 'signin' ? (
        <section>
          <p>Sign in with your Entra account in the browser window that opens.</p>
          <div className="actions"><button type="button" className="primary" disabled={busy} data-autofocus
            onClick={() => run(async () => { await call('core:auth.signIn'); setStep('upload'); })}>Sign in</button></div>
        </section>
      ) : null}

      {step === 'upload' ? (
        <section>
          <p>{drill ? 'Drill mode: the key is registered with the simulated fabric instead of Entra.' : 'Upload the public key to your Entra account (com.nexusidentity.keys) so Nexus provisions it to the fabric devices.'}</p>
          <div className="actions"><button type="button" className="primary" disabled={busy} data-autofocus
            onClick={() => run(async () => { setReadiness(await call('core:keys.upload')); setStep('ready'); })}>Upload</button></div>
        </section>
      ) : null}

      {step === 'ready' && readiness ? (
        <section>
          <ReadinessList readiness={readiness} />
          <div className="actions"><button type="button" className="primary" onClick={onDone} data-autofocus>Done</button></div>
        </section>
      ) : null}
    </div>
  );
}
