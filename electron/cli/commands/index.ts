// Every CLI command, grouped by area in the order `nbg --help` shows them: the key first, then
// Entra and Azure, sessions, practice, evidence. Each area module exports its CommandSpec list.
import type { CommandSpec } from '../command';
import { auditCommands } from './audit';
import { connectCommands } from './connect';
import { azureCommands } from './azure';
import { drillCommands } from './drill';
import { keysCommands } from './keys';
import { sshCommands } from './ssh';

export const commands: CommandSpec[] = [
  ...keysCommands,
  ...azureCommands,
  ...connectCommands,
  ...sshCommands,
  ...drillCommands,
  ...auditCommands,
];
