// Lint config. The `layering` rule enforces architecture.md's import table: each source
// folder may import only the repo folders and packages listed for it.
import path from 'node:path';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const ROOT = path.dirname(new URL(import.meta.url).pathname);
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

// Ordered most specific first: the first prefix that contains a file decides its layer.
// electron/core holds the domain areas and imports no front end (app, cli, drill) and not the
// services factory; the factory (electron/services) composes core and the drill; front ends
// use the factory.
const CORE = ['electron/core', 'electron/shared', 'native'];
// The error-code catalogue imports nothing, so the security-key stack may share it with the app;
// the rest of electron/shared (the contract, zod) stays out of native.
const ERROR_CODES = 'electron/shared/error-codes.ts';
const LAYERS = [
  { dir: 'electron/shared', repo: ['electron/shared'], pkgs: ['zod'], builtins: false },
  // CTAP2 is about the authenticator, not about SSH: OpenSSH formats (native/sk) are the facade's business.
  { dir: 'native/ctap2', repo: ['native/ctap2', 'native/ctaphid', 'native/hid', 'native/errors.ts', 'native/util', ERROR_CODES],
    pkgs: ['cbor-x'], builtins: true },
  { dir: 'native', repo: ['native', ERROR_CODES], pkgs: ['node-hid', 'cbor-x', 'koffi', 'bcrypt-pbkdf'], builtins: true },
  { dir: 'electron/core', repo: CORE, pkgs: ['ssh2', '@azure/msal-node', 'zod'], builtins: true },
  { dir: 'electron/drill', repo: ['electron/drill', ...CORE], pkgs: ['ssh2', 'zod'], builtins: true },
  { dir: 'electron/services', repo: ['electron/services', 'electron/drill', ...CORE], pkgs: ['zod'], builtins: true },
  { dir: 'electron/app', repo: ['electron/app', 'electron/services', 'electron/drill', ...CORE], pkgs: ['zod'], builtins: true },
  { dir: 'electron/cli', repo: ['electron/cli', 'electron/services', 'electron/drill', ...CORE], pkgs: ['zod'], builtins: true },
  { dir: 'electron/host', repo: ['electron/host', 'electron/app', 'electron/services', 'electron/shared'],
    pkgs: ['electron', 'zod'], builtins: true },
  { dir: 'electron/main', repo: ['electron/main', 'electron/shared'], pkgs: ['electron', 'zod'], builtins: true },
  { dir: 'electron/preload', repo: ['electron/preload', 'electron/shared'], pkgs: ['electron', 'zod'], builtins: false },
  { dir: 'renderer', repo: ['renderer', 'electron/shared'],
    pkgs: ['react', 'react-dom', '@xterm/xterm', '@xterm/addon-fit', '@xterm/addon-search',
      '@xterm/addon-web-links', '@xterm/addon-webgl', 'zod'], builtins: false },
];

function packageName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

const layering = {
  meta: { type: 'problem', schema: [], messages: { bad: '{{layer}} may not import "{{spec}}" ({{why}})' } },
  create(context) {
    const rel = path.relative(ROOT, context.filename).split(path.sep).join('/');
    const layer = LAYERS.find((l) => rel === l.dir || rel.startsWith(`${l.dir}/`));
    if (!layer) return {};
    const check = (node, spec) => {
      if (typeof spec !== 'string') return;
      let why = null;
      if (spec.startsWith('.')) {
        const target = path.relative(ROOT, path.resolve(path.dirname(context.filename), spec)).split(path.sep).join('/');
        if (!layer.repo.some((d) => target === d || target === d.replace(/\.ts$/, '') || target.startsWith(`${d}/`))) why = `resolves to ${target}`;
      } else if (NODE_BUILTINS.has(spec)) {
        if (!layer.builtins) why = 'node built-in';
      } else if (!layer.pkgs.includes(packageName(spec))) {
        why = 'package not allowed here';
      }
      if (why) context.report({ node, messageId: 'bad', data: { layer: layer.dir, spec, why } });
    };
    return {
      ImportDeclaration: (n) => check(n.source, n.source.value),
      ExportNamedDeclaration: (n) => n.source && check(n.source, n.source.value),
      ExportAllDeclaration: (n) => check(n.source, n.source.value),
      ImportExpression: (n) => n.source.type === 'Literal' && check(n.source, n.source.value),
      CallExpression: (n) => n.callee.type === 'Identifier' && n.callee.name === 'require' &&
        n.arguments[0]?.type === 'Literal' && check(n.arguments[0], n.arguments[0].value),
    };
  },
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.cache/**', 'test/fixtures/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mjs,js}'],
    plugins: { nbg: { rules: { layering } } },
    rules: {
      'nbg/layering': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
      'no-console': 'off',
    },
  },
);
