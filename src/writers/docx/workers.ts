/**
 * DOCX files drawn on worker threads. Drawing a DOCX is the heaviest work this process does for an
 * organisation, and all of it is synchronous: on the main thread it would hold back the messages that
 * bring Chromium's PDFs in, and in a batch without PDFs it would leave the other cores idle.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ExitCode, KeypolicyError } from '../../diagnostics/errors.js';
import { PACKAGE_ROOT } from '../../core/version.js';
import type { PolicyDocument } from '../../document/model.js';

/** Built by scripts/bundle.mjs beside the command line. */
const WORKER_FILE = path.join(PACKAGE_ROOT, 'dist', 'docx-worker.js');

interface Pending {
  resolve: (docx: Buffer) => void;
  reject: (error: KeypolicyError) => void;
}

const failure = (reason: string) =>
  new KeypolicyError('KP_DOCX_FAILED', 'keypolicy could not write a DOCX file.', {
    exitCode: ExitCode.Environment,
    hint: reason,
  });

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
}

/** Up to `limit` threads, started as documents need them (or the first by `warmUp`). */
/** What a worker thread answers: the DOCX, or why not (with a user problem's code, exit code and hint). */
interface WorkerReply {
  id: number;
  docx?: Uint8Array;
  error?: string;
  code?: string;
  exitCode?: ExitCode;
  hint?: string;
}

export class DocxWorkers {
  private readonly threads: Thread[] = [];
  private nextId = 0;
  private closed = false;

  constructor(private readonly limit: number) {}

  /** Start one thread now, so it has loaded the DOCX code by the time the first document is ready. */
  warmUp(): void {
    if (this.threads.length === 0 && !this.closed) this.start();
  }

  private start(): Thread {
    const thread: Thread = { worker: new Worker(WORKER_FILE), pending: new Map() };
    thread.worker.on('message', (message: WorkerReply) => {
      const pending = thread.pending.get(message.id);
      thread.pending.delete(message.id);
      if (message.docx) pending?.resolve(Buffer.from(message.docx));
      else if (message.code)
        pending?.reject(
          new KeypolicyError(message.code, message.error ?? message.code, {
            ...(message.exitCode !== undefined ? { exitCode: message.exitCode } : {}),
            ...(message.hint ? { hint: message.hint } : {}),
          }),
        );
      else pending?.reject(failure(message.error ?? 'unknown error'));
    });
    // A thread that stops (out of memory, a bug) fails the documents it held, not the batch. Both
    // `error` and `exit` arrive for one failure; the second finds the thread already gone.
    const fail = (error: KeypolicyError) => {
      for (const pending of thread.pending.values()) pending.reject(error);
      thread.pending.clear();
      const index = this.threads.indexOf(thread);
      if (index !== -1) this.threads.splice(index, 1);
    };
    thread.worker.on('error', (error) => fail(failure(error.message)));
    thread.worker.on('exit', (code) => fail(failure(`the worker stopped (exit ${code})`)));
    this.threads.push(thread);
    return thread;
  }

  /** Draw `doc` on an idle thread, starting one while there are fewer than the limit. */
  render(doc: PolicyDocument): Promise<Buffer> {
    if (this.closed) return Promise.reject(failure('the DOCX workers were stopped'));
    let thread = this.threads.reduce<Thread | undefined>(
      (best, t) => (!best || t.pending.size < best.pending.size ? t : best),
      undefined,
    );
    if (!thread || (thread.pending.size > 0 && this.threads.length < this.limit)) thread = this.start();
    const id = this.nextId++;
    const { worker, pending } = thread;
    return new Promise<Buffer>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, doc });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
