// `npm run fuzz` → tsx test/fuzz/run.ts --iterations 1000000 [--seed N]
import { formatReport, runFuzz } from './engine';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(v) || v < 0) {
    console.error(`--${name} needs a non-negative integer`);
    process.exit(2);
  }
  return v;
}

const iterations = arg('iterations', 100_000);
const seed = arg('seed', 0x5eed);
const report = await runFuzz({ iterations, seed, onProgress: (n) => console.error(`... ${n} cases`) });
console.log(formatReport(report));
process.exit(report.failureCount ? 1 : 0);
