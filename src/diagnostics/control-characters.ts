/**
 * Control characters: the C0 controls but tab and line feed, DEL and the C1 controls. Nothing a terminal
 * line or a document can show. One class, with the one difference its two uses need spelt out.
 */

/** The class, with or without the carriage return (U+000D). */
const controlClass = (carriageReturn: boolean): string =>
  `[\\u0000-\\u0008\\u000b\\u000c${carriageReturn ? '\\u000d' : ''}\\u000e-\\u001f\\u007f-\\u009f]`;

/**
 * On one line of output (a code frame, a name given on the command line) a carriage return is a control
 * character too: it would move the caret. Global, for `replace`; `new RegExp(CONTROL_CHARACTERS.source)`
 * tests without the flag's `lastIndex` state.
 */
export const CONTROL_CHARACTERS = new RegExp(controlClass(true), 'g');

/**
 * In a value of a profile a carriage return is half of a line break, which a document can show; the
 * rest are refused. Not global, so `exec` and `test` keep no state between calls.
 */
export const CONTROL_CHARACTER_IN_TEXT = new RegExp(controlClass(false));
