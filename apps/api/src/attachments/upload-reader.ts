import busboy from 'busboy';
import type { Request } from 'express';
import { Transform, type Readable } from 'node:stream';
import { AttachmentException } from './attachment.exception';

export interface IncomingFile {
  stream: Readable;
  fileName: string;
  /** The form's fields sent before the file. */
  fields: Record<string, string>;
}

/**
 * Reads a multipart upload of one file (field `file`) with busboy, handing the file to `onFile` as
 * it streams. On any failure the rest of the request is read and dropped (so the client gets the
 * answer, not a reset connection), and the failure is answered once `onFile` has cleaned up.
 */
export function receiveUpload<T>(req: Request, onFile: (file: IncomingFile) => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fields: 10, fieldSize: 1024, parts: 11, headerPairs: 20 } });
    } catch {
      req.resume();
      reject(AttachmentException.notMultipart());
      return;
    }
    const fields: Record<string, string> = {};
    let work: Promise<T> | undefined;
    let current: Readable | undefined;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.resume();
      // A file still streaming (the client went away, the form broke) ends with the failure, so its transaction rolls back.
      current?.destroy(error instanceof Error ? error : new Error(String(error)));
      void (work ?? Promise.resolve()).catch(() => undefined).then(() => reject(error));
    };
    parser.on('field', (name, value) => {
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      // busboy ends a file cut short with an error on the file's stream too; the parser's own 'error' reports it.
      stream.on('error', () => undefined);
      if (name !== 'file' || work || settled) {
        stream.resume();
        return;
      }
      current = stream;
      work = onFile({ stream, fileName: info.filename || '未命名', fields: { ...fields } });
      work.catch(fail);
    });
    parser.on('error', (e) => fail(AttachmentException.malformed(e.message)));
    parser.on('close', () => {
      if (settled) return;
      if (!work) return fail(AttachmentException.fileMissing());
      work.then((result) => {
        if (settled) return;
        settled = true;
        resolve(result);
      }, fail);
    });
    req.on('aborted', () => fail(AttachmentException.malformed('the request was aborted')));
    req.pipe(parser);
  });
}

/**
 * Counts an upload's bytes (refusing past `maxBytes`) and holds back its first SAMPLE bytes until
 * `decide` has looked at them: the type is settled before anything is stored.
 */
export class Inspector extends Transform {
  private head: Buffer[] = [];
  private headBytes = 0;
  private decided = false;
  bytes = 0;

  constructor(
    private readonly sampleBytes: number,
    private readonly maxBytes: number,
    private readonly over: (bytes: number) => Error,
    private readonly decide: (head: Buffer) => Promise<void>,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null, data?: Buffer) => void): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) return done(this.over(this.bytes));
    if (this.decided) return done(null, chunk);
    this.head.push(chunk);
    this.headBytes += chunk.length;
    if (this.headBytes < this.sampleBytes) return done();
    this.settle().then(() => done(), done);
  }

  override _flush(done: (error?: Error | null) => void): void {
    if (this.decided) return done();
    this.settle().then(() => done(), done);
  }

  private async settle(): Promise<void> {
    const head = Buffer.concat(this.head, this.headBytes);
    this.head = [];
    await this.decide(head);
    this.decided = true;
    if (head.length > 0) this.push(head);
  }
}
