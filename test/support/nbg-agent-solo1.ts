// `nbg agent` (its command code, serveAgent) in a child process whose security key is the solo1
// at NBG_TEST_SOLO1_PORT: the USB key source swapped for the UDP one, everything else as shipped.
// Takes the same arguments as `nbg agent`, after the word `agent`, so startNbgAgent can run it.
import { parseArgs } from 'node:util';
import { serveAgent } from '../../electron/cli/commands/agent';
import { solo1KeySource } from './solo1';

const port = Number(process.env.NBG_TEST_SOLO1_PORT);
if (!Number.isInteger(port) || port <= 0) throw new Error('NBG_TEST_SOLO1_PORT must name the UDP port of a running solo1');
const { values } = parseArgs({
  args: process.argv.slice(3),
  options: { dir: { type: 'string' }, 'pin-stdin': { type: 'boolean' }, socket: { type: 'string' } },
});
const stop = new AbortController();
process.once('SIGTERM', () => stop.abort());
process.once('SIGINT', () => stop.abort());
const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env };
process.exitCode = await serveAgent(io, values, stop.signal, { keySource: solo1KeySource(port) });
