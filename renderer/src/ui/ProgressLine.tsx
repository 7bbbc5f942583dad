// The latest ui:progress line: where a step handed to the elevated window (Windows) stands.
import { useState } from 'react';
import type { Progress } from '../../../electron/shared/contract';
import { useEvent } from '../api';

export function ProgressLine() {
  const [progress, setProgress] = useState<Progress>();
  useEvent('ui:progress', setProgress);
  if (!progress) return null;
  return <p role="status" className={progress.done ? 'progress-line' : 'progress-line warn'} data-testid="progress-line">{progress.step}</p>;
}
