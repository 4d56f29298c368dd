import { createHash } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { personas, type Personas } from '../support/auth';
import { createRegionWithOrganizations, eventually, noteApiSessions, startHarness, testConfig, type Harness } from '../support/harness';
import { HttpPlaybook } from '../support/http-playbook';

const MB = 1024 * 1024;
/** The file: a PDF of 200 MB, generated as it is sent. */
const FILE_BYTES = 200 * MB;
/** What the API may grow by while it receives it: a fraction of the file (it holds about a 256 kB row at a time). */
const MEMORY_BOUND = 80 * MB;

/**
 * An attachment is never whole in memory (issue 20): a 200 MB upload streams through the type check
 * and the size count into 256 kB rows. The API runs in this process, so its growth is this process's
 * resident size, sampled while the upload runs; the client side sends from a generator, a piece at a
 * time, waiting for the socket to drain.
 */
describe('a large attachment streams (memory bounded)', () => {
  let h: Harness;
  let people: Personas;
  let play: HttpPlaybook;
  let port: number;

  beforeAll(async () => {
    h = await startHarness(testConfig({ ATTACHMENT_MAX_FILE_MB: '300', ATTACHMENT_MAX_CASE_MB: '300' }));
    const home = await createRegionWithOrganizations(h.dataSource, 1);
    people = await personas(h.app, h.dataSource, { countyId: home.county.id, townshipId: home.township.id, villageId: home.organizations[0].regionId });
    play = await HttpPlaybook.designate(h.app, h.dataSource, people, home.organizations[0], 2026);
    const server = h.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    // 200 MB of rows the other test files need not carry.
    await h?.dataSource.query(`DELETE FROM attachment WHERE case_id = $1`, [play?.caseId]);
    await h?.close();
  });

  /** Posts a multipart upload whose file is `size` bytes of a PDF, generated while sending; answers status, body and the file's sha256. */
  function uploadGenerated(size: number, abortAfter?: number, beforeAbort: () => Promise<unknown> = async () => undefined): Promise<{ status: number; body: { id?: string; size?: number; sha256?: string; code?: string }; sha256: string }> {
    const boundary = `----attachment${Date.now()}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="subjectKind"\r\n\r\nacceptance\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="subjectKey"\r\n\r\nacceptance\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="验收材料扫描件.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const pdfStart = Buffer.from('%PDF-1.4\n% a scanned acceptance form\n');
    const piece = Buffer.alloc(MB, 0x20);
    const hash = createHash('sha256');
    return new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: `/api/cases/${play.caseId}/attachments`,
          headers: { Authorization: `Bearer ${people.teamLeader.token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Transfer-Encoding': 'chunked' },
        },
        (res) => {
          const parts: Buffer[] = [];
          res.on('data', (c: Buffer) => parts.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString() || '{}'), sha256: hash.digest('hex') }));
        },
      );
      req.on('error', (e) => (abortAfter === undefined ? reject(e) : undefined));
      let sent = 0;
      const write = () => {
        for (;;) {
          if (abortAfter !== undefined && sent >= abortAfter) {
            // The client goes away mid-file (a phone losing its signal).
            void beforeAbort().then(() => {
              req.destroy();
              resolve({ status: 0, body: {}, sha256: '' });
            }, reject);
            return;
          }
          if (sent >= size) {
            req.end(tail);
            return;
          }
          const next = sent === 0 ? pdfStart : piece.subarray(0, Math.min(piece.length, size - sent));
          hash.update(next);
          sent += next.length;
          if (!req.write(next)) {
            req.once('drain', write);
            return;
          }
        }
      };
      req.write(head);
      write();
    });
  }

  it('keeps a 200 MB file whole while the API grows by a fraction of it', async () => {
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sample = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 5);
    let result: Awaited<ReturnType<typeof uploadGenerated>>;
    try {
      result = await uploadGenerated(FILE_BYTES);
    } finally {
      clearInterval(sample);
    }
    expect(result.status).toBe(201);
    expect(result.body).toMatchObject({ size: FILE_BYTES, sha256: result.sha256 });
    const growth = peak - before;
    expect(growth).toBeLessThan(MEMORY_BOUND);

    const [rows] = await h.dataSource.query(`SELECT count(*)::int AS n, max(length(data))::int AS largest FROM attachment_chunk WHERE attachment_id = $1`, [result.body.id]);
    expect(rows).toEqual({ n: Math.ceil(FILE_BYTES / (256 * 1024)), largest: 256 * 1024 });
  });

  it('keeps nothing of an upload whose client goes away mid-file, and leaves no transaction open', async () => {
    const rows = async () => Number((await h.dataSource.query(`SELECT count(*) AS n FROM attachment WHERE case_id = $1`, [play.caseId]))[0].n);
    const before = await rows();
    /** The API's sessions inside a transaction (the upload's, while it streams). */
    const sessions = noteApiSessions(h.app);
    const inTransaction = async () =>
      Number((await h.dataSource.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE pid = ANY($1::int[]) AND xact_start IS NOT NULL`, [sessions.pids()]))[0].n);
    try {
      // The client goes away once the upload's transaction is under way…
      await uploadGenerated(50 * MB, 5 * MB, () => eventually(async () => ((await inTransaction()) > 0 ? true : undefined), 15_000, 'the upload under way'));
      // …and the API notices the broken request, rolls the upload back and gives its connection back.
      await eventually(async () => ((await inTransaction()) === 0 ? true : undefined), 15_000, 'no transaction left open');
    } finally {
      sessions.stop();
    }
    expect(await rows()).toBe(before);
    const [orphans] = await h.dataSource.query(`SELECT count(*)::int AS n FROM attachment_chunk c WHERE NOT EXISTS (SELECT 1 FROM attachment a WHERE a.id = c.attachment_id)`);
    expect(orphans.n).toBe(0);
  });
});
