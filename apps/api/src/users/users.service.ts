import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hash } from '@node-rs/bcrypt';
import { DataSource, In, QueryFailedError, type EntityManager } from 'typeorm';
import type { AppConfig } from '../../../../libs/config';
import { CADRE_RANK_LABELS, isUpperRegionLevel, normalizeUsername, USER_ROLE_LABELS, type CadreRank, type RegionLevel, type UserRole } from '../../../../libs/domain';
import { AppUserEntity, RegionEntity } from '../../../../libs/persistence';
import { recordAudit } from '../audit/audit-writer';
import { actorOf, type AuthUser } from '../auth/auth-user';
import { firstOf, SpreadsheetException, type UploadedSpreadsheet } from '../common/spreadsheet-upload';
import { APP_CONFIG } from '../config/config.module';
import { fullCode, storedForms } from '../regions/region-code';
import type { CreateUserDto, ImportMode, ListUsersQuery, UpdateUserDto } from './dto/user.dto';
import { oneTimePassword } from './passwords';
import { parseCadreRank, parseRole, readUserFile, USER_COLUMN_LABELS, type UserColumn } from './user-import';
import { UserException, type UserImportProblem } from './user.exception';
import { grantProblem, normalizePhone, phoneProblem, roleLevelProblem, usernameProblem, USER_LIMITS, type Placement } from './user-rules';

/** Who picks people (everyone who may list them) sees these. */
export interface UserSummary {
  id: string;
  name: string;
  title: string;
  role: UserRole;
  regionId: string;
}

/** What the people's managers (county organization department, township Party secretary) see besides. */
export interface UserView extends UserSummary {
  username: string;
  phone: string | null;
  cadreRank: CadreRank | null;
  active: boolean;
  regionName: string;
  regionCode: string;
  /** The account holds a one-time password not yet changed by its owner. */
  oneTimeCredential: boolean;
}

export interface CreatedUser {
  user: UserView;
  /** Shown this once to the manager who hands it over; only its hash is stored. */
  oneTimePassword: string;
}

export interface UserImportResult {
  mode: ImportMode;
  rows: number;
  imported: number;
  /** Each new account with its one-time password, to hand over; shown in this answer only. */
  created: { line: number; username: string; name: string; oneTimePassword: string }[];
  rejected: UserImportProblem[];
  rejectedUnlisted: number;
}

/**
 * One-time passwords are 14 random characters (about 80 bits): no guessing is helped by a slow hash,
 * so they are hashed at a lower cost than chosen passwords, which lets an import of hundreds of people
 * answer in seconds. The owner's own password, chosen at the first sign-in, gets the full cost.
 */
const ONE_TIME_HASH_ROUNDS_MAX = 8;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MANAGERS: readonly UserRole[] = ['province_org_admin', 'city_org_admin', 'county_org_admin', 'township_party_secretary'];
/** The organization departments: each region keeps at least one active account of its own. */
const DEPARTMENT_ROLES: readonly UserRole[] = ['province_org_admin', 'city_org_admin', 'county_org_admin'];

function isUniqueViolation(e: unknown): boolean {
  return e instanceof QueryFailedError && (e.driverError as { code?: string } | undefined)?.code === '23505';
}

/** A region with the county and township above it. */
interface PlacedRegion {
  id: string;
  code: string;
  name: string;
  level: RegionLevel;
  path: string;
  countyId: string;
  townshipId: string | null;
  parentId: string | null;
}

/** A province or city stands for its own county, as for its users (AuthUser). */
function placed(r: RegionEntity): PlacedRegion {
  const [countyId, townshipId = null] = isUpperRegionLevel(r.level) ? [r.id] : r.path.split('/').filter(Boolean);
  return { id: r.id, code: r.code, name: r.name, level: r.level, path: r.path, countyId, townshipId, parentId: r.parentId };
}

function placement(role: UserRole, region: PlacedRegion): Placement {
  return { role, level: region.level, countyId: region.countyId, townshipId: region.townshipId, parentId: region.parentId };
}

/** Does the region lie where a province or city user manages people: their region, or a city of their province? */
function withinUpper(user: AuthUser, region: PlacedRegion): boolean {
  return region.id === user.regionId || (user.regionLevel === 'province' && region.level === 'city' && region.parentId === user.regionId);
}

interface UserRow extends AppUserEntity {
  regionName: string;
  regionCode: string;
  regionPath: string;
}

function view(u: UserRow): UserView {
  return {
    id: u.id,
    name: u.displayName,
    title: u.title,
    role: u.role,
    regionId: u.regionId,
    username: u.username,
    phone: u.phone,
    cadreRank: u.cadreRank,
    active: u.active,
    regionName: u.regionName,
    regionCode: u.regionCode,
    oneTimeCredential: u.mustChangePassword,
  };
}

/** Why the released tasks went back, in the audit trail of each (a handover). */
type HandoverReason = 'moved' | 'deactivated' | 'role_changed';

/**
 * People (人员): accounts created, imported and edited by their managers — the county organization
 * department for its county, a township Party secretary for the team leaders and members of their
 * township — each change audited, nobody granting a role above their own or outside their region.
 */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(user: AuthUser, query: ListUsersQuery): Promise<{ total: number; items: (UserSummary | UserView)[] }> {
    const manager = MANAGERS.includes(user.role);
    const regionPath = `/${[user.countyId, user.townshipId, user.villageId].filter(Boolean).join('/')}/`;
    const qb = this.dataSource
      .getRepository(AppUserEntity)
      .createQueryBuilder('u')
      .innerJoin(RegionEntity, 'r', 'r.id = u.region_id')
      .addSelect(['r.name', 'r.code', 'r.path']);
    // Above the county: the people of the province or city itself, and a province's cities'.
    if (user.regionLevel === 'province') qb.where(`(r.id = :own OR (r.parent_id = :own AND r.level = 'city'))`, { own: user.regionId });
    else if (user.regionLevel === 'city') qb.where('r.id = :own', { own: user.regionId });
    else qb.where('r.path LIKE :prefix', { prefix: `${regionPath}%` });
    if (!(manager && query.includeInactive)) qb.andWhere('u.active');
    if (query.roles?.length) qb.andWhere('u.role IN (:...roles)', { roles: query.roles });
    if (query.regionId) qb.andWhere('r.path LIKE :within', { within: `%/${query.regionId}/%` });
    if (query.q) {
      const like = `%${query.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(`(u.display_name ILIKE :q ESCAPE '\\' OR u.username ILIKE :q ESCAPE '\\'${manager ? ` OR u.phone ILIKE :q ESCAPE '\\'` : ''})`, { q: like });
    }
    const total = await qb.getCount();
    const { entities, raw } = await qb.orderBy('u.role').addOrderBy('u.display_name').addOrderBy('u.id').limit(500).getRawAndEntities();
    const regionOf = new Map(raw.map((r: { u_id: string; r_name: string; r_code: string; r_path: string }) => [r.u_id, r]));
    const items = entities.map((u) => {
      if (!manager) return { id: u.id, name: u.displayName, title: u.title, role: u.role, regionId: u.regionId };
      const r = regionOf.get(u.id)!;
      return view({ ...u, regionName: r.r_name, regionCode: r.r_code, regionPath: r.r_path } as UserRow);
    });
    return { total, items };
  }

  async create(user: AuthUser, dto: CreateUserDto): Promise<CreatedUser> {
    const username = normalizeUsername(dto.username);
    const why = usernameProblem(username);
    if (why) throw UserException.usernameInvalid(why.zh, why.en, dto.username);
    const phone = normalizePhone(dto.phone);
    const phoneWhy = phoneProblem(phone);
    if (phoneWhy) throw UserException.phoneInvalid(phoneWhy, dto.phone ?? '');
    const region = await this.regionInCounty(this.dataSource.manager, user, dto.regionId);
    this.assertMayHold(user, dto.role, region);

    const password = oneTimePassword();
    const passwordHash = await hash(password, this.oneTimeRounds());
    try {
      return await this.dataSource.transaction(async (tx) => {
        if (await tx.getRepository(AppUserEntity).existsBy({ username })) throw UserException.usernameTaken(username);
        const saved = await tx.getRepository(AppUserEntity).save({
          username,
          displayName: dto.name,
          title: dto.title ?? '',
          phone,
          role: dto.role,
          regionId: region.id,
          cadreRank: dto.cadreRank ?? null,
          passwordHash,
          active: true,
          mustChangePassword: true,
        });
        await recordAudit(tx, {
          key: `user:${saved.id}:created`,
          actor: actorOf(user),
          action: 'user.created',
          payload: { userId: saved.id, username, name: dto.name, role: dto.role, regionId: region.id, regionName: region.name, cadreRank: saved.cadreRank },
        });
        return { user: view({ ...saved, regionName: region.name, regionCode: region.code, regionPath: region.path } as UserRow), oneTimePassword: password };
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw UserException.usernameTaken(username);
      throw e;
    }
  }

  /**
   * Edits an account. A new region takes effect at once (the guard loads the user fresh on every
   * request); a move, a role change or a deactivation hands the person's open claimed tasks back to
   * their role's pool, each with a task.released audit entry naming the handover.
   */
  async update(user: AuthUser, id: string, dto: UpdateUserDto): Promise<UserView & { releasedTasks: number }> {
    return this.dataSource.transaction(async (tx) => {
      const { target, region } = await this.manageable(tx, user, id);
      const role = dto.role ?? target.role;
      const newRegion = dto.regionId && dto.regionId !== target.regionId ? await this.regionInCounty(tx, user, dto.regionId) : region;
      if (dto.role !== undefined || newRegion !== region) this.assertMayHold(user, role, newRegion);
      const phone = dto.phone === undefined ? target.phone : normalizePhone(dto.phone);
      const phoneWhy = phoneProblem(phone);
      if (phoneWhy) throw UserException.phoneInvalid(phoneWhy, dto.phone ?? '');

      const changes: Partial<AppUserEntity> = {};
      if (dto.name !== undefined && dto.name !== target.displayName) changes.displayName = dto.name;
      if (dto.title !== undefined && dto.title !== target.title) changes.title = dto.title;
      if (phone !== target.phone) changes.phone = phone;
      if (role !== target.role) changes.role = role;
      if (newRegion.id !== target.regionId) changes.regionId = newRegion.id;
      if (dto.cadreRank !== undefined && (dto.cadreRank ?? null) !== target.cadreRank) changes.cadreRank = dto.cadreRank ?? null;
      if (dto.active !== undefined && dto.active !== target.active) changes.active = dto.active;

      const leavesAdmins = target.active && DEPARTMENT_ROLES.includes(target.role) && (changes.active === false || (changes.role !== undefined && changes.role !== target.role));
      if (leavesAdmins) await this.assertNotLastAdmin(tx, target);

      let releasedTasks = 0;
      if (Object.keys(changes).length > 0) {
        await tx.update(AppUserEntity, { id }, changes);
        const reason: HandoverReason | null = changes.active === false ? 'deactivated' : changes.regionId ? 'moved' : changes.role ? 'role_changed' : null;
        if (reason) releasedTasks = await this.releaseClaims(tx, user, target, reason);
        const before = Object.fromEntries(Object.keys(changes).map((k) => [k, target[k as keyof AppUserEntity]]));
        await recordAudit(tx, {
          actor: actorOf(user),
          action: changes.active === false ? 'user.deactivated' : changes.active === true ? 'user.reactivated' : changes.regionId ? 'user.moved' : 'user.updated',
          payload: { userId: id, username: target.username, name: target.displayName, before, after: changes, ...(changes.regionId ? { fromRegion: region.name, toRegion: newRegion.name } : {}), releasedTasks },
        });
      }
      const saved = await tx.getRepository(AppUserEntity).findOneByOrFail({ id });
      return { ...view({ ...saved, regionName: newRegion.name, regionCode: newRegion.code, regionPath: newRegion.path } as UserRow), releasedTasks };
    });
  }

  /** A new one-time password for the person; their sessions end and the first sign-in must change it. */
  async resetPassword(user: AuthUser, id: string): Promise<{ oneTimePassword: string }> {
    const password = oneTimePassword();
    const passwordHash = await hash(password, this.oneTimeRounds());
    await this.dataSource.transaction(async (tx) => {
      const { target } = await this.manageable(tx, user, id);
      await tx.query(`UPDATE app_user SET password_hash = $2, must_change_password = true, session_version = session_version + 1 WHERE id = $1`, [id, passwordHash]);
      await recordAudit(tx, { actor: actorOf(user), action: 'user.password_reset', payload: { userId: id, username: target.username, name: target.displayName } });
    });
    return { oneTimePassword: password };
  }

  /**
   * Imports people from a file. Every row is checked (username free and well formed, role and region
   * agreeing and within what the importer may grant, phone, rank); mode 'all' writes nothing unless
   * every row is valid. New accounts get one-time passwords, answered once.
   */
  async import(user: AuthUser, file: UploadedSpreadsheet | undefined, mode: ImportMode): Promise<UserImportResult> {
    if (!file) throw SpreadsheetException.fileMissing('file');
    const rows = await readUserFile(file, this.config.imports);
    const maxListed = this.config.imports.maxReportedProblems;

    const usernames = [...new Set(rows.map((r) => normalizeUsername(r.cells.username)).filter(Boolean))];
    const taken = new Set<string>();
    for (let i = 0; i < usernames.length; i += 1000) {
      const found = await this.dataSource.getRepository(AppUserEntity).find({ select: { username: true }, where: { username: In(usernames.slice(i, i + 1000)) } });
      found.forEach((u) => taken.add(u.username));
    }
    const codes = [...new Set(rows.flatMap((r) => (fullCode(r.cells.regionCode) ? storedForms(fullCode(r.cells.regionCode)!) : [r.cells.regionCode])).filter(Boolean))];
    const regionByCode = new Map<string, PlacedRegion>();
    for (let i = 0; i < codes.length; i += 1000) {
      const found = await this.dataSource.getRepository(RegionEntity).findBy({ code: In(codes.slice(i, i + 1000)) });
      for (const r of found) {
        regionByCode.set(r.code, placed(r));
        const full = fullCode(r.code);
        if (full) regionByCode.set(full, placed(r));
      }
    }

    type Valid = { line: number; username: string; name: string; title: string; phone: string | null; role: UserRole; region: PlacedRegion; cadreRank: CadreRank | null };
    const valid: Valid[] = [];
    const rejected: UserImportProblem[] = [];
    const firstLine = new Map<string, number>();
    for (const { line, cells } of rows) {
      const problems: UserImportProblem[] = [];
      const bad = (col: UserColumn, reason: string) => problems.push({ line, field: USER_COLUMN_LABELS[col], reason });
      const username = normalizeUsername(cells.username);
      if (!username) bad('username', '用户名不能为空');
      else {
        const why = usernameProblem(username);
        if (why) bad('username', why.zh);
        else if (taken.has(username)) bad('username', `用户名 ${username} 已被使用`);
        else if (firstLine.has(username)) bad('username', `用户名 ${username} 与第 ${firstLine.get(username)} 行重复`);
        if (!firstLine.has(username)) firstLine.set(username, line);
      }
      if (!cells.name) bad('name', '姓名不能为空');
      else if (cells.name.length > USER_LIMITS.name) bad('name', `姓名过长（最多 ${USER_LIMITS.name} 个字符）`);
      if (cells.title.length > USER_LIMITS.title) bad('title', `职务过长（最多 ${USER_LIMITS.title} 个字符）`);
      const phone = normalizePhone(cells.phone);
      const phoneWhy = phoneProblem(phone);
      if (phoneWhy) bad('phone', phoneWhy);
      const rank = parseCadreRank(cells.cadreRank);
      if (rank === null) bad('cadreRank', `职级“${cells.cadreRank}”无法识别，应为：${Object.values(CADRE_RANK_LABELS).join('、')}（或“是/否”科级）`);
      const role = cells.role ? parseRole(cells.role) : null;
      if (!cells.role) bad('role', '角色不能为空');
      else if (!role) bad('role', `角色“${cells.role}”不存在，应为：${Object.values(USER_ROLE_LABELS).join('、')}`);
      const region = cells.regionCode ? regionByCode.get(cells.regionCode) : undefined;
      if (!cells.regionCode) bad('regionCode', '所在区划代码不能为空');
      else if (!region || region.countyId !== user.countyId) bad('regionCode', `区划代码 ${cells.regionCode} 不存在或不在本县（区）`);
      else if (role) {
        const levelWhy = roleLevelProblem(role, region.level);
        const grantWhy = grantProblem(user, placement(role, region));
        if (levelWhy) bad('role', levelWhy);
        else if (grantWhy) bad('role', grantWhy);
      }
      if (problems.length > 0 || !role || !region) rejected.push(...problems);
      else valid.push({ line, username, name: cells.name, title: cells.title, phone, role, region, cadreRank: rank ?? null });
    }
    if (rejected.length > 0 && mode === 'all') throw UserException.importInvalid(rows.length, rejected, maxListed);

    const rounds = this.oneTimeRounds();
    const passwords = valid.map(() => oneTimePassword());
    const hashes = await Promise.all(passwords.map((p) => hash(p, rounds)));
    try {
      await this.dataSource.transaction(async (tx) => {
        const entities = valid.map((v, i) => ({
          username: v.username,
          displayName: v.name,
          title: v.title,
          phone: v.phone,
          role: v.role,
          regionId: v.region.id,
          cadreRank: v.cadreRank,
          passwordHash: hashes[i],
          active: true,
          mustChangePassword: true,
        }));
        for (let i = 0; i < entities.length; i += 500) await tx.insert(AppUserEntity, entities.slice(i, i + 500));
        await recordAudit(tx, {
          actor: actorOf(user),
          action: 'user.imported',
          payload: { fileName: file.originalname, mode, rows: rows.length, imported: valid.length, rejectedLines: new Set(rejected.map((p) => p.line)).size, usernames: valid.map((v) => v.username) },
        });
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        const detail = String(((e as QueryFailedError).driverError as { detail?: string } | undefined)?.detail ?? '');
        throw UserException.usernameTaken(/\(username\)=\(([^)]*)\)/.exec(detail)?.[1] ?? detail);
      }
      throw e;
    }
    const { listed, unlisted } = firstOf(rejected, maxListed);
    return {
      mode,
      rows: rows.length,
      imported: valid.length,
      created: valid.map((v, i) => ({ line: v.line, username: v.username, name: v.name, oneTimePassword: passwords[i] })),
      rejected: listed,
      rejectedUnlisted: unlisted,
    };
  }

  private oneTimeRounds(): number {
    return Math.min(this.config.auth.passwordHashRounds, ONE_TIME_HASH_ROUNDS_MAX);
  }

  /** A region of the user's county (above it: the user's province or city, or a city of the province), or 404. */
  private async regionInCounty(m: EntityManager, user: AuthUser, regionId: string): Promise<PlacedRegion> {
    const found = UUID.test(regionId) ? await m.getRepository(RegionEntity).findOneBy({ id: regionId }) : null;
    const region = found ? placed(found) : null;
    const within = region && (isUpperRegionLevel(user.regionLevel) ? withinUpper(user, region) : region.countyId === user.countyId);
    if (!region || !within) throw UserException.regionNotFound(regionId);
    return region;
  }

  /** 400 when the role cannot sit at the region's level; 403 when the manager may not grant it there. */
  private assertMayHold(user: AuthUser, role: UserRole, region: PlacedRegion): void {
    const levelWhy = roleLevelProblem(role, region.level);
    if (levelWhy) throw UserException.roleRegionMismatch(levelWhy, { role, regionId: region.id, level: region.level });
    const grantWhy = grantProblem(user, placement(role, region));
    if (grantWhy) throw UserException.grantForbidden(grantWhy, { role, regionId: region.id });
  }

  /**
   * The account (locked) if the user manages it: 404 when it lies outside the user's region, 403
   * when inside but the user may not manage its role (a township secretary and a township inspector).
   */
  private async manageable(tx: EntityManager, user: AuthUser, id: string): Promise<{ target: AppUserEntity; region: PlacedRegion }> {
    const target = UUID.test(id) ? await tx.getRepository(AppUserEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!target) throw UserException.notFound(id);
    const region = placed(await tx.getRepository(RegionEntity).findOneByOrFail({ id: target.regionId }));
    const within = isUpperRegionLevel(user.regionLevel)
      ? withinUpper(user, region)
      : user.role === 'county_org_admin'
        ? region.countyId === user.countyId
        : region.countyId === user.countyId && region.townshipId === user.townshipId;
    if (!within) throw UserException.notFound(id);
    const grantWhy = grantProblem(user, placement(target.role, region));
    if (grantWhy) throw UserException.grantForbidden(grantWhy, { userId: id, role: target.role });
    return { target, region };
  }

  /** Refuses to leave a county, city or province without an active account of its organization department. */
  private async assertNotLastAdmin(tx: EntityManager, target: AppUserEntity): Promise<void> {
    // Locks every active admin of the region, so two deactivations of two admins cannot both pass.
    const admins: { id: string }[] = await tx.query(`SELECT id FROM app_user WHERE role = $2 AND region_id = $1 AND active ORDER BY id FOR UPDATE`, [
      target.regionId,
      target.role,
    ]);
    if (!admins.some((a) => a.id !== target.id)) throw UserException.lastCountyAdmin(target.displayName, USER_ROLE_LABELS[target.role]);
  }

  /** Hands the person's open claimed tasks back to their role's pool: a handover, one audit entry a task. */
  private async releaseClaims(tx: EntityManager, user: AuthUser, target: AppUserEntity, reason: HandoverReason): Promise<number> {
    const tasks: { key: string; case_id: string; kind: string; assigned_by_id: string | null }[] = await tx.query(
      `SELECT key, case_id, kind, assigned_by_id FROM task WHERE claimed_by_id = $1 AND status = 'open' ORDER BY key FOR UPDATE`,
      [target.id],
    );
    if (tasks.length === 0) return 0;
    await tx.query(`UPDATE task SET claimed_by_id = NULL, claimed_by_name = NULL, claimed_at = NULL, assigned_by_id = NULL WHERE key = ANY($1::varchar[])`, [tasks.map((t) => t.key)]);
    for (const t of tasks) {
      await recordAudit(tx, {
        caseId: t.case_id,
        actor: actorOf(user),
        action: 'task.released',
        payload: { taskKey: t.key, taskKind: t.kind, userId: target.id, userName: target.displayName, releasedById: user.id, assignedById: t.assigned_by_id, handover: reason },
      });
    }
    return tasks.length;
  }
}
