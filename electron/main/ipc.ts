// Renderer → core IPC: one ipcMain handler per contract method. Each call must come from the app's
// own main frame (VS Code's validateEvent) and parse with the method's input schema before it is
// forwarded; core parses it again.
import { describeIssues, methodNames, methods, type MethodName, type Reply } from '../shared/contract';
import { ErrorCode } from '../shared/error-codes';
import { isAppUrl } from './security';

export interface SenderFrame { url: string; parent: unknown }
export interface IpcEventSlice { senderFrame: SenderFrame | null }
export interface IpcMainSlice {
  handle(channel: string, listener: (event: IpcEventSlice, input: unknown) => Promise<Reply>): void;
  removeHandler(channel: string): void;
}

export function isTrustedSender(frame: SenderFrame | null): boolean {
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

export type Forward = (method: MethodName, input: unknown) => Promise<Reply>;

/** Registers every contract method; returns the function that removes them. */
export function registerContractIpc(ipcMain: IpcMainSlice, forward: Forward): () => void {
  for (const method of methodNames) {
    ipcMain.handle(method, async (event, input) => {
      if (!isTrustedSender(event.senderFrame)) {
        return { ok: false, error: { code: ErrorCode.IPC_UNTRUSTED_SENDER, message: 'Refused a call from outside the app window.' } };
      }
      const parsed = methods[method].input.safeParse(input);
      if (!parsed.success) {
        return { ok: false, error: { code: ErrorCode.CONTRACT_BAD_INPUT, message: `${method}: ${describeIssues(parsed.error)}` } };
      }
      return forward(method, parsed.data);
    });
  }
  return () => methodNames.forEach((m) => ipcMain.removeHandler(m));
}
