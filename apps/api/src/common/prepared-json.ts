import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response } from 'express';
import { acceptsGzip, GZIP_THRESHOLD_BYTES } from './json-answers';

const gzipAsync = promisify(gzip);

/**
 * An answer serialized once for everyone who shares its read (SharedReads): a county dashboard of 250
 * cases is some hundred kilobytes of JSON, and sixteen people served by one read otherwise cost sixteen
 * serializations (and sixteen gzips for browsers) on the API's one thread. The gzip is made on first
 * demand, off the event loop, and shared as well, and so is each form's ETag (Express would hash the whole
 * body again for every person it is sent to).
 */
export class PreparedJson {
  private gzipped?: Promise<Buffer>;
  private readonly etags = new Map<'plain' | 'gzip', string>();

  private constructor(readonly body: Buffer) {}

  static of(value: unknown): PreparedJson {
    return new PreparedJson(Buffer.from(JSON.stringify(value), 'utf8'));
  }

  private gzip(): Promise<Buffer> {
    return (this.gzipped ??= gzipAsync(this.body));
  }

  /**
   * Sends it as Nest would send the value (application/json, ETag, 304 to a matching If-None-Match), gzipped
   * for clients that accept it; the compression middleware leaves an answer with a Content-Encoding alone.
   */
  async send(req: Request, res: Response): Promise<void> {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.vary('Accept-Encoding');
    if (this.body.length >= GZIP_THRESHOLD_BYTES && acceptsGzip(req)) {
      const zipped = await this.gzip();
      res.setHeader('Content-Encoding', 'gzip');
      this.setETag(req, res, 'gzip', zipped);
      res.send(zipped);
      return;
    }
    this.setETag(req, res, 'plain', this.body);
    res.send(this.body);
  }

  /**
   * The ETag Express would give these bytes, by its own function (the app's `etag` setting), made once per form:
   * res.send leaves an ETag already set alone and answers 304 to a matching If-None-Match as before.
   */
  private setETag(req: Request, res: Response, form: 'plain' | 'gzip', bytes: Buffer): void {
    const etagOf = req.app.get('etag fn') as ((body: Buffer, encoding?: BufferEncoding) => string) | undefined;
    if (!etagOf) return;
    let tag = this.etags.get(form);
    if (tag === undefined) this.etags.set(form, (tag = etagOf(bytes)));
    res.setHeader('ETag', tag);
  }
}
