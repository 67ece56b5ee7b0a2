/**
 * The program svg-raster runs in a child process (`node -e`) to draw one SVG: the logo on stdin, the
 * PNG on stdout. Plain CommonJS in a string, so it runs the same from the sources and from the bundle.
 * Arguments: resvg's path, the options (JSON), the most pixels drawn, the watchdog's milliseconds.
 */

/** How the child ends, besides 0 with the PNG written. */
export const CHILD_EXIT = {
  /** resvg could not read the SVG. */
  unreadable: 10,
  /** The drawing would have more pixels than allowed: the reason is on stderr. */
  tooLarge: 11,
  /** resvg (or its binary for this platform) could not be loaded. */
  unavailable: 12,
} as const;

export const CHILD_SCRIPT = `'use strict';
const [resvgPath, optionsJson, maxPixels, watchdogMs] = process.argv.slice(1);
// resvg's work blocks this thread: a watchdog on another stops the process should its parent be gone.
const { Worker } = require('node:worker_threads');
new Worker('setTimeout(() => process.kill(process.pid, "SIGKILL"), ' + Number(watchdogMs) + ')', {
  eval: true,
}).unref();
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  const fail = (code, reason) => {
    process.stderr.write(String(reason) + '\\n');
    process.exitCode = code;
  };
  let Resvg;
  try {
    ({ Resvg } = require(resvgPath));
  } catch (error) {
    return fail(${CHILD_EXIT.unavailable}, error && error.message);
  }
  const options = JSON.parse(optionsJson);
  let resvg;
  try {
    resvg = new Resvg(Buffer.concat(chunks), options);
  } catch (error) {
    return fail(${CHILD_EXIT.unreadable}, error && error.message);
  }
  const width = options.fitTo.value;
  const height = Math.ceil((width * resvg.height) / resvg.width);
  if (!(width > 0 && height > 0)) return fail(${CHILD_EXIT.unreadable}, 'it has no size');
  if (width * height > Number(maxPixels))
    return fail(
      ${CHILD_EXIT.tooLarge},
      'it would be drawn ' + width + ' × ' + height.toLocaleString('en-GB') + ' pixels; at most ' +
        Number(maxPixels).toLocaleString('en-GB') + ' pixels are drawn',
    );
  let png;
  try {
    png = resvg.render().asPng();
  } catch (error) {
    return fail(${CHILD_EXIT.unreadable}, error && error.message);
  }
  process.stdout.write(png);
});
`;
