// axe-core in the page under test, for accessibility checks of a screen or a part of it. The
// script goes in through the DevTools protocol, so the app's CSP (script-src 'self') stays as it is.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation { id: string; impact: string | null; help: string; targets: string[] }

/** Critical and serious violations inside `selector` (the whole page by default). */
export async function seriousViolations(page: Page, selector = 'body'): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (include) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run({ include: [include] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  }, selector);
  return violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
}

/** Critical and serious violations of the whole page in light then dark, as "screen/scheme: rule (targets)". */
export async function seriousInBothSchemes(page: Page, screen: string): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    for (const v of await seriousViolations(page)) found.push(`${screen}/${colorScheme}: ${v.id} (${v.targets.slice(0, 3).join(', ')})`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}
