// The replay of one recorded session: in view and focused when it opens, titled by the device and
// the time, with play/pause, speed and seek over a read-only terminal.
import { useEffect, useMemo, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import type { Recording } from '../../../../electron/shared/audit';

/** Output and resizes on the replay clock: idle gaps longer than 1 s are shortened to 1 s. */
interface Frame { at: number; type: 'o' | 'r'; data: string }

function framesOf(recording: Recording): Frame[] {
  const frames: Frame[] = [];
  let last = 0;
  let at = 0;
  for (const [time, type, data] of recording.events) {
    at += Math.min(1, Math.max(0, time - last));
    last = time;
    if (type === 'o' || type === 'r') frames.push({ at, type, data });
  }
  return frames;
}

const SPEEDS = [1, 2, 4, 8] as const;
const TICK_MS = 50;

/** A player for one recording: play/pause, speed, seek, in a read-only terminal. */
export function ReplayPlayer({ recording, title, onClose }: { recording: Recording; title: string; onClose: () => void }) {
  const host = useRef<HTMLDivElement>(null);
  const area = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const term = useRef<Terminal | undefined>(undefined);
  const shown = useRef(0);
  const frames = useMemo(() => framesOf(recording), [recording]);
  const duration = frames.at(-1)?.at ?? 0;
  const [position, setPosition] = useState(0);
  const [playing, setPlaying] = useState(true);
  const [speed, setSpeed] = useState<number>(1);

  useEffect(() => {
    if (!host.current) return;
    const t = new Terminal({ cols: recording.width, rows: recording.height, disableStdin: true, scrollback: 5000 });
    t.open(host.current);
    term.current = t;
    shown.current = 0;
    heading.current?.focus({ preventScroll: true });
    area.current?.scrollIntoView({ block: 'start' });
    return () => { t.dispose(); term.current = undefined; };
  }, [recording]);

  // Bring the terminal to `position`: forward by writing the frames in between, backward by replaying from the start.
  useEffect(() => {
    const t = term.current;
    if (!t) return;
    if (frames[shown.current - 1] && (frames[shown.current - 1]?.at ?? 0) > position) {
      t.reset();
      t.resize(recording.width, recording.height);
      shown.current = 0;
    }
    while (shown.current < frames.length && (frames[shown.current]?.at ?? Infinity) <= position) {
      const f = frames[shown.current++] as Frame;
      if (f.type === 'o') t.write(f.data);
      else {
        const [cols, rows] = f.data.split('x').map(Number);
        if (cols && rows) t.resize(cols, rows);
      }
    }
  }, [position, frames, recording]);

  useEffect(() => {
    if (!playing) return undefined;
    const timer = setInterval(() => {
      setPosition((p) => {
        const next = Math.min(duration, p + (TICK_MS / 1000) * speed);
        if (next >= duration) setPlaying(false);
        return next;
      });
    }, TICK_MS);
    return () => clearInterval(timer);
  }, [playing, speed, duration]);

  const clock = (s: number) => `${Math.floor(s / 60)}:${(s % 60).toFixed(1).padStart(4, '0')}`;
  return (
    <section ref={area} className="replay" aria-label="Recording replay">
      <div className="row-between">
        <h3 ref={heading} tabIndex={-1}>{title}</h3>
        <button type="button" onClick={onClose}>Close</button>
      </div>
      <div className="row replay-controls">
        <button type="button" onClick={() => {
          if (!playing && position >= duration) setPosition(0);
          setPlaying(!playing);
        }}>{playing ? 'Pause' : 'Play'}</button>
        <label>Speed{' '}
          <select value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {SPEEDS.map((s) => <option key={s} value={s}>{s}×</option>)}
          </select>
        </label>
        <label className="grow">Position{' '}
          <input type="range" min={0} max={duration} step="any" value={position}
            aria-valuetext={`${clock(position)} of ${clock(duration)}`}
            onChange={(e) => setPosition(Number(e.target.value))} />
        </label>
        <span className="small" data-testid="replay-clock">{clock(position)} / {clock(duration)}</span>
      </div>
      <div ref={host} className="term-host replay-term" />
    </section>
  );
}
