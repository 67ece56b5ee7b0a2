/** "Did you mean …?": the one place that decides which known name a misspelt one was meant to be. */
import { closest, distance } from 'fastest-levenshtein';

/** A candidate is close enough when at most 2 edits, or a third of its length, away. */
const closeEnough = (edits: number, candidate: string): boolean =>
  edits <= Math.max(2, Math.floor(candidate.length / 3));

/**
 * The candidate nearest to `word` by edit distance, when it is close enough. `ignoreCase` measures
 * that distance without regard to case (the nearest candidate is picked with case either way).
 */
export function nearest(
  word: string,
  candidates: readonly string[],
  options: { ignoreCase?: boolean } = {},
): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, [...candidates]);
  const edits = options.ignoreCase ? distance(word.toLowerCase(), best.toLowerCase()) : distance(word, best);
  return closeEnough(edits, best) ? best : undefined;
}

/** A close match among `candidates`, ignoring case, hyphens and underscores first. */
export function suggest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const fold = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  const exact = candidates.find((c) => fold(c) === fold(word));
  if (exact) return exact;
  // `keyworker` → `key`: the value starts with (or is the start of) exactly one candidate.
  const prefixed = candidates.filter((c) => fold(word).startsWith(fold(c)) || fold(c).startsWith(fold(word)));
  if (prefixed.length === 1 && fold(word).length >= 2) return prefixed[0];
  return nearest(word, candidates, { ignoreCase: true });
}

/** How a message ends: `; did you mean `guess`?` with a guess, a full stop without. */
export const didYouMean = (guess: string | undefined): string =>
  guess ? `; did you mean \`${guess}\`?` : '.';

/** Finds the guess `didYouMean` put at the end of a message. */
export const DID_YOU_MEAN = /did you mean `([^`]+)`\?$/;
