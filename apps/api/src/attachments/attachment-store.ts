import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { PassThrough, Readable, Writable } from 'node:stream';
import type { DataSource, EntityManager } from 'typeorm';
import type { AttachmentStoreConfig } from '../../../../libs/config';

/** Rows of content: large enough to keep the row count low, small enough that a download holds one at a time. */
export const CHUNK_BYTES = 256 * 1024;

/**
 * Where an attachment's content lives. PostgreSQL is the default (rows of attachment_chunk, written
 * in the upload's own transaction, so a refused upload leaves nothing); an S3-compatible store is
 * the other implementation a large deployment would choose by configuration.
 */
export interface AttachmentStore {
  readonly kind: 'postgres' | 's3';
  /** A sink for the content of attachment `id`; writes go through `tx` where the store is the database. */
  writer(tx: EntityManager, id: string): Writable;
  /** The content of attachment `id`, read a piece at a time. */
  reader(id: string): Readable;
  /** Undoes a write whose transaction rolled back (an object in a bucket); nothing to do for PostgreSQL. */
  discard(id: string): Promise<void>;
}

/** Content in attachment_chunk rows of CHUNK_BYTES, inserted as the upload streams. */
export class PostgresAttachmentStore implements AttachmentStore {
  readonly kind = 'postgres' as const;

  constructor(private readonly dataSource: DataSource) {}

  writer(tx: EntityManager, id: string): Writable {
    let parts: Buffer[] = [];
    let pending = 0;
    let seq = 0;
    const flush = async (all: boolean) => {
      while (pending >= CHUNK_BYTES || (all && pending > 0)) {
        const joined = parts.length === 1 ? parts[0] : Buffer.concat(parts, pending);
        const piece = joined.subarray(0, CHUNK_BYTES);
        const rest = joined.subarray(piece.length);
        await tx.query(`INSERT INTO attachment_chunk (attachment_id, seq, data) VALUES ($1, $2, $3)`, [id, seq++, piece]);
        // A copy, so the inserted piece's memory is not kept alive by the rest.
        parts = rest.length > 0 ? [Buffer.from(rest)] : [];
        pending = rest.length;
      }
    };
    return new Writable({
      highWaterMark: CHUNK_BYTES,
      write(chunk: Buffer, _encoding, done) {
        parts.push(chunk);
        pending += chunk.length;
        flush(false).then(() => done(), done);
      },
      final(done) {
        flush(true).then(() => done(), done);
      },
    });
  }

  reader(id: string): Readable {
    let seq = 0;
    const ds = this.dataSource;
    return new Readable({
      highWaterMark: CHUNK_BYTES,
      read() {
        ds.query(`SELECT data FROM attachment_chunk WHERE attachment_id = $1 AND seq = $2`, [id, seq++]).then(
          (rows: { data: Buffer }[]) => this.push(rows.length > 0 ? rows[0].data : null),
          (e: Error) => this.destroy(e),
        );
      },
    });
  }

  async discard(): Promise<void> {
    // The rows went with the transaction.
  }
}

/** Parts of a multipart upload (S3's least is 5 MB); at most S3_QUEUE of them are held at once. */
export const S3_PART_BYTES = 8 * 1024 * 1024;
const S3_QUEUE = 2;

/**
 * Content as one object per attachment (`attachments/<id>`) in an S3-compatible bucket, written by a
 * streamed multipart Upload (never more than S3_QUEUE parts in memory) and read back by GetObject's
 * stream. The metadata — and so soft removal, the scope and the audit — stays in PostgreSQL: the
 * object is written before the upload's transaction commits, and a rolled-back upload's object is
 * deleted by discard().
 */
export class S3AttachmentStore implements AttachmentStore {
  readonly kind = 's3' as const;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  static fromConfig(config: Extract<AttachmentStoreConfig, { kind: 's3' }>): S3AttachmentStore {
    const client = new S3Client({
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      ...(config.endpoint ? { endpoint: config.endpoint } : {}),
      ...(config.credentials ? { credentials: config.credentials } : {}),
    });
    return new S3AttachmentStore(client, config.bucket);
  }

  key(id: string): string {
    return `attachments/${id}`;
  }

  writer(_tx: EntityManager, id: string): Writable {
    const body = new PassThrough({ highWaterMark: CHUNK_BYTES });
    const upload = new Upload({ client: this.client, params: { Bucket: this.bucket, Key: this.key(id), Body: body }, partSize: S3_PART_BYTES, queueSize: S3_QUEUE, leavePartsOnError: false });
    const done = upload.done();
    // Observed by final() or, on a failed write, by destroy(); never unhandled.
    done.catch(() => undefined);
    return new Writable({
      highWaterMark: CHUNK_BYTES,
      write(chunk: Buffer, _encoding, callback) {
        if (body.write(chunk)) callback();
        else body.once('drain', () => callback());
      },
      final(callback) {
        body.end();
        done.then(() => callback(), callback);
      },
      destroy(error, callback) {
        if (!body.writableFinished) {
          body.destroy();
          upload.abort().catch(() => undefined);
        }
        callback(error);
      },
    });
  }

  reader(id: string): Readable {
    const out = new PassThrough({ highWaterMark: CHUNK_BYTES });
    this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key(id) })).then(
      (res) => {
        const content = res.Body as Readable | undefined;
        if (!content) return out.destroy(new Error(`attachment ${id}: the bucket answered no content`));
        content.once('error', (e) => out.destroy(e));
        out.once('close', () => content.destroy());
        content.pipe(out);
      },
      (e: Error) => out.destroy(e),
    );
    return out;
  }

  async discard(id: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.key(id) }));
  }
}

/** The store ATTACHMENT_STORE chooses. */
export function attachmentStoreFor(config: AttachmentStoreConfig, dataSource: DataSource): AttachmentStore {
  return config.kind === 's3' ? S3AttachmentStore.fromConfig(config) : new PostgresAttachmentStore(dataSource);
}

/** The Nest token of the store in use. */
export const ATTACHMENT_STORE = Symbol('ATTACHMENT_STORE');
