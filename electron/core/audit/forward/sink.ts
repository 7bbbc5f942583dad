// A destination for audit records. send() resolves only once the batch is handed over as far as
// the protocol can say (HTTP 2xx, or a TLS stream flushed and closed); anything else throws and
// the batch stays queued.
import type { ForwardRecord } from './record';

export interface ForwardSink {
  /** "syslog", "azure-monitor", "webhook": names the sink's cursor too. */
  readonly name: string;
  send(records: ForwardRecord[]): Promise<void>;
}
