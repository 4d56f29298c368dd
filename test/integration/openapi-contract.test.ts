import { spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { signedInUser, type TestUser } from '../support/auth';
import { createRegionWithOrganizations, startHarness, testConfig, type Harness } from '../support/harness';
import { createReadyDatabase, dropDatabase } from '../support/own-database';

const { ensureSchemathesis }: { ensureSchemathesis(): string } = require('../../scripts/lib/schemathesis');

/**
 * The OpenAPI document tells the truth: Schemathesis (an independent fuzzer, scripts/lib/schemathesis.js)
 * generates requests from /api/docs-json — valid ones and ones the document calls invalid — and sends
 * them as a county organization admin. Every check runs: no 5xx, every status and body documented,
 * what the schema calls valid is accepted and what it calls invalid refused, 405 with Allow for an
 * undeclared method. SCHEMATHESIS_MAX_EXAMPLES raises the examples per operation (default 5);
 * SCHEMATHESIS_SEED replays one run.
 *
 * The API runs on a database of this file's own: the fuzzer corrects days of the working calendar
 * (PUT/DELETE /api/calendar/days/{date}, the document's example being 2026-10-08), which is one
 * calendar for every county, and the notice-planning and working-calendar tests read it meanwhile.
 */

/** Operations the fuzzer must not drive, each with why. */
const EXCLUDED: { method: string; path: string; why: string }[] = [
  // Random passwords for random names would lock names out and spend bcrypt time; sign-in has its own tests (security.test.ts).
  { method: 'POST', path: '/api/auth/login', why: 'sign-in lock-out' },
  // Starts a star-rating workflow for every organization of the county each time it succeeds.
  { method: 'POST', path: '/api/star-ratings/launch', why: 'launches a workflow per organization' },
  // Each ends the sessions issued before it, the fuzzer's own token included: every later operation would answer 401. passwords.test.ts covers them.
  { method: 'POST', path: '/api/auth/logout', why: 'ends the session the run uses' },
  { method: 'POST', path: '/api/auth/password', why: 'ends the session the run uses' },
  // Multipart upload of a spreadsheet: the fuzzer cannot build one; organizations.test.ts covers it.
  { method: 'POST', path: '/api/organizations/import', why: 'multipart file upload' },
  // The same for the division list, people and holiday schedule: county-setup.test.ts, people.test.ts cover them.
  { method: 'POST', path: '/api/regions/import', why: 'multipart file upload' },
  { method: 'POST', path: '/api/users/import', why: 'multipart file upload' },
  { method: 'POST', path: '/api/calendar/import', why: 'multipart file upload' },
];

const MAX_EXAMPLES = Number(process.env.SCHEMATHESIS_MAX_EXAMPLES ?? 5);
const SEED = process.env.SCHEMATHESIS_SEED ?? '20260101';

function runSchemathesis(st: string, base: string, admin: TestUser): Promise<{ code: number | null; output: string }> {
  const args = [
    'run',
    `${base}/api/docs-json`,
    '--url',
    base,
    '--checks',
    'all',
    '--max-examples',
    String(MAX_EXAMPLES),
    '--seed',
    SEED,
    '--workers',
    '2',
    '--phases',
    'examples,coverage,fuzzing',
    '--header',
    `Authorization: Bearer ${admin.token}`,
    '--request-timeout',
    '30',
    // Each excluded path has only the one (POST) operation.
    ...EXCLUDED.flatMap((e) => ['--exclude-path', e.path]),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(st, args, { env: { ...process.env, NO_COLOR: '1', SCHEMATHESIS_HOOKS: '' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('OpenAPI contract (Schemathesis against /api/docs-json)', () => {
  const adminUrl = process.env.DATABASE_URL as string;
  const databaseName = `rectification_openapi_${Date.now()}_${process.pid}`;
  let h: Harness;
  let base: string;
  let admin: TestUser;
  let st: string;

  beforeAll(async () => {
    st = ensureSchemathesis();
    const databaseUrl = await createReadyDatabase(adminUrl, databaseName);
    h = await startHarness(testConfig({ DATABASE_URL: databaseUrl }));
    await h.app.listen(0, '127.0.0.1');
    base = `http://127.0.0.1:${(h.app.getHttpServer().address() as AddressInfo).port}`;
    const { county } = await createRegionWithOrganizations(h.dataSource, 3);
    admin = await signedInUser(h.app, h.dataSource, 'county_org_admin', county.id);
  }, 300_000);

  afterAll(async () => {
    await h?.close();
    await dropDatabase(adminUrl, databaseName);
  });

  it('finds no failure of any check', async () => {
    const { code, output } = await runSchemathesis(st, base, admin);
    if (code !== 0) console.log(output);
    expect({ code, summary: output.split('\n').filter((l) => /failures|passed|failed|errors/i.test(l)).slice(-8) }).toEqual({ code: 0, summary: expect.anything() });
  }, 600_000);
});
