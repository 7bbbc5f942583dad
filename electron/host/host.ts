// Electron utilityProcess entry: core runs here, away from main and the renderer. Main hands over
// one MessagePort; everything after that is the wire protocol (electron/shared/wire.ts). In the
// elevated copy of the app (Windows), main passes the one step this core runs instead of the app.
import type { MessagePortMain } from 'electron';
import { serveCore } from './serve';
import { composeAppCore } from '../app/compose';
import { composeElevatedStepCore } from '../app/elevated-step';
import { readStepAction } from '../shared/elevation';
import { guardProcess } from '../shared/process-guard';

const step = readStepAction(process.argv);
// One session's escaped error must not end the core and every other session with it.
guardProcess((line) => console.error(`core: ${line}`));

process.parentPort.once('message', (event) => {
  const port: MessagePortMain | undefined = event.ports[0];
  if (!port) {
    process.exit(1);
  }
  const server = serveCore({ send: (message) => port.postMessage(message) },
    (os) => (step ? composeElevatedStepCore({ action: step }) : composeAppCore({ os })));
  port.on('message', (e) => server.receive(e.data));
  port.on('close', () => {
    server.close();
    void server.ready.then((core) => core.dispose()).finally(() => process.exit(0));
  });
  port.start();
  server.ready.catch((err: unknown) => console.error('core failed to start:', err instanceof Error ? err.message : err));
});
