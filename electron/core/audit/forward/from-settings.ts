// The sinks the settings name, built with what they need from the rest of core.
import { promises as fs } from 'node:fs';
import type { AuditForwardSettings } from '../../../shared/settings';
import type { Transport } from '../../net/transport';
import { logsIngestionSink } from './logs-ingestion-sink';
import type { ForwardSink } from './sink';
import { syslogTlsSink } from './syslog-sink';
import { webhookSink } from './webhook-sink';

export interface SinkDeps {
  transport: Transport;
  monitorToken: () => Promise<string>;
  /** The webhook's HMAC secret from the key store, base64. */
  webhookSecret: () => Promise<string | undefined>;
  warn: (message: string) => void;
}

export async function sinksFromSettings(config: AuditForwardSettings, deps: SinkDeps): Promise<ForwardSink[]> {
  const sinks: ForwardSink[] = [];
  if (config.syslog) {
    const { host, port, caFile } = config.syslog;
    sinks.push(syslogTlsSink({ host, port, ...(caFile ? { caPem: await fs.readFile(caFile, 'utf8') } : {}) }));
  }
  if (config.azureMonitor) {
    const { endpoint, ruleId, stream } = config.azureMonitor;
    sinks.push(logsIngestionSink({ endpoint, ruleId, stream, transport: deps.transport, token: deps.monitorToken }));
  }
  if (config.webhook) {
    const secret = await deps.webhookSecret();
    if (secret) sinks.push(webhookSink({ url: config.webhook.url, secret: Buffer.from(secret, 'base64'), transport: deps.transport }));
    else deps.warn('the audit webhook is not used: its secret is not in the key store (nbg audit forward --webhook-secret-stdin)');
  }
  return sinks;
}
