import type { AppServices } from '../../context.js';
import { StoredFile } from './file.entity.js';
import { aiEnabled } from '../ai/ai.client.js';
import { AI_MAX_INPUT_BYTES, aiInput, summarize } from './file.ai.js';
import { readFacts, type Facts } from './file.facts.js';
import { fileStore } from './file.store.js';

export interface ProcessingResult extends Facts {
  summary?: string;
  /** what failed, per processor, in words */
  errors?: { processor: string; message: string }[];
}

export interface ProcessorOptions {
  concurrency: number;
  aiTimeoutMs: number;
}

/**
 * Runs the processors of uploaded files in the background, a few at a time, so an upload's answer
 * never waits for them. Stopping aborts what runs; those rows stay RUNNING and are queued again
 * by the next start's sweep.
 */
export class FileProcessor {
  readonly options: ProcessorOptions = { concurrency: 2, aiTimeoutMs: 30_000 };
  private queue: string[] = [];
  private running = new Set<Promise<void>>();
  private readonly stopping = new AbortController();

  constructor(private readonly app: AppServices) {}

  enqueue(fileId: string): void {
    if (this.stopping.signal.aborted || this.queue.includes(fileId)) return;
    this.queue.push(fileId);
    // after the current tick: the upload's answer goes out first
    setImmediate(() => this.pump());
  }

  /** Resolves when nothing is queued or running (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running.size || this.queue.length)
      await Promise.race([...this.running, new Promise((r) => setTimeout(r, 20))]);
  }

  async stop(): Promise<void> {
    this.queue = [];
    this.stopping.abort();
    await Promise.all(this.running);
  }

  private pump(): void {
    while (
      this.running.size < this.options.concurrency &&
      this.queue.length &&
      !this.stopping.signal.aborted
    ) {
      const job = this.process(this.queue.shift()!).catch((err) => {
        if (!this.stopping.signal.aborted) this.app.log.error('file processing failed', { err });
      });
      this.running.add(job);
      void job.finally(() => {
        this.running.delete(job);
        this.pump();
      });
    }
  }

  private async process(fileId: string): Promise<void> {
    const em = this.app.orm.em.fork();
    const file = await em.findOne(StoredFile, { id: fileId });
    if (!file) return; // deleted meanwhile
    const store = await fileStore(this.app);
    const read = (position: number, length: number) => store.readAt(fileId, position, length);
    file.processingStatus = 'RUNNING';
    await em.flush();
    const result: ProcessingResult = {};
    const failed = (processor: string, err: unknown) =>
      (result.errors ??= []).push({ processor, message: (err as Error).message });
    try {
      Object.assign(result, await readFacts(read, file.mimeType, file.size));
    } catch (err) {
      failed('facts', err);
    }
    if (aiEnabled(this.app.config) && file.mimeType.startsWith('text/')) {
      try {
        result.summary = await summarize(
          this.app.config,
          aiInput(await read(0, AI_MAX_INPUT_BYTES)),
          { timeoutMs: this.options.aiTimeoutMs },
          this.stopping.signal,
        );
      } catch (err) {
        if (this.stopping.signal.aborted) return;
        failed('ai', err);
        this.app.log.warn('AI summary failed', { fileId, reason: (err as Error).message });
      }
    }
    if (this.stopping.signal.aborted) return;
    const still = await em.fork().count(StoredFile, { id: fileId });
    if (!still) return;
    file.processingStatus = result.errors ? 'FAILED' : 'DONE';
    file.processingResult = JSON.stringify(result);
    await em.flush();
    this.app.pubsub.publish('fileProcessed', { fileId, ownerId: file.ownerId });
  }
}

const processors = new WeakMap<AppServices, FileProcessor>();

/** The app's one processor, made on first use. */
export function fileProcessor(app: AppServices): FileProcessor {
  let p = processors.get(app);
  if (!p) {
    p = new FileProcessor(app);
    processors.set(app, p);
  }
  return p;
}

export const enqueueProcessing = (app: AppServices, fileId: string): void =>
  fileProcessor(app).enqueue(fileId);

/** For shutdown, before the database closes: aborts running processors and waits for them. */
export const stopFileProcessing = (app: AppServices): Promise<void> =>
  processors.get(app)?.stop() ?? Promise.resolve();
