// The elevated copy of the app (Windows, started through UAC): one key step, its prompts, how it
// ended, and Close. The window's exit code tells the operator's app whether the step succeeded.
import { useEffect, useRef, useState } from 'react';
import type { ElevatedStep, StepOutcome } from '../../../../electron/shared/keys';
import { call, errorText } from '../../api';
import { PromptHost } from '../prompts/PromptHost';

type Result = { ok: true; outcome: StepOutcome } | { ok: false; error: string };

export function ElevatedStepView({ step }: { step: ElevatedStep }) {
  const [result, setResult] = useState<Result>();
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    call('core:step.run').then((outcome) => setResult({ ok: true, outcome }), (err: unknown) => setResult({ ok: false, error: errorText(err) }));
  }, []);
  return (
    <div className="elevated-step" data-testid="elevated-step">
      <p className="elevated-banner" role="note">Running one step as Administrator: {step.text}</p>
      <main className="elevated-body">
        {!result ? (
          <p role="status">Follow the prompts. Only this step runs with Administrator rights; everything else stays in your Nexus Break-Glass window.</p>
        ) : (
          <section data-testid="step-outcome" data-outcome={result.ok ? 'done' : 'failed'}>
            <h2 className={result.ok ? 'ok' : 'error'}>{result.ok ? 'Done' : 'This step did not succeed'}</h2>
            <p role="status">{result.ok ? result.outcome.message : result.error}</p>
            {result.ok && result.outcome.details.length ? (
              <ul className="small mono">{result.outcome.details.map((d) => <li key={d}>{d}</li>)}</ul>
            ) : null}
            <p className="muted">Close this window to go back to Nexus Break-Glass{result.ok ? ', which picks up the result' : ''}.</p>
            <div className="actions"><button type="button" className="primary" data-autofocus onClick={() => window.close()}>Close</button></div>
          </section>
        )}
      </main>
      <div className="prompt-layer"><PromptHost /></div>
    </div>
  );
}
