import path from 'node:path';

const DEFAULT_SYSTEM_ROOT = 'C:\\Windows';

/**
 * A Windows system DLL by its full System32 path: a bare name would be searched in the application
 * directory first (DLL planting), which libfido2 avoids with LOAD_LIBRARY_SEARCH_SYSTEM32.
 */
export function system32Path(dll: string, env: NodeJS.ProcessEnv = process.env): string {
  return path.win32.join(env.SystemRoot ?? env.windir ?? DEFAULT_SYSTEM_ROOT, 'System32', dll);
}
