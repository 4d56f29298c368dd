import { Readable, Writable } from 'node:stream';
import type { DataSource, EntityManager } from 'typeorm';

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

/** The Nest token of the store in use. */
export const ATTACHMENT_STORE = Symbol('ATTACHMENT_STORE');
