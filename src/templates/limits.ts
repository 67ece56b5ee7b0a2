/**
 * Limits on writing one policy. Handlebars builds the whole text before its size (at most 2 MB) can be
 * checked, so a loop inside a loop over long lists, or partials that each use another several times,
 * would run for minutes and fill memory first. The engine (engine.ts) reports every repeat and partial
 * here; a render run inside `withinRenderLimits` is stopped when a limit is passed.
 */

/** The limits. No real policy comes near them. */
export const RENDER_LIMITS = {
  /** Runs of an `{{#each}}` (or `{{#with}}`) body. */
  repeats: 100_000,
  /** Partials used. */
  partials: 10_000,
  /** Text the partials wrote: a partial's text counts again in each partial around it. */
  partialChars: 16 * 1024 * 1024,
  /** Seconds from the first repeat or partial (compiling the template is not counted). */
  seconds: 5,
};
export type RenderLimits = typeof RENDER_LIMITS;

/** What the engine's hooks report to: the counts of the render under way. */
interface Meter {
  repeat(): void;
  partial(name: unknown, invoke: () => unknown): unknown;
}

/** The meter of the `withinRenderLimits` call running now, if any (renders are synchronous). */
let active: Meter | undefined;

/** One run of an `{{#each}}` or `{{#with}}` body is about to start. */
export const meterRepeat = (): void => active?.repeat();

/** Invoke a partial, counting it and the text it writes. */
export const meterPartial = (name: unknown, invoke: () => unknown): unknown =>
  active ? active.partial(name, invoke) : invoke();

class LimitReached extends Error {}

const count = (n: number) => n.toLocaleString('en-GB');

/**
 * Run one (synchronous) render with every `#each`/`#with` repeat and partial counted, stopping it when a
 * limit is passed. The counts are kept only for this call, so nothing else sees them.
 */
export function withinRenderLimits<T>(
  render: () => T,
  limits: RenderLimits = RENDER_LIMITS,
): { value: T; stopped?: string } {
  let repeats = 0;
  let partials = 0;
  let partialChars = 0;
  let deadline: number | undefined;
  let stopped: string | undefined;
  const check = (partial?: unknown) => {
    deadline ??= performance.now() + limits.seconds * 1000;
    stopped ??=
      repeats > limits.repeats
        ? `its \`{{#each}}\` blocks repeated more than ${count(limits.repeats)} times (a loop inside a loop over long lists?)`
        : partials > limits.partials
          ? `partials were used more than ${count(limits.partials)} times${typeof partial === 'string' ? ` (the last was \`${partial}\`)` : ''}: partials that each use another partial several times multiply`
          : partialChars > limits.partialChars
            ? `its partials had written more than ${limits.partialChars / 1024 / 1024} MB of text`
            : performance.now() > deadline
              ? `writing it took more than ${limits.seconds} seconds`
              : undefined;
    // Thrown again at every later call, so a helper that catches it cannot carry on.
    if (stopped !== undefined) throw new LimitReached(stopped);
  };
  const outer = active;
  active = {
    repeat() {
      repeats++;
      check();
    },
    partial(name, invoke) {
      partials++;
      check(name);
      const result = invoke();
      if (typeof result === 'string') partialChars += result.length;
      check(name);
      return result;
    },
  };
  try {
    const value = render();
    return stopped === undefined ? { value } : { value, stopped };
  } finally {
    active = outer;
  }
}
