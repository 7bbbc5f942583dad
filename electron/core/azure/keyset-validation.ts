// Checks a keyset (BMM or BMC, see keyset-kinds.ts) before it is sent, so the operator sees every
// problem at once instead of a 400 per attempt. Rules from the NetworkCloud spec and docs; the
// one-year cap is unverified server-side behaviour we enforce ourselves.
import { isIP } from 'node:net';
import { errorMessage } from '../../../native/errors';
import { parsePublicKeyLine } from '../../../native/sk/publickey';
import { AzureValidationError } from './errors';
import { BMM_KEYSETS, type KeysetKind } from './keyset-kinds';

export const KEYSET_NAME = /^([a-zA-Z0-9][a-zA-Z0-9-_]{0,28}[a-zA-Z0-9])$/;
export const OS_GROUP_NAME = /^([A-Za-z]([A-Za-z0-9]*))$/;
const OS_GROUP_MAX = 32;
const DESCRIPTION_MAX = 256;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UPN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const USER_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,31}$/;
const ONE_YEAR_MS = 366 * 86_400_000;

export interface KeysetUser {
  azureUserName: string;
  userPrincipalName: string;
  /** One OpenSSH public key line. */
  sshPublicKey: string;
  description?: string;
}

export interface KeysetSpec {
  name: string;
  /** Entra group object id; every user must be a member. Create-only. */
  azureGroupId: string;
  /** ISO 8601 date-time (UTC). */
  expiration: string;
  /** BMM keysets only (at least one); a BMC keyset takes none. */
  jumpHostsAllowed: string[];
  /** One of the kind's privilege levels. */
  privilegeLevel: string;
  privilegeLevelName?: string;
  osGroupName?: string;
  users: KeysetUser[];
}

/** What PATCH may change; everything else is create-only. `users` replaces the whole list. */
export interface KeysetUpdate {
  expiration?: string;
  jumpHostsAllowed?: string[];
  users?: KeysetUser[];
}

function checkExpiration(value: string, now: Date, problems: string[]): void {
  const t = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(t)) problems.push(`expiration "${value}" is not an ISO 8601 date-time`);
  else if (t <= now.getTime()) problems.push(`expiration ${value} is in the past`);
  else if (t - now.getTime() > ONE_YEAR_MS) problems.push(`expiration ${value} is more than one year away`);
}

function checkJumpHosts(hosts: string[], problems: string[]): void {
  if (hosts.length === 0) problems.push('at least one jump host IP is required');
  for (const h of hosts) if (isIP(h) === 0) problems.push(`jump host "${h}" is not an IPv4 or IPv6 address`);
}

function checkUsers(users: KeysetUser[], problems: string[]): void {
  if (users.length === 0) problems.push('the user list is empty');
  const seen = new Set<string>();
  for (const [i, u] of users.entries()) {
    const who = `user ${i + 1} (${u.azureUserName || 'no name'})`;
    if (!USER_NAME.test(u.azureUserName)) problems.push(`${who}: azureUserName must be 1-32 letters, digits, ".", "_" or "-"`);
    if (seen.has(u.azureUserName)) problems.push(`${who}: azureUserName appears twice`);
    seen.add(u.azureUserName);
    if (!u.userPrincipalName) problems.push(`${who}: userPrincipalName is required (a user without one invalidates the whole keyset)`);
    else if (!UPN.test(u.userPrincipalName)) problems.push(`${who}: userPrincipalName "${u.userPrincipalName}" is not a UPN`);
    if ((u.description ?? '').length > DESCRIPTION_MAX) problems.push(`${who}: description is longer than ${DESCRIPTION_MAX} characters`);
    if (/[\r\n]./.test(u.sshPublicKey.trimEnd())) problems.push(`${who}: sshPublicKey must be a single line`);
    else {
      try {
        parsePublicKeyLine(u.sshPublicKey);
      } catch (err) {
        problems.push(`${who}: sshPublicKey is not a valid OpenSSH public key line (${errorMessage(err)})`);
      }
    }
  }
}

/** The fields only BMM keysets have: jump hosts, a named "Other" privilege and an OS group. */
function checkMachineAccess(spec: KeysetSpec, problems: string[]): void {
  checkJumpHosts(spec.jumpHostsAllowed, problems);
  if (spec.privilegeLevel === 'Other' && !spec.privilegeLevelName) problems.push('privilegeLevel Other needs privilegeLevelName');
  if (spec.privilegeLevel !== 'Other' && spec.privilegeLevelName) problems.push('privilegeLevelName is only allowed with privilegeLevel Other');
  if (spec.osGroupName !== undefined && (!OS_GROUP_NAME.test(spec.osGroupName) || spec.osGroupName.length > OS_GROUP_MAX)) {
    problems.push(`osGroupName "${spec.osGroupName}" must start with a letter, contain only letters and digits, and be at most ${OS_GROUP_MAX} long`);
  }
}

function refuseMachineAccess(kind: KeysetKind, fields: { jumpHostsAllowed?: string[]; privilegeLevelName?: string; osGroupName?: string }, problems: string[]): void {
  const given = [
    fields.jumpHostsAllowed?.length ? 'jump hosts' : '', fields.privilegeLevelName !== undefined ? 'privilegeLevelName' : '', fields.osGroupName !== undefined ? 'osGroupName' : '',
  ].filter(Boolean);
  if (given.length) problems.push(`a ${kind.noun} has no ${given.join(', ')} (those belong to BMM keysets)`);
}

export function validateKeysetSpec(spec: KeysetSpec, now: Date, kind: KeysetKind = BMM_KEYSETS): void {
  const problems: string[] = [];
  if (!KEYSET_NAME.test(spec.name)) problems.push(`name "${spec.name}" must be 2-30 letters, digits, "-" or "_", starting and ending with a letter or digit`);
  if (!GUID.test(spec.azureGroupId)) problems.push(`azureGroupId "${spec.azureGroupId}" is not a group object id (GUID)`);
  checkExpiration(spec.expiration, now, problems);
  if (!kind.privilegeLevels.includes(spec.privilegeLevel)) problems.push(`privilegeLevel of a ${kind.noun} must be one of ${kind.privilegeLevels.join(', ')}`);
  if (kind.machineAccess) checkMachineAccess(spec, problems);
  else refuseMachineAccess(kind, spec, problems);
  checkUsers(spec.users, problems);
  if (problems.length) throw new AzureValidationError(problems);
}

export function validateKeysetUpdate(update: KeysetUpdate & Record<string, unknown>, now: Date, kind: KeysetKind = BMM_KEYSETS): void {
  const problems: string[] = [];
  const patchable: readonly string[] = kind.patchable;
  const createOnly = Object.keys(update).filter((k) => !patchable.includes(k) && !(k === 'jumpHostsAllowed' && !kind.machineAccess));
  if (createOnly.length) problems.push(`${createOnly.join(', ')} can only be set when the keyset is created (delete and recreate to change)`);
  if (!kind.machineAccess) refuseMachineAccess(kind, update, problems);
  if (update.expiration === undefined && update.jumpHostsAllowed === undefined && update.users === undefined) problems.push('nothing to update');
  if (update.expiration !== undefined) checkExpiration(update.expiration, now, problems);
  if (update.jumpHostsAllowed !== undefined && kind.machineAccess) checkJumpHosts(update.jumpHostsAllowed, problems);
  if (update.users !== undefined) checkUsers(update.users, problems);
  if (problems.length) throw new AzureValidationError(problems);
}
