// `npm run build`: bundles every process with esbuild into dist/.
//   dist/main/main.cjs        Electron main (CJS)
//   dist/preload/preload.cjs  sandboxed preload (CJS, only `electron` external)
//   dist/host/host.cjs        core host (utilityProcess)
//   dist/renderer/            index.html (+CSP meta), app.js (browser ESM), app.css
//   dist/cli/nbg.cjs          the `nbg` command line
// Dependencies stay external and ship in node_modules (native parts; ssh2 is patched there), except
// zod: plain JS of ~100 files that every process needs at start, read faster as part of the bundle.
import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.join(root, 'dist');
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
/** Bundled although a dependency (see above). */
const BUNDLED_DEPENDENCIES = new Set(['zod']);
const nodeExternals = ['electron', ...Object.keys(pkg.dependencies ?? {}).filter((d) => !BUNDLED_DEPENDENCIES.has(d))];
const production = process.env.NODE_ENV === 'production';

const common = {
  bundle: true,
  logLevel: 'warning',
  sourcemap: production ? false : 'linked',
  legalComments: 'none',
  absWorkingDir: root,
  // `import.meta.url` has no meaning in CJS output; modules that need their own path use __filename.
  define: { 'import.meta.dirname': '__dirname' },
};

const nodeTarget = { ...common, platform: 'node', format: 'cjs', target: 'node20', external: nodeExternals };

/** The renderer's CSP, read from the one place it is defined. */
async function appCsp() {
  const src = await readFile(path.join(root, 'electron/shared/csp.ts'), 'utf8');
  const lines = [...src.matchAll(/^\s+"([^"]+)",$/gm)].map((m) => m[1]);
  if (lines.length < 5) throw new Error('could not read APP_CSP from electron/shared/csp.ts');
  return lines.join('; ');
}

export async function buildRenderer(outdir = path.join(dist, 'renderer')) {
  await mkdir(outdir, { recursive: true });
  const result = await build({
    ...common,
    entryPoints: { app: path.join(root, 'renderer/src/main.tsx') },
    outdir,
    platform: 'browser',
    format: 'esm',
    target: ['chrome120'],
    minify: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.woff2': 'file', '.svg': 'file' },
    metafile: true,
  });
  const html = (await readFile(path.join(root, 'renderer/index.html'), 'utf8'))
    .replace('%CSP%', (await appCsp()).replaceAll('"', '&quot;'));
  await writeFile(path.join(outdir, 'index.html'), html);
  return result.metafile;
}

/** One Node entry bundled as the shipped processes are (the Windows suite bundles its test hosts so too). */
export async function buildNodeEntry(entry, outfile, { external = [], ...extra } = {}) {
  await build({ ...nodeTarget, entryPoints: [entry], outfile, ...extra, external: [...nodeExternals, ...external] });
}

/** The `nbg` bundle (also built by the Windows suite into its win32 tree). */
export async function buildCli(outfile = path.join(dist, 'cli/nbg.cjs')) {
  await buildNodeEntry(path.join(root, 'electron/cli/main.ts'), outfile, {
    banner: { js: '#!/usr/bin/env node' },
    // Every `nbg` run compiles the whole bundle: smaller is faster to start (names stay for stack traces).
    minifyWhitespace: true, minifySyntax: true });
}

export async function buildAll() {
  await rm(dist, { recursive: true, force: true });
  await Promise.all([
    build({ ...nodeTarget, entryPoints: [path.join(root, 'electron/main/main.ts')], outfile: path.join(dist, 'main/main.cjs') }),
    build({ ...nodeTarget, entryPoints: [path.join(root, 'electron/preload/preload.ts')], outfile: path.join(dist, 'preload/preload.cjs'),
      // A sandboxed preload can require only `electron` (and a few polyfilled built-ins): bundle the rest.
      external: ['electron'] }),
    build({ ...nodeTarget, entryPoints: [path.join(root, 'electron/host/host.ts')], outfile: path.join(dist, 'host/host.cjs') }),
    buildCli(),
    buildRenderer(),
  ]);
  await chmod(path.join(dist, 'cli/nbg.cjs'), 0o755);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildAll();
  console.log(`built dist/ in ${Date.now() - started} ms`);
}
