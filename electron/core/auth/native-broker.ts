// Windows sign-in through the OS broker (Web Account Manager): MSAL's NativeBrokerPlugin from the
// optional @azure/msal-node-extensions, loaded only when the app has a window to parent the broker's
// dialog to. Conditional Access that requires a compliant or hybrid-joined device is satisfied there
// without browser single sign-on. Anything that keeps the plugin from loading means "no broker".
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import type { INativeBrokerPlugin } from '@azure/msal-node';
import { errorMessage } from '../../../native/errors';

export type BrokerLoader = () => Promise<INativeBrokerPlugin>;

const EXTENSIONS_PACKAGE = '@azure/msal-node-extensions';
/**
 * The package's main entry also loads its keychain persistence, which needs keytar's native
 * build (a prebuilt download we do not allow); the broker module alone needs only
 * @azure/msal-node-runtime, whose binaries ship in its npm package. Version pinned in package.json.
 */
const BROKER_MODULE = 'dist/broker/NativeBrokerPlugin.mjs';

/** The real plugin, from node_modules. Throws when the optional package is not installed. */
export const loadNativeBroker: BrokerLoader = async () => {
  // import.meta.dirname: the build defines it as __dirname for its CommonJS bundles.
  const require = createRequire(path.join(import.meta.dirname, 'native-broker.js'));
  const root = path.dirname(require.resolve(`${EXTENSIONS_PACKAGE}/package.json`));
  const mod = (await import(pathToFileURL(path.join(root, BROKER_MODULE)).href)) as { NativeBrokerPlugin: new () => INativeBrokerPlugin };
  return new mod.NativeBrokerPlugin();
};

/** The plugin when it loads and reports the broker usable; otherwise undefined, and `log` says why. */
export async function availableBroker(load: BrokerLoader, log: (line: string) => void): Promise<INativeBrokerPlugin | undefined> {
  let plugin: INativeBrokerPlugin;
  try {
    plugin = await load();
  } catch (err) {
    log(`Windows sign-in broker not loaded (${errorMessage(err).split('\n')[0]}); sign-in uses the system browser`);
    return undefined;
  }
  if (!plugin.isBrokerAvailable) {
    log('Windows sign-in broker is not available on this system; sign-in uses the system browser');
    return undefined;
  }
  return plugin;
}
