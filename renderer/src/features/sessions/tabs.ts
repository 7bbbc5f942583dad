// What a session tab knows beyond core's SessionInfo: the request that opened it (so it can be
// opened again on another path or method, or after a core restart), the fabric role shown before a
// paste, and when and why it ended. A tab keeps its key (and its terminal's scrollback) while the
// session behind it is replaced.
import { inertText } from '../../../../electron/shared/inert-text';
import type { AccessRole } from '../../../../electron/shared/inventory';
import type { ConnectRequest, SessionInfo } from '../../../../electron/shared/sessions';

export interface OpenedSession {
  info: SessionInfo;
  request: ConnectRequest;
  role: AccessRole;
  backupAvailable: boolean;
}

export interface SessionTab extends OpenedSession {
  /** Stable for the tab's life: the id of the first session it showed. */
  key: string;
  /** Operator-readable reason for the last state change (failed/closed). */
  detail?: string | undefined;
  /** When the session last ended (closed or failed), epoch ms. */
  endedAt?: number | undefined;
}

export function tabFor(opened: OpenedSession): SessionTab {
  return { ...opened, key: opened.info.id };
}

export const isLive = (tab: SessionTab): boolean => tab.info.state === 'open' || tab.info.state === 'connecting';

/** Why the session ended, in operator words (core's reason when it gave one). */
export function endReason(tab: SessionTab): string {
  if (tab.detail) return inertText(tab.detail).replace(/\.$/, '');
  return tab.info.state === 'failed' ? 'the connection could not be made' : 'the device closed the connection';
}

export function clockText(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}
