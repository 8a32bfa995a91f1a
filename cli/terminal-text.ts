/**
 * Text from a snapshot or the database is data, never terminal commands: a gap message with
 * `ESC[2K\r` must not erase a line and print a fake "succeeded", an OSC 8 function name must not
 * become a link, a U+202E name must not reverse what follows it. Every CLI print site passes such
 * text through here; the characters stay visible as escapes (`\x1b`, `\u202e`).
 */

// C0 controls (ESC, CR, BEL, BS…), DEL, C1 controls (0x9B is a one-byte CSI on some terminals),
// bidi embeddings, overrides, isolates and marks, and the Unicode line/paragraph separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// The same set less newline and tab (and CR before a newline), for multi-line bodies.
const UNSAFE_IN_BLOCK = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|\r(?!\n)/g;
// What JSON.stringify leaves raw: everything above but the C0 range, which it escapes itself.
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

function visible(char: string): string {
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** One value (a name, an ARN, a reason) made safe to print: every control character shown as an escape. */
export function safeTerminalText(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** A multi-line text (an error message, a CSV or HTML body) made safe to print; its line breaks and tabs stay. */
export function safeTerminalBlock(text: string): string {
  return text.replace(UNSAFE_IN_BLOCK, visible);
}

/**
 * JSON made safe to print, and still the same JSON: the characters JSON.stringify leaves raw
 * become `\uXXXX` escapes, which a parser reads back as the same string.
 */
export function safeTerminalJson(json: string): string {
  return json.replace(UNSAFE_IN_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
