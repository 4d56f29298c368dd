import type { INestApplication } from '@nestjs/common';
import { hash } from '@node-rs/bcrypt';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { normalizeUsername, type UserRole } from '../../libs/domain';
import { AppUserEntity } from '../../libs/persistence';

export const TEST_PASSWORD = 'Test@password1';

export interface TestUser {
  id: string;
  username: string;
  name: string;
  role: UserRole;
  regionId: string;
  token: string;
}

/** Creates a user bound to a region and signs them in through the real login endpoint. */
export async function signedInUser(app: INestApplication, ds: DataSource, role: UserRole, regionId: string, extra: { name?: string; title?: string } = {}): Promise<TestUser> {
  const username = normalizeUsername(`${role}-${randomUUID().slice(0, 8)}`);
  const name = extra.name ?? `${role}用户`;
  const repo = ds.getRepository(AppUserEntity);
  const user = await repo.save(
    repo.create({ username, displayName: name, title: extra.title ?? '', role, regionId, passwordHash: await hash(TEST_PASSWORD, 4), active: true }),
  );
  const res = await request(app.getHttpServer()).post('/api/auth/login').send({ username, password: TEST_PASSWORD }).expect(200);
  return { id: user.id, username, name, role, regionId, token: res.body.accessToken };
}

/** supertest with the user's bearer token. */
export function as(app: INestApplication, user: { token: string }) {
  const server = app.getHttpServer();
  const auth = { Authorization: `Bearer ${user.token}` };
  return {
    get: (url: string) => request(server).get(url).set(auth),
    post: (url: string) => request(server).post(url).set(auth),
    put: (url: string) => request(server).put(url).set(auth),
    patch: (url: string) => request(server).patch(url).set(auth),
    delete: (url: string) => request(server).delete(url).set(auth),
  };
}

export interface Personas {
  countyAdmin: TestUser;
  countySecretary: TestUser;
  countyLeader: TestUser;
  townshipSecretary: TestUser;
  teamLeader: TestUser;
  teamMember: TestUser;
  inspector: TestUser;
}

/** One signed-in user per role for a county, one of its townships and one of its villages. */
export async function personas(app: INestApplication, ds: DataSource, at: { countyId: string; townshipId: string; villageId: string }): Promise<Personas> {
  return {
    countyAdmin: await signedInUser(app, ds, 'county_org_admin', at.countyId, { name: '组织部干部' }),
    countySecretary: await signedInUser(app, ds, 'county_party_secretary', at.countyId, { name: '县委书记', title: '县委书记' }),
    countyLeader: await signedInUser(app, ds, 'county_leader', at.countyId, { name: '县级领导', title: '副县长' }),
    townshipSecretary: await signedInUser(app, ds, 'township_party_secretary', at.townshipId, { name: '镇党委书记' }),
    teamLeader: await signedInUser(app, ds, 'team_leader', at.villageId, { name: '工作队队长' }),
    teamMember: await signedInUser(app, ds, 'team_member', at.villageId, { name: '工作队队员' }),
    inspector: await signedInUser(app, ds, 'inspector', at.countyId, { name: '督查员' }),
  };
}
