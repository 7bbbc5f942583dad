// Prepares the Windows suite's parts before its test files run (test/run.mjs), and says what each
// step took: cached parts take 0 ms.
import { windowsHost } from '../support/wine';

const started = Date.now();
const win = await windowsHost();
const steps = Object.entries(win.timings).map(([step, ms]) => `${step} ${ms === 0 ? 'cached' : `${(ms / 1000).toFixed(1)} s`}`);
console.log(`windows suite prepared in ${((Date.now() - started) / 1000).toFixed(1)} s: ${steps.join(', ')}`);
