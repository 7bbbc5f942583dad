// Every CLI command, grouped by area. Each area module exports its CommandSpec list.
import type { CommandSpec } from '../command';
import { auditCommands } from './audit';
import { azureCommands } from './azure';

export const commands: CommandSpec[] = [
  ...auditCommands,
  ...azureCommands,
];
