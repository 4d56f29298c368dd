import { hash } from '@node-rs/bcrypt';
import { randomUUID } from 'node:crypto';
import { In, type DataSource } from 'typeorm';
import { normalizeUsername, type Actor } from '../../../../libs/domain';
import { AppUserEntity, RegionEntity } from '../../../../libs/persistence';
import { recordAudit } from '../audit/audit-writer';
import { levelOfCode, storedForms } from '../regions/region-code';
import { usernameProblem, USER_LIMITS } from '../users/user-rules';
import { oneTimePassword } from '../users/passwords';

export interface CreateCountyInput {
  name: string;
  code: string;
  adminUsername: string;
  adminName: string;
  /** bcrypt cost of the one-time password's hash (PASSWORD_HASH_ROUNDS). */
  hashRounds: number;
}

export interface CreatedCounty {
  county: { id: string; code: string; name: string };
  admin: { id: string; username: string; name: string };
  /** Shown once; only its hash is stored, and it must be changed at the first sign-in. */
  oneTimePassword: string;
}

/** A refusal of the command, with the sentence to print (Chinese, then English). */
export class CreateCountyError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} / ${en}`);
  }
}

/** Who did it, in the audit trail: the command run on the server, not a signed-in person. */
export const ADMIN_CLI_ACTOR: Actor = { id: 'admin-cli', name: '管理命令 create-county', role: 'system' };

/**
 * Creates a county (its region, by its 12-digit statistical code) and the first account of its
 * organization department (县委组织部) with a one-time password, in one transaction with an audit
 * entry. Refuses a second county of the same code, or a username already in use, writing nothing.
 */
export async function createCounty(ds: DataSource, input: CreateCountyInput): Promise<CreatedCounty> {
  const name = input.name.trim();
  const code = input.code.trim();
  const adminName = input.adminName.trim();
  const username = normalizeUsername(input.adminUsername);
  if (!name || name.length > 100) throw new CreateCountyError('县（区）名称不能为空，且不超过 100 个字符（--name）', 'The county name (--name) must be 1–100 characters');
  if (levelOfCode(code) !== 'county') {
    throw new CreateCountyError(
      `县（区）统计用区划代码应为 12 位数字、以 000000 结尾，且第 5–6 位不为 00（--code）：${code}`,
      `--code must be a county's 12-digit statistical code ending in 000000: ${code}`,
    );
  }
  const usernameWhy = usernameProblem(username);
  if (usernameWhy) throw new CreateCountyError(`${usernameWhy.zh}（--admin-username）`, `${usernameWhy.en} (--admin-username)`);
  if (!adminName || adminName.length > USER_LIMITS.name) throw new CreateCountyError(`管理员姓名不能为空，且不超过 ${USER_LIMITS.name} 个字符（--admin-name）`, `--admin-name must be 1–${USER_LIMITS.name} characters`);

  const password = oneTimePassword();
  const passwordHash = await hash(password, input.hashRounds);
  return ds.transaction(async (tx) => {
    // One county at a time, so two commands for one code cannot both pass the check below.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('create-county'))`);
    const existing = await tx.getRepository(RegionEntity).findOneBy({ code: In(storedForms(code)) });
    if (existing) {
      throw new CreateCountyError(
        `代码 ${code} 的区划已存在（${existing.name}），未重复创建；如需新的管理员账号，请由该县县委组织部登录后在“人员”中创建`,
        `A region with code ${code} already exists (${existing.name}); nothing was created`,
      );
    }
    if (await tx.getRepository(AppUserEntity).existsBy({ username })) {
      throw new CreateCountyError(`用户名 ${username} 已被使用，请换一个（--admin-username）`, `The username ${username} is taken`);
    }
    const countyId = randomUUID();
    const county = await tx.getRepository(RegionEntity).save({ id: countyId, code, name, level: 'county', parentId: null, path: `/${countyId}/` });
    const admin = await tx.getRepository(AppUserEntity).save({
      username,
      displayName: adminName,
      title: '县委组织部',
      passwordHash,
      role: 'county_org_admin',
      regionId: county.id,
      active: true,
      mustChangePassword: true,
    });
    await recordAudit(tx, {
      key: `county:${county.id}:created`,
      actor: ADMIN_CLI_ACTOR,
      action: 'county.created',
      payload: { countyId: county.id, code, name, adminId: admin.id, adminUsername: username, adminName },
    });
    return { county: { id: county.id, code, name }, admin: { id: admin.id, username, name: adminName }, oneTimePassword: password };
  });
}
