// Host names and addresses as Azure reports them (device hostName, management and OAM addresses)
// pass the boundary check before anything else sees them: a value that is not an IPv4 address, an
// IPv6 address (prefix length stripped) or a DNS name is dropped with a warning that names the
// resource, never the value, so it cannot reach known_hosts or an ssh connection.
import { checkHost } from '../../shared/host-address';

export type HostWarning = (message: string) => void;

/** An address from Azure ("2F::1/100" → "2F::1"), or null when absent or refused. */
export function azureAddress(value: string | null | undefined, what: string, warn: HostWarning): string | null {
  if (!value || value.trim() === '') return null;
  const c = checkHost(value);
  if (c.ok && c.kind !== 'dns') return c.host;
  warn(`${what}: the address from Azure ${c.ok ? 'is a name, not an address' : c.reason}; ignored`);
  return null;
}

/** A host name from Azure, or '' when absent or refused. */
export function azureHostName(value: string | null | undefined, what: string, warn: HostWarning): string {
  if (!value || value.trim() === '') return '';
  const c = checkHost(value);
  if (c.ok) return c.host;
  warn(`${what}: the host name from Azure ${c.reason}; ignored`);
  return '';
}
