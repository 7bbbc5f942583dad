// Every CLI command, grouped by area. Each area module exports its CommandSpec list.
import type { CommandSpec } from '../command';

export const commands: CommandSpec[] = [];
