// Text from outside (servers, Azure, agent clients, the audit log's recorded fields) is shown to
// the operator only after it has been made inert: every character a terminal or a bidi-aware
// renderer would act on is replaced by a visible escape, as OpenSSH does with vis(3) before it
// prints a server's banner or a key comment. The escapes are plain ASCII, so the result is safe in
// a terminal, in a log line and in the DOM, and it still shows what was sent.

const DEL = 0x7f;
const C1_FIRST = 0x80;
const C1_LAST = 0x9f;
const SPACE = 0x20;
const TAB = 0x09;
const LINE_FEED = 0x0a;

/** Code points that reorder or hide text: bidi embeddings, overrides, isolates and marks, and the
 *  Unicode line and paragraph separators (which some renderers break lines on). */
const REORDERING = new Set([
  0x061c, // ARABIC LETTER MARK
  0x200e, 0x200f, // LRM, RLM
  0x2028, 0x2029, // LINE SEPARATOR, PARAGRAPH SEPARATOR
  0x202a, 0x202b, 0x202c, 0x202d, 0x202e, // LRE, RLE, PDF, LRO, RLO
  0x2066, 0x2067, 0x2068, 0x2069, // LRI, RLI, FSI, PDI
]);

export interface InertOptions {
  /** Keep line feeds and tabs (multi-line messages such as an Azure error body). Carriage
   *  returns are always escaped: one can overwrite what the line said. */
  readonly multiline?: boolean;
}

function isSurrogate(cp: number): boolean {
  return cp >= 0xd800 && cp <= 0xdfff;
}

function escapeOf(cp: number): string {
  // Bytes escape as vis(3) VIS_OCTAL does (ESC → \033); code points beyond Latin-1 as \u{…}.
  return cp <= 0xff ? `\\${cp.toString(8).padStart(3, '0')}` : `\\u{${cp.toString(16).toUpperCase()}}`;
}

function needsEscape(cp: number, multiline: boolean): boolean {
  if (cp < SPACE) return !(multiline && (cp === LINE_FEED || cp === TAB));
  if (cp === DEL || (cp >= C1_FIRST && cp <= C1_LAST)) return true;
  return REORDERING.has(cp) || isSurrogate(cp);
}

/** `text` with every control character (C0, DEL, C1), bidi control and lone surrogate replaced
 *  by a visible escape. Printable text, including non-Latin scripts and backslashes, is unchanged. */
export function inertText(text: string, options: InertOptions = {}): string {
  const multiline = options.multiline === true;
  let out = '';
  let start = 0;
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i) as number;
    const width = cp > 0xffff ? 2 : 1;
    if (needsEscape(cp, multiline)) {
      out += text.slice(start, i) + escapeOf(cp);
      start = i + width;
    }
    i += width;
  }
  return start === 0 ? text : out + text.slice(start);
}

/** Whether `text` would be changed by `inertText` (for tests and for deciding to warn). */
export function hasActiveText(text: string, options: InertOptions = {}): boolean {
  return inertText(text, options) !== text;
}
