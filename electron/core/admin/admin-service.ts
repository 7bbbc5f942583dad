// The app's admin page: the Method D v2.0 preflight over the app's Azure context (the signed-in
// account's ARM and Graph tokens), built on first use.
import type { AzureContext } from '../azure/context';
import type { PreflightReport } from '../../shared/admin';
import { Preflight } from './preflight';

export interface AdminService {
  preflight(subscriptions: string[]): Promise<PreflightReport>;
}

export function adminService(azure: () => Promise<AzureContext>): AdminService {
  return {
    async preflight(subscriptions) {
      const ctx = await azure();
      return new Preflight(ctx.http, ctx.endpoints).run(subscriptions.length ? { subscriptions } : {});
    },
  };
}
