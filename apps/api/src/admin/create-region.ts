import { hash } from '@node-rs/bcrypt';
import { randomUUID } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { normalizeUsername, REGION_LEVEL_LABELS, type Actor, type UserRole } from '../../../../libs/domain';
import { AppUserEntity, RegionEntity } from '../../../../libs/persistence';
import { recordAudit } from '../audit/audit-writer';
import { fullCode, storedForms, upperCodeProblem } from '../regions/region-code';
import { oneTimePassword } from '../users/passwords';
import { usernameProblem, USER_LIMITS } from '../users/user-rules';

/** A refusal of a command, with the sentence to print (Chinese, then English). */
export class AdminCommandError extends Error {
  constructor(
    readonly zh: string,
    readonly en: string,
  ) {
    super(`${zh} / ${en}`);
  }
}

/** Who did it, in the audit trail: the command run on the server, not a signed-in person. */
export function adminCliActor(command: string): Actor {
  return { id: 'admin-cli', name: `管理命令 ${command}`, role: 'system' };
}

/** The levels the command creates, each with its organization department's role and title. */
export type CreatedLevel = 'province' | 'city' | 'county';

const DEPARTMENT: Record<CreatedLevel, { role: UserRole; title: string }> = {
  province: { role: 'province_org_admin', title: '省委组织部' },
  city: { role: 'city_org_admin', title: '市（州）委组织部' },
  county: { role: 'county_org_admin', title: '县委组织部' },
};

/** The levels a region of each level may sit under: a city under its province, a county under its city or province (省直管县). */
const PARENT_LEVELS: Record<CreatedLevel, RegionEntity['level'][]> = { province: [], city: ['province'], county: ['city', 'province'] };

export interface CreateRegionInput {
  level: CreatedLevel;
  name: string;
  code: string;
  /** The code of the region above: none for a province, a province for a city, a city or province (or none) for a county. */
  parentCode?: string;
  adminUsername: string;
  adminName: string;
  /** bcrypt cost of the one-time password's hash (PASSWORD_HASH_ROUNDS). */
  hashRounds: number;
}

export interface CreatedRegion {
  region: { id: string; code: string; name: string; level: CreatedLevel };
  parent: { id: string; code: string; name: string } | null;
  admin: { id: string; username: string; name: string; role: UserRole };
  /** Shown once; only its hash is stored, and it must be changed at the first sign-in. */
  oneTimePassword: string;
}

/** The region of a code in either of its stored forms (the demo's short one included), or null. */
async function regionByCode(tx: EntityManager, code: string): Promise<RegionEntity | null> {
  const full = fullCode(code);
  return tx.getRepository(RegionEntity).findOneBy({ code: In(full ? storedForms(full) : [code]) });
}

/** The parent named by --parent-code, checked against the level of what goes under it. */
async function parentFor(tx: EntityManager, level: CreatedLevel, parentCode: string): Promise<RegionEntity> {
  const parent = await regionByCode(tx, parentCode);
  const allowed = PARENT_LEVELS[level];
  const words = allowed.map((l) => REGION_LEVEL_LABELS[l]).join('或');
  if (!parent) throw new AdminCommandError(`上级区划 ${parentCode} 不存在，请先创建它（--parent-code）`, `No region has the code ${parentCode} (--parent-code)`);
  if (!allowed.includes(parent.level)) {
    throw new AdminCommandError(
      `${REGION_LEVEL_LABELS[level]}的上级应为${words}，${parent.name}（${parentCode}）是${REGION_LEVEL_LABELS[parent.level]}（--parent-code）`,
      `A ${level} goes under a ${allowed.join(' or ')}; ${parentCode} is a ${parent.level}`,
    );
  }
  return parent;
}

/**
 * Creates a province, a city or a county (its region, by its 12-digit statistical code, under the
 * region of --parent-code) and the first account of its organization department with a one-time
 * password, in one transaction with an audit entry. Refuses a second region of the same code, a code
 * of another level or outside its parent, or a username already in use, writing nothing.
 *
 * A county keeps its own path ("/<county>/") and names its parent; a city's path lies under its
 * province's (migration RegionsAboveCounty).
 */
export async function createRegionWithAdmin(ds: DataSource, input: CreateRegionInput, command: string): Promise<CreatedRegion> {
  const { level } = input;
  const label = REGION_LEVEL_LABELS[level];
  const name = input.name.trim();
  const code = input.code.trim();
  const parentCode = input.parentCode?.trim() || undefined;
  const adminName = input.adminName.trim();
  const username = normalizeUsername(input.adminUsername);
  if (!name || name.length > 100) throw new AdminCommandError(`${label}名称不能为空，且不超过 100 个字符（--name）`, `The ${level} name (--name) must be 1–100 characters`);
  const codeWhy = upperCodeProblem(code, level);
  if (codeWhy) throw new AdminCommandError(`${codeWhy}（--code）`, `--code must be a ${level}'s 12-digit statistical code: ${code}`);
  if (level === 'province' && parentCode) throw new AdminCommandError('省级区划没有上级，不能指定 --parent-code', 'A province has no parent: leave out --parent-code');
  if (level === 'city' && !parentCode) throw new AdminCommandError('市（州）须指定所属省的代码（--parent-code）', 'A city needs its province (--parent-code)');
  if (parentCode) {
    const why = upperCodeProblem(code, level, parentCode);
    if (why) throw new AdminCommandError(`${why}（--parent-code）`, `${code} does not lie inside ${parentCode} (--parent-code)`);
  }
  const usernameWhy = usernameProblem(username);
  if (usernameWhy) throw new AdminCommandError(`${usernameWhy.zh}（--admin-username）`, `${usernameWhy.en} (--admin-username)`);
  if (!adminName || adminName.length > USER_LIMITS.name) throw new AdminCommandError(`管理员姓名不能为空，且不超过 ${USER_LIMITS.name} 个字符（--admin-name）`, `--admin-name must be 1–${USER_LIMITS.name} characters`);

  const password = oneTimePassword();
  const passwordHash = await hash(password, input.hashRounds);
  return ds.transaction(async (tx) => {
    // One region at a time, so two commands for one code cannot both pass the check below.
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('create-county'))`);
    const existing = await regionByCode(tx, code);
    if (existing) {
      throw new AdminCommandError(
        `代码 ${code} 的区划已存在（${existing.name}），未重复创建；如需新的管理员账号，请由该${label}组织部登录后在“人员”中创建`,
        `A region with code ${code} already exists (${existing.name}); nothing was created`,
      );
    }
    const parent = parentCode ? await parentFor(tx, level, parentCode) : null;
    if (await tx.getRepository(AppUserEntity).existsBy({ username })) {
      throw new AdminCommandError(`用户名 ${username} 已被使用，请换一个（--admin-username）`, `The username ${username} is taken`);
    }
    const id = randomUUID();
    const path = level === 'city' ? `${parent!.path}${id}/` : `/${id}/`;
    await tx.getRepository(RegionEntity).insert({ id, code, name, level, parentId: parent?.id ?? null, path });
    const { role, title } = DEPARTMENT[level];
    const admin = await tx.getRepository(AppUserEntity).save({ username, displayName: adminName, title, passwordHash, role, regionId: id, active: true, mustChangePassword: true });
    const parentPayload = parent ? { parentId: parent.id, parentCode: parent.code, parentName: parent.name } : {};
    const common = { code, name, level, ...parentPayload, adminId: admin.id, adminUsername: username, adminName };
    const actor = adminCliActor(command);
    if (level === 'county') await recordAudit(tx, { key: `county:${id}:created`, actor, action: 'county.created', payload: { countyId: id, ...common } });
    else if (level === 'city') await recordAudit(tx, { key: `city:${id}:created`, actor, action: 'city.created', payload: { regionId: id, ...common } });
    else await recordAudit(tx, { key: `province:${id}:created`, actor, action: 'province.created', payload: { regionId: id, ...common } });
    return {
      region: { id, code, name, level },
      parent: parent ? { id: parent.id, code: parent.code, name: parent.name } : null,
      admin: { id: admin.id, username, name: adminName, role },
      oneTimePassword: password,
    };
  });
}

export interface AttachedCounty {
  county: { id: string; code: string; name: string };
  parent: { id: string; code: string; name: string; level: RegionEntity['level'] };
  /** The region the county was under before, if any. */
  before: { id: string; name: string } | null;
  /** False when the county was already there: nothing written. */
  changed: boolean;
}

/**
 * Puts an existing county under a city (or right under a province, 省直管县): its code must lie inside
 * the parent's. Only its parent changes — the county keeps its path, so nothing below it moves — and
 * the province and city organization departments above see it from then on. Audited as the command.
 */
export async function attachCounty(ds: DataSource, input: { code: string; parentCode: string }, command: string): Promise<AttachedCounty> {
  const code = input.code.trim();
  const parentCode = input.parentCode.trim();
  return ds.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext('create-county'))`);
    const county = await regionByCode(tx, code);
    if (!county) throw new AdminCommandError(`代码 ${code} 的县（区）不存在；新县（区）请用 create-county 创建（--code）`, `No county has the code ${code} (--code)`);
    if (county.level !== 'county') {
      throw new AdminCommandError(`${county.name}（${code}）是${REGION_LEVEL_LABELS[county.level]}，不是县（区）（--code）`, `${code} is a ${county.level}, not a county (--code)`);
    }
    const why = upperCodeProblem(fullCode(county.code) ?? county.code, 'county', parentCode);
    if (why) throw new AdminCommandError(`${why}（--parent-code）`, `The county ${code} does not lie inside ${parentCode} (--parent-code)`);
    const parent = await parentFor(tx, 'county', parentCode);
    const previous = county.parentId ? await tx.getRepository(RegionEntity).findOneBy({ id: county.parentId }) : null;
    const result = {
      county: { id: county.id, code: county.code, name: county.name },
      parent: { id: parent.id, code: parent.code, name: parent.name, level: parent.level },
      before: previous ? { id: previous.id, name: previous.name } : null,
    };
    if (previous?.id === parent.id) return { ...result, changed: false };
    await tx.getRepository(RegionEntity).update({ id: county.id }, { parentId: parent.id });
    await recordAudit(tx, {
      actor: adminCliActor(command),
      action: 'county.attached',
      payload: {
        countyId: county.id,
        countyCode: county.code,
        countyName: county.name,
        parentId: parent.id,
        parentCode: parent.code,
        parentName: parent.name,
        parentLevel: parent.level,
        ...(previous ? { beforeId: previous.id, beforeName: previous.name } : {}),
      },
    });
    return { ...result, changed: true };
  });
}
