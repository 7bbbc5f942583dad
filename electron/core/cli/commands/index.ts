// Every CLI command, grouped by area. Each area module exports its CommandSpec list.
import type { CommandSpec } from '../command';
import { auditCommands } from './audit';
import { drillCommands } from './drill';
import { azureCommands } from './azure';

export const commands: CommandSpec[] = [
  ...auditCommands,
  ...drillCommands,
  ...azureCommands,
];
