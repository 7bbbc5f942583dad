// Zod failures in operator words, without loading the contract's schemas (settings, backup
// addresses and the CLI use it at start-up).
import type { z } from 'zod';

/** A short operator-readable summary of a zod failure (paths and messages, no values). */
export function describeIssues(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
}
