// Shared set-up for the Azure integration tests: a fake Azure plus services built the way the
// app builds them, with tokens minted by the fake's identity provider.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAzureContext, type AzureContext } from '../../electron/core/azure/context';
import type { RetryPolicy } from '../../electron/core/azure/http';
import type { PollLimits } from '../../electron/core/azure/long-running';
import { createTransport } from '../../electron/core/net/transport';
import { FakeAzure } from './fake-azure/server';
import { loadFixtureTenant } from './fake-azure/tenants';

export interface Harness {
  fake: FakeAzure;
  home: string;
  /** Waits the HTTP layer asked for, in ms (the sleep itself is shortened to 1 ms). */
  waits: number[];
  context(opts?: { policy?: Partial<RetryPolicy>; pollLimits?: PollLimits }): Promise<AzureContext>;
  /** Back to the spec-example tenant with no faults, an empty request log and no recorded waits. */
  resetTenant(): void;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const fake = await FakeAzure.start();
  const home = mkdtempSync(path.join(os.tmpdir(), 'nbg-azure-it-'));
  const waits: number[] = [];
  return {
    fake, home, waits,
    context: (opts = {}) => createAzureContext({
      env: { ...fake.env(), NBG_GRAPH_TOKEN: fake.idp.mint('graph'), NBG_ARM_TOKEN: fake.idp.mint('arm') },
      appHome: home,
      transport: createTransport({ extraCaPem: fake.caPem }),
      tokenSource: 'env',
      sleep: async (ms) => { waits.push(ms); await new Promise((r) => setTimeout(r, 1)); },
      ...opts,
    }),
    resetTenant: () => {
      fake.arm.resources.clear();
      loadFixtureTenant(fake);
      fake.faults = [];
      fake.log.length = 0;
      waits.length = 0;
    },
    close: async () => {
      await fake.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
