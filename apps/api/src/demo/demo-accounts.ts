import { verify } from '@node-rs/bcrypt';
import type { DataSource } from 'typeorm';
import { normalizeUsername } from '../../../../libs/domain';
import { AppUserEntity } from '../../../../libs/persistence';
import { DEMO_PASSWORD, DEMO_USERS } from './demo-county';

/**
 * The demo accounts (README, apps/api/src/demo) that are active and still sign in with the published
 * demo password. Production refuses to start while there are any: anyone who read the README could
 * sign in as the county organization department.
 */
export async function demoAccountsWithPublishedPassword(
  ds: DataSource,
  usernames: readonly string[] = DEMO_USERS.map((u) => u.username),
  password: string = DEMO_PASSWORD,
): Promise<string[]> {
  if (usernames.length === 0) return [];
  const rows = await ds
    .getRepository(AppUserEntity)
    .createQueryBuilder('u')
    .where('u.username IN (:...names)', { names: usernames.map(normalizeUsername) })
    .andWhere('u.active')
    .orderBy('u.username')
    .getMany();
  const found: string[] = [];
  for (const row of rows) if (await verify(password, row.passwordHash)) found.push(row.username);
  return found;
}

/** What the API prints when it refuses to start in production because of them. */
export function demoAccountsRefusal(usernames: readonly string[]): string {
  const list = usernames.map((u) => `'${u}'`).join(', ');
  return [
    `Refusing to start in production: demo accounts still sign in with the published demo password (${usernames.join(', ')}).`,
    '生产环境拒绝启动：演示账号仍使用公开的演示密码。Deactivate them, e.g.',
    `  UPDATE app_user SET active = false WHERE username IN (${list});`,
  ].join('\n');
}
