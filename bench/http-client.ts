import { Agent, request } from 'node:http';
import { gunzipSync } from 'node:zlib';

/**
 * The benchmark's HTTP client for the write path (designation and the playbook): node:http over kept-alive
 * connections, asking for gzip as the phones' browsers do. The driver shares the machine's two cores with what it
 * measures, so its own cost per request counts against the application: Node's fetch (undici) took about 0.5 ms
 * of CPU a request here, this about 0.15 ms, with the same headers and the same answers.
 */
export class BenchHttpClient {
  private readonly agent: Agent;

  constructor(
    private readonly base: string,
    maxSockets: number,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** POSTs JSON and answers the status and the parsed JSON answer. */
  postJson<T>(url: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; json: T }> {
    const data = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.base}${url}`,
        {
          method: 'POST',
          agent: this.agent,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': String(data.length), 'accept-encoding': 'gzip' },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            try {
              const raw = Buffer.concat(chunks);
              const text = (res.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
              resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as T });
            } catch (err) {
              reject(err instanceof Error ? err : new Error(String(err)));
            }
          });
        },
      );
      req.on('error', reject);
      req.end(data);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
