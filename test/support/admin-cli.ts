import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { main as adminCli } from '../../apps/api/src/admin/admin-cli';

/** Runs the admin command as `node dist/apps/api/src/admin/admin-cli.js …` would, answering its exit status and output. */
export async function runAdminCli(databaseUrl: string, args: string[]): Promise<{ status: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = jest.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
  const before = process.env.DATABASE_URL;
  process.env.DATABASE_URL = databaseUrl;
  try {
    const status = await adminCli(args);
    return { status, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.env.DATABASE_URL = before;
    log.mockRestore();
    error.mockRestore();
  }
}

/** The one-time password a creation printed (the indented 14-character line). */
export function printedPassword(out: string): string {
  const password = /^ {2}(\S{14})$/m.exec(out)?.[1];
  if (!password) throw new Error(`no one-time password in: ${out}`);
  return password;
}

/** Signs in with a one-time password and changes it, as its owner would at the first sign-in; answers the session. */
export async function firstSignIn(app: INestApplication, username: string, oneTimePassword: string): Promise<{ token: string }> {
  const otp = await request(app.getHttpServer()).post('/api/auth/login').send({ username, password: oneTimePassword }).expect(200);
  const changed = await request(app.getHttpServer())
    .post('/api/auth/password')
    .set('Authorization', `Bearer ${otp.body.accessToken}`)
    .send({ currentPassword: oneTimePassword, newPassword: `Ql-${randomUUID()}` })
    .expect(200);
  return { token: changed.body.accessToken };
}
