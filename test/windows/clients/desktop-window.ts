// A visible top-level window in the Wine session, kept (and its messages pumped) until stopped.
// On an operator's Windows the console or terminal that runs `nbg` is such a window, and the CLI
// parents the Windows Security dialog to the foreground window (as libfido2 does). A headless Wine
// session may have none at all - explorer.exe creates its own only some time after a session
// starts - so without this, "there is no window to attach the Windows Security dialog to".
// Prints the window handle once it exists.
import koffi from 'koffi';
import { system32Path } from '../../../native/util/system32';

const WS_OVERLAPPEDWINDOW = 0x00cf0000;
const WS_VISIBLE = 0x10000000;
const PM_REMOVE = 0x0001;
const PUMP_MS = 50;
/** MSG on x64: hwnd, message, wParam, lParam, time, pt, lPrivate. */
const MSG_BYTES = 48;

const user32 = koffi.load(system32Path('user32.dll'));
const createWindow = user32.func('void * __stdcall CreateWindowExW(uint32_t exStyle, const char16_t *className, const char16_t *title, ' +
  'uint32_t style, int x, int y, int width, int height, void *parent, void *menu, void *instance, void *param)');
const peekMessage = user32.func('int __stdcall PeekMessageW(void *msg, void *hwnd, uint32_t min, uint32_t max, uint32_t remove)');
const translateMessage = user32.func('int __stdcall TranslateMessage(void *msg)');
const dispatchMessage = user32.func('intptr_t __stdcall DispatchMessageW(void *msg)');

// STATIC is a predefined class: nothing to register.
const hwnd = createWindow(0, 'STATIC', 'Nexus Break-Glass test console', WS_OVERLAPPEDWINDOW | WS_VISIBLE, 0, 0, 640, 400, null, null, null, null) as bigint | null;
if (hwnd === null) {
  process.stderr.write('CreateWindowExW failed\n');
  process.exit(1);
}
process.stdout.write(`window 0x${hwnd.toString(16)}\n`);

const msg = Buffer.alloc(MSG_BYTES);
setInterval(() => {
  while (peekMessage(msg, null, 0, 0, PM_REMOVE) !== 0) {
    translateMessage(msg);
    dispatchMessage(msg);
  }
}, PUMP_MS);
