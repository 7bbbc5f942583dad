// RFC 5424 syslog messages, octet-counted as RFC 5425 (syslog over TLS, section 4.3) frames them:
// "MSG-LEN SP SYSLOG-MSG". Header fields are printable US-ASCII of bounded length (RFC 5424
// section 6); the free text is UTF-8 with a BOM, control characters made inert.
import type { ForwardRecord } from './record';

/** RFC 5424 section 6.2.1: facility 10 is security/authorization (authpriv). */
const FACILITY_AUTHPRIV = 10;
const SEVERITY = { critical: 2, warning: 4, notice: 5, informational: 6 } as const;
/** RFC 5424 section 7.2.2: 32473 is the private enterprise number reserved for documentation (RFC 5612). */
export const SD_ID = 'nbg@32473';
const APP_NAME = 'nbg';
const NILVALUE = '-';
const BOM = '\u{FEFF}';
const MAX = { hostname: 255, appName: 48, procId: 128, msgId: 32 } as const;

function severityOf(r: ForwardRecord): number {
  if (r.Kind === 'checkpoint') return SEVERITY.informational;
  if (r.EventType === 'log-integrity') return SEVERITY.critical;
  return r.Outcome === 'ok' ? SEVERITY.notice : SEVERITY.warning;
}

/** PRINTUSASCII (%d33-126) only, bounded; NILVALUE when nothing is left. */
function header(value: string, max: number): string {
  const v = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return v || NILVALUE;
}

/** SD-PARAM values escape '"', '\' and ']' (RFC 5424 section 6.3.3). */
function paramValue(value: string): string {
  return inert(value).replace(/["\\\]]/g, (c) => `\\${c}`);
}

function inert(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function syslogMessage(r: ForwardRecord, procId: string): string {
  const pri = FACILITY_AUTHPRIV * 8 + severityOf(r);
  const params: [string, string | number][] = [
    ['id', r.EventId], ['seq', r.Seq], ['kind', r.Kind], ['type', r.EventType], ['outcome', r.Outcome],
    ['operator', r.Operator], ['device', r.Device], ['hash', r.ChainHash], ['mac', r.ChainMac],
  ];
  const sd = `[${SD_ID}${params.filter(([, v]) => v !== '').map(([k, v]) => ` ${k}="${paramValue(String(v))}"`).join('')}]`;
  return `<${pri}>1 ${r.TimeGenerated} ${header(r.Computer, MAX.hostname)} ${APP_NAME} ${header(procId, MAX.procId)} ${header(r.EventType, MAX.msgId)} ${sd} ${BOM}${inert(r.Text)}`;
}

/** RFC 5425 section 4.3: octet counting; MSG-LEN counts the bytes of the UTF-8 message. */
export function octetCounted(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
