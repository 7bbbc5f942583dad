import type { HidDeviceInfo } from './connection';
import { listFidoDevices, nodeHidLister } from './discovery';

export interface DeviceChange {
  added: HidDeviceInfo[];
  removed: HidDeviceInfo[];
  current: HidDeviceInfo[];
}

export interface WatchOptions {
  /** The keys present now (a KeySource's list); default: USB FIDO devices through node-hid. */
  list?: () => Promise<HidDeviceInfo[]>;
  onChange: (change: DeviceChange) => void;
  /** Listing failed (e.g. node-hid unusable): required, so such a failure never reads as "no key". */
  onError: (err: unknown) => void;
  /** First and post-change poll interval. */
  minIntervalMs?: number;
  /** Interval reached by doubling while nothing changes (enumeration is costly: never tight). */
  maxIntervalMs?: number;
  signal?: AbortSignal;
}

const DEFAULT_MIN_INTERVAL_MS = 1000;
const DEFAULT_MAX_INTERVAL_MS = 4000;

/**
 * Plug/unplug notice by a slow poll with back-off. node-hid has no hotplug events and the
 * optional `usb` package is not a dependency; a 1 s → 4 s poll of devicesAsync() (off the main
 * thread) notices a key within seconds without burning CPU. `poke()` polls at once and resets
 * the schedule, e.g. when a window gains focus or a prompt asks for a key.
 */
export class FidoDeviceWatcher {
  private known = new Map<string, HidDeviceInfo>();
  private timer: NodeJS.Timeout | undefined;
  private interval: number;
  private stopped = false;
  private polling: Promise<void> | undefined;
  private readonly list: () => Promise<HidDeviceInfo[]>;
  private readonly minInterval: number;
  private readonly maxInterval: number;

  constructor(private readonly opts: WatchOptions) {
    this.list = opts.list ?? (() => listFidoDevices(nodeHidLister));
    this.minInterval = opts.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
    this.maxInterval = Math.max(this.minInterval, opts.maxIntervalMs ?? DEFAULT_MAX_INTERVAL_MS);
    this.interval = this.minInterval;
    opts.signal?.addEventListener('abort', () => this.stop(), { once: true });
  }

  start(): this {
    void this.poke();
    return this;
  }

  /** Poll now (coalesced with a poll already running); a change found resets the back-off. */
  poke(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = undefined;
      this.schedule();
    });
    return this.polling;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  get currentInterval(): number {
    return this.interval;
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.poke(), this.interval);
    this.timer.unref();
  }

  private async pollOnce(): Promise<void> {
    let current: HidDeviceInfo[];
    try {
      current = await this.list();
    } catch (err) {
      this.interval = this.maxInterval;
      this.opts.onError(err);
      return;
    }
    if (this.stopped) return;
    const next = new Map(current.map((d) => [d.path, d]));
    const added = current.filter((d) => !this.known.has(d.path));
    const removed = [...this.known.values()].filter((d) => !next.has(d.path));
    this.known = next;
    if (added.length || removed.length) {
      this.interval = this.minInterval;
      this.opts.onChange({ added, removed, current });
    } else {
      this.interval = Math.min(this.interval * 2, this.maxInterval);
    }
  }
}
