import type { Request, RequestHandler, Response } from 'express';
import { constants, gzipSync } from 'node:zlib';

/** Below this, gzip is not worth its CPU (the compression middleware's own threshold). */
export const GZIP_THRESHOLD_BYTES = 1024;

/**
 * zlib's fastest level for every answer gzipped per request: an action's answer (the case, some 10 kB of JSON)
 * comes out a few percent larger than at the default level 6, at about half the CPU on the API's one thread.
 */
export const ANSWER_GZIP_LEVEL = constants.Z_BEST_SPEED;

/** JSON answers up to this size are gzipped in one go; larger ones go through the compression middleware's stream. */
const ONE_GO_MAX_BYTES = 256 * 1024;

/**
 * An answer whose JSON text is already made (a case's state read from the read model as text, say): res.json
 * sends the text as it is instead of serializing the value, with everything else as for any JSON answer.
 */
export class JsonText {
  constructor(readonly text: string) {}

  /** Serialized by anything else (Express's own res.json), it is the value the text says. */
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** The client takes gzip (and prefers it to the uncompressed body). */
export function acceptsGzip(req: Request): boolean {
  return req.acceptsEncodings('gzip', 'identity') === 'gzip';
}

/**
 * JSON answers (res.json: every controller's answer, and the error shape) gzipped in one go, sent with their
 * length in a single write. The compression middleware (compressAnswers) streams through zlib instead: its
 * first chunk, the body and the chunked terminator go out as three socket writes, and each chunk makes a
 * round trip through libuv's thread pool — for an action's answer (the case, some 10 kB of JSON) several
 * times the cost of compressing it, which is about 40 µs at zlib's fastest level. The middleware leaves an
 * answer that already has a Content-Encoding alone, and still serves files, larger answers and other bodies.
 */
export function gzipJsonInOneGo(): RequestHandler {
  return (req, res, next) => {
    const json = res.json.bind(res);
    res.json = (body?: unknown): Response => {
      // The app's own JSON settings, if it ever sets any, stay Express's to apply.
      const app = res.app;
      if (body === undefined || (!(body instanceof JsonText) && (app.get('json replacer') || app.get('json spaces') || app.get('json escape')))) return json(body);
      // As res.json: the JSON text, typed as JSON unless the handler typed it.
      const text = body instanceof JsonText ? body.text : JSON.stringify(body);
      if (!res.get('Content-Type')) res.type('json');
      const bytes = Buffer.byteLength(text);
      const noTransform = /(?:^|,)\s*no-transform\s*(?:,|$)/i.test(String(res.getHeader('Cache-Control') ?? ''));
      if (bytes < GZIP_THRESHOLD_BYTES || bytes > ONE_GO_MAX_BYTES || noTransform || res.getHeader('Content-Encoding') || !acceptsGzip(req)) return res.send(text);
      res.vary('Accept-Encoding');
      res.setHeader('Content-Encoding', 'gzip');
      // res.send adds the length and the ETag (of what is sent), and answers 304 and HEAD as for any body.
      return res.send(gzipSync(text, { level: ANSWER_GZIP_LEVEL }));
    };
    next();
  };
}
