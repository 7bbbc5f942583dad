// Imported first by the page shim: zod decides at schema construction whether to compile parsers
// with `new Function`, which the app's CSP (no 'unsafe-eval') forbids.
import { z } from 'zod';

z.config({ jitless: true });
