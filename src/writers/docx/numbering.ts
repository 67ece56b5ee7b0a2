/**
 * List numbering: one bullet definition that every bulleted list shares, and a decimal definition for
 * each start value an ordered list uses (each ordered list restarts in an instance of its own).
 */
import { AlignmentType, LevelFormat, type ILevelsOptions, type INumberingOptions } from 'docx';
import { FONT } from './styles.js';

/** The indentation step of a list level, in twentieths of a point. */
export const LIST_INDENT = 360;

/** Where the text of a list item at `level` (0 outermost) starts. */
export const listIndent = (level: number): number => LIST_INDENT * (level + 2);

/** The numbering every bulleted list refers to. */
export const BULLET_REFERENCE = 'kp-bullet';

/** The numbering of ordered lists starting at `start`. */
export const orderedReference = (start: number): string => `kp-ordered-${start}`;

function numberingLevels(ordered: boolean, start: number): ILevelsOptions[] {
  const bullets = ['\u2022', '\u25E6', '\u25AA'];
  return Array.from({ length: 9 }, (_, level) => ({
    level,
    format: ordered ? LevelFormat.DECIMAL : LevelFormat.BULLET,
    text: ordered ? `%${level + 1}.` : (bullets[level % bullets.length] ?? '\u2022'),
    start: level === 0 ? start : 1,
    alignment: AlignmentType.LEFT,
    style: {
      paragraph: { indent: { left: listIndent(level), hanging: LIST_INDENT } },
      ...(ordered ? {} : { run: { font: FONT } }),
    },
  }));
}

/** The bullet definition and one ordered definition per start value in `starts`, in order. */
export function numbering(starts: ReadonlySet<number>): INumberingOptions {
  return {
    config: [
      { reference: BULLET_REFERENCE, levels: numberingLevels(false, 1) },
      ...[...starts]
        .sort((a, b) => a - b)
        .map((start) => ({ reference: orderedReference(start), levels: numberingLevels(true, start) })),
    ],
  };
}
