// Every CLI command, grouped by area. Each area module exports its CommandSpec list.
import type { CommandSpec } from '../command';
import { auditCommands } from './audit';
import { drillCommands } from './drill';
import { azureCommands } from './azure';
import { keysCommands } from './keys';
import { sshCommands } from './ssh';

export const commands: CommandSpec[] = [
  ...auditCommands,
  ...drillCommands,
  ...azureCommands,
  ...keysCommands,
  ...sshCommands,
];
