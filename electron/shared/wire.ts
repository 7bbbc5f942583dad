// Framing between a contract client (Electron main, the browser test host's socket) and core,
// and between core and main for OS services. Plain JSON-able messages over a MessagePort or a
// WebSocket; every receiver parses them with these schemas.
import { z } from 'zod';
import { Reply } from './contract';
import { ElevatedAction } from './keys';

const RequestId = z.number().int().nonnegative();

export const ToCore = z.discriminatedUnion('t', [
  z.object({ t: z.literal('invoke'), id: RequestId, method: z.string().max(64), input: z.unknown().optional() }),
  z.object({ t: z.literal('os-reply'), id: RequestId, reply: Reply }),
]);
export type ToCore = z.infer<typeof ToCore>;

export const OsRequest = z.discriminatedUnion('op', [
  z.object({ op: z.literal('openExternal'), url: z.string().max(4096) }),
  z.object({ op: z.literal('protect'), data: z.string().max(1 << 22) }),
  z.object({ op: z.literal('unprotect'), data: z.string().max(1 << 22) }),
  z.object({ op: z.literal('windowHandle') }),
  z.object({ op: z.literal('relaunchElevated'), action: ElevatedAction }),
  /** Windows' own security-key settings (a fixed page; core names no URI). */
  z.object({ op: z.literal('openKeySettings') }),
  z.object({
    op: z.literal('chooseSaveFile'), title: z.string().max(200),
    /** A bare file name: main puts it in the user's documents folder. */
    defaultName: z.string().min(1).max(255).regex(/^[^/\\]+$/, 'a file name without a folder'),
    filter: z.object({ name: z.string().max(100), extensions: z.array(z.string().regex(/^[a-z0-9]{1,10}$/)).min(1).max(4) }),
  }),
]);
export type OsRequest = z.infer<typeof OsRequest>;

export const FromCore = z.discriminatedUnion('t', [
  z.object({ t: z.literal('reply'), id: RequestId, reply: Reply }),
  z.object({ t: z.literal('event'), event: z.string().max(64), payload: z.unknown().optional() }),
  z.object({ t: z.literal('os'), id: RequestId, request: OsRequest }),
]);
export type FromCore = z.infer<typeof FromCore>;
