/**
 * DOCX files drawn on worker threads. Drawing a DOCX is the heaviest work this process does for an
 * organisation; without PDFs (whose Chromium already keeps the other cores busy) a batch spreads it
 * over as many threads as it builds organisations at once.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ExitCode, KeypolicyError } from '../errors.js';
import { PACKAGE_ROOT } from '../version.js';
import type { PolicyDocument } from './model.js';

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

export class DocxWorkers {
  private readonly threads: Thread[];
  private nextId = 0;

  constructor(count: number) {
    this.threads = Array.from({ length: count }, () => this.start());
  }

  private start(): Thread {
    const thread: Thread = { worker: new Worker(WORKER_FILE), pending: new Map() };
    thread.worker.on('message', (message: { id: number; docx?: Uint8Array; error?: string }) => {
      const pending = thread.pending.get(message.id);
      thread.pending.delete(message.id);
      if (message.docx) pending?.resolve(Buffer.from(message.docx));
      else pending?.reject(failure(message.error ?? 'unknown error'));
    });
    // A worker that stops (out of memory, a bug) fails the documents it held, not the batch.
    // Both `error` and `exit` arrive for one failure; the second finds the thread already gone.
    const fail = (error: KeypolicyError) => {
      for (const pending of thread.pending.values()) pending.reject(error);
      thread.pending.clear();
      const index = this.threads.indexOf(thread);
      if (index !== -1) this.threads.splice(index, 1);
    };
    thread.worker.on('error', (error) => fail(failure(error.message)));
    thread.worker.on('exit', (code) => fail(failure(`the worker stopped (exit ${code})`)));
    return thread;
  }

  /** Draw `doc` on the least busy worker. */
  render(doc: PolicyDocument): Promise<Buffer> {
    const thread = this.threads.reduce<Thread | undefined>(
      (best, t) => (!best || t.pending.size < best.pending.size ? t : best),
      undefined,
    );
    if (!thread) return Promise.reject(failure('no worker is running'));
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      thread.pending.set(id, { resolve, reject });
      thread.worker.postMessage({ id, doc });
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
