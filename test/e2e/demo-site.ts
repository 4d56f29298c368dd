import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { DEMO_BATCH_YEAR, DEMO_PASSWORD, DEMO_USERS } from '../../apps/api/src/demo/demo-county';
import { seedDemoCounty } from '../../apps/api/src/demo/seed-demo';
import { as, type TestUser } from '../support/auth';
import { startHarness, testConfig, type Harness } from '../support/harness';
import { HTTP_TEAM, todayInShanghai } from '../support/http-playbook';
import { createReadyDatabase, dropDatabase } from '../support/own-database';
import { ensureWebBuilt, requireChromium } from './browser';

export interface DemoSite {
  h: Harness;
  /** http://127.0.0.1:<port>, serving the built dashboard and the API. */
  base: string;
  /** Every demo user, signed in. */
  users: Record<string, TestUser>;
  close(): Promise<void>;
}

/**
 * The API serving the built app on a real port, over a database of the calling file's own (so the
 * demo county is loaded there alone) and the run's Temporal dev server, every demo user signed in.
 */
export async function startDemoSite(databasePrefix: string): Promise<DemoSite> {
  requireChromium();
  ensureWebBuilt();
  const adminUrl = process.env.DATABASE_URL!;
  const databaseName = `${databasePrefix}_${Date.now()}_${process.pid}`;
  const databaseUrl = await createReadyDatabase(adminUrl, databaseName);
  let h: Harness | undefined;
  try {
    h = await startHarness(testConfig({ DATABASE_URL: databaseUrl }));
    await h.app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(h.app.getHttpServer().address() as AddressInfo).port}`;
    await seedDemoCounty(h.app, { ratings: false });
    const users: Record<string, TestUser> = {};
    for (const u of DEMO_USERS) {
      const res = await request(h.app.getHttpServer()).post('/api/auth/login').send({ username: u.username, password: DEMO_PASSWORD }).expect(200);
      users[u.username] = { id: res.body.user.id, username: u.username, name: res.body.user.name, role: u.role, regionId: res.body.user.regionId, token: res.body.accessToken };
    }
    const started = h;
    return {
      h: started,
      base,
      users,
      async close() {
        await started.close();
        await dropDatabase(adminUrl, databaseName);
      },
    };
  } catch (err) {
    await h?.close();
    await dropDatabase(adminUrl, databaseName);
    throw err;
  }
}

/**
 * A case of the test's own in 禾丰镇: designated on an organization no case of the demo batch holds, with
 * `leader` as its contact leader and a stationed team, so no browser test works on another's case.
 */
export async function freshHefengCase(site: DemoSite, leader: string): Promise<string> {
  const api = (username: string) => as(site.h.app, site.users[username]);
  const township = site.users.hefeng_shuji.regionId;
  const orgs = (await api('zzb_admin').get(`/api/organizations?townshipId=${township}&limit=200`).expect(200)).body.items as { id: string }[];
  const cases = (await api('zzb_admin').get(`/api/cases?batchYear=${DEMO_BATCH_YEAR}&limit=200`).expect(200)).body.items as { organizationId: string }[];
  const taken = new Set(cases.map((c) => c.organizationId));
  for (const org of orgs.filter((o) => !taken.has(o.id))) {
    const res = await api('zzb_admin')
      .post('/api/cases')
      .send({ organizationId: org.id, batchYear: DEMO_BATCH_YEAR, reasons: ['C4'], note: '组织生活长期不正常，三会一课无记录，经县委组织部研判认定' });
    if (res.status === 409) continue; // designated meanwhile by another test
    if (res.status !== 201) throw new Error(`designation answered ${res.status}: ${JSON.stringify(res.body)}`);
    const id = res.body.id as string;
    await api('zzb_admin').post(`/api/cases/${id}/contact-leader`).send({ leaderUserId: site.users[leader].id }).expect(200);
    await api('hefeng_shuji').post(`/api/cases/${id}/team`).send({ arrivedOn: todayInShanghai(), members: HTTP_TEAM }).expect(201);
    return id;
  }
  throw new Error('禾丰镇 has no organization left to designate');
}
