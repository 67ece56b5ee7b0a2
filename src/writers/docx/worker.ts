/** A worker thread that draws DOCX files, so a batch without PDFs uses every core, not one. */
import { parentPort } from 'node:worker_threads';
import { KeypolicyError } from '../../diagnostics/errors.js';
import { renderDocx } from './docx.js';
import type { PolicyDocument } from '../../document/model.js';

parentPort?.on('message', (message: { id: number; doc: PolicyDocument }) => {
  const { id, doc } = message;
  // A Buffer arrives as a plain Uint8Array.
  if (doc.logo)
    doc.logo.data = Buffer.from(doc.logo.data.buffer, doc.logo.data.byteOffset, doc.logo.data.length);
  renderDocx(doc).then(
    (docx) => parentPort?.postMessage({ id, docx }),
    // A user's problem (a logo that cannot be drawn) crosses the thread as one, code and all.
    (error: unknown) =>
      parentPort?.postMessage({
        id,
        error: error instanceof Error ? error.message : String(error),
        ...(error instanceof KeypolicyError
          ? { code: error.code, exitCode: error.exitCode, ...(error.hint ? { hint: error.hint } : {}) }
          : {}),
      }),
  );
});
