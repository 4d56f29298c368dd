import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, In, QueryFailedError, type EntityManager } from 'typeorm';
import type { AppConfig } from '../../../../libs/config';
import { isUpperRegionLevel, REGION_LEVEL_LABELS, type RegionLevel } from '../../../../libs/domain';
import { RegionEntity } from '../../../../libs/persistence';
import { recordAudit } from '../audit/audit-writer';
import { actorOf, type AuthUser } from '../auth/auth-user';
import { firstOf, SpreadsheetException, type UploadedSpreadsheet } from '../common/spreadsheet-upload';
import { APP_CONFIG } from '../config/config.module';
import { REGION_NAME_MAX, type CreateCityDto, type CreateRegionDto, type ImportMode, type PlaceCountyDto, type RenameRegionDto } from './dto/region.dto';
import { codeProblem, countyPrefix, fullCode, levelOfCode, parentCodeOf, storedForms, upperCodeProblem, upperPrefix } from './region-code';
import { parseRegionLevel, readRegionFile, REGION_COLUMN_LABELS, type RegionColumn } from './region-import';
import { RegionException, type RegionImportProblem } from './region.exception';

/** A region as the API answers it. */
export interface RegionView {
  id: string;
  code: string;
  name: string;
  level: RegionLevel;
  parentId: string | null;
  /** Organizations registered in the region (for a township: in it and its villages). */
  organizations: number;
  /** Active accounts bound to the region itself. */
  users: number;
}

export interface RegionTreeNode extends RegionView {
  children: RegionTreeNode[];
}

/** A county of the province's code that no city or province holds yet (it was created on its own). */
export interface UnplacedCounty {
  id: string;
  code: string;
  name: string;
}

/** A region of the county the file does not list: kept, with what it holds. */
export interface RegionNotInFile {
  code: string;
  name: string;
  level: RegionLevel;
  organizations: number;
  users: number;
  cases: number;
}

export interface RegionImportResult {
  mode: ImportMode;
  rows: number;
  added: number;
  renamed: { code: string; before: string; after: string }[];
  unchanged: number;
  /** The first IMPORT_MAX_REPORTED_PROBLEMS problems of the rows not imported, and how many more. */
  rejected: RegionImportProblem[];
  rejectedUnlisted: number;
  /**
   * Regions of the county the file does not list. An import never deletes: these stay, each with the
   * organizations, accounts and cases it holds, for the county to see what the file left out.
   */
  notInFile: RegionNotInFile[];
  notInFileUnlisted: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUniqueViolation(e: unknown): boolean {
  return e instanceof QueryFailedError && (e.driverError as { code?: string } | undefined)?.code === '23505';
}

function countyOf(region: RegionEntity): string {
  return region.path.split('/').filter(Boolean)[0];
}

/** A row to insert: its id is made here so a village's path can name a township added in the same file. */
interface NewRegion {
  id: string;
  code: string;
  name: string;
  level: 'township' | 'village';
  parentId: string;
  path: string;
}

/**
 * The county's region tree (区划): townships and villages by their 12-digit statistical codes, created
 * by hand, renamed, or imported from the division list. Nothing here deletes a region.
 */
@Injectable()
export class RegionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * The tree below the user's place: the whole county for a county user, their township or village
   * otherwise. Above the county, the province's cities and counties (those right under it and those
   * of its cities), or the city's counties, without their townships; a county counts its organizations.
   */
  async tree(user: AuthUser): Promise<{ root: RegionTreeNode }> {
    if (isUpperRegionLevel(user.regionLevel)) return this.upperTree(user.regionId);
    const rootId = user.villageId ?? user.townshipId ?? user.countyId;
    const root = await this.dataSource.getRepository(RegionEntity).findOneByOrFail({ id: rootId });
    const rows: (RegionEntity & { organizations: string; users: string })[] = await this.dataSource.query(
      `SELECT r.id, r.code, r.name, r.level, r.parent_id AS "parentId",
              (SELECT count(*) FROM organization o WHERE o.region_id = r.id OR o.township_id = r.id) AS organizations,
              (SELECT count(*) FROM app_user u WHERE u.region_id = r.id AND u.active) AS users
         FROM region r WHERE r.path LIKE $1 ORDER BY r.code`,
      [`${root.path}%`],
    );
    const nodes = new Map<string, RegionTreeNode>();
    for (const r of rows) {
      nodes.set(r.id, { id: r.id, code: r.code, name: r.name, level: r.level, parentId: r.parentId, organizations: Number(r.organizations), users: Number(r.users), children: [] });
    }
    for (const node of nodes.values()) if (node.id !== root.id && node.parentId) nodes.get(node.parentId)?.children.push(node);
    return { root: nodes.get(root.id)! };
  }

  private async upperTree(rootId: string): Promise<{ root: RegionTreeNode }> {
    const rows: (RegionEntity & { organizations: string; users: string })[] = await this.dataSource.query(
      `SELECT r.id, r.code, r.name, r.level, r.parent_id AS "parentId",
              CASE WHEN r.level = 'county' THEN (SELECT count(*) FROM organization o WHERE o.county_id = r.id) ELSE 0 END AS organizations,
              (SELECT count(*) FROM app_user u WHERE u.region_id = r.id AND u.active) AS users
         FROM region r
        WHERE r.id = $1
           OR (r.parent_id = $1 AND r.level IN ('city', 'county'))
           OR (r.level = 'county' AND r.parent_id IN (SELECT c.id FROM region c WHERE c.parent_id = $1 AND c.level = 'city'))
        ORDER BY r.code`,
      [rootId],
    );
    const nodes = new Map<string, RegionTreeNode>();
    for (const r of rows) {
      nodes.set(r.id, { id: r.id, code: r.code, name: r.name, level: r.level, parentId: r.parentId, organizations: Number(r.organizations), users: Number(r.users), children: [] });
    }
    for (const node of nodes.values()) if (node.id !== rootId && node.parentId) nodes.get(node.parentId)?.children.push(node);
    const total = (node: RegionTreeNode): number => (node.level === 'county' ? node.organizations : (node.organizations = node.children.reduce((sum, c) => sum + total(c), 0)));
    const root = nodes.get(rootId)!;
    total(root);
    return { root };
  }

  /**
   * A city under the caller's province: its code a city's (PPCC00000000) starting with the province's
   * two digits, not yet used. Its organization department's accounts are then made in 人员.
   */
  async createCity(user: AuthUser, dto: CreateCityDto): Promise<RegionView> {
    return this.inRegionLock(user.regionId, dto.code, async (tx, province) => {
      if (!upperPrefix(province.code)) throw RegionException.upperCodeNotStatistical(province.code, province.name);
      const problem = upperCodeProblem(dto.code, 'city', province.code);
      if (problem) throw RegionException.codeInvalid(problem, dto.code);
      const existing = await tx.getRepository(RegionEntity).findOneBy({ code: In(storedForms(dto.code)) });
      if (existing) throw RegionException.codeTaken(dto.code, existing.name);
      const id = randomUUID();
      await tx.insert(RegionEntity, { id, code: dto.code, name: dto.name, level: 'city', parentId: province.id, path: `${province.path}${id}/` });
      await recordAudit(tx, {
        key: `city:${id}:created`,
        actor: actorOf(user),
        action: 'city.created',
        payload: { regionId: id, code: dto.code, name: dto.name, level: 'city', parentId: province.id, parentCode: province.code, parentName: province.name },
      });
      return { id, code: dto.code, name: dto.name, level: 'city', parentId: province.id, organizations: 0, users: 0 };
    });
  }

  /**
   * Places an existing county under one of the caller's cities, or right under the province (省直管县).
   * The county's code must lie inside the target's (the city's four digits, the province's two); it
   * may be on its own (made by create-county without a parent) or right under the province, never
   * under another city or province (409: a re-division is the system administrator's attach-county).
   * Already there: answered as it is, nothing written. Only the parent changes; the county keeps its path.
   */
  async placeCounty(user: AuthUser, targetId: string, dto: PlaceCountyDto): Promise<RegionView> {
    return this.inRegionLock(targetId, dto.code, async (tx, target) => {
      const ours = target.id === user.regionId || (target.level === 'city' && target.parentId === user.regionId);
      if (!ours || !isUpperRegionLevel(target.level)) throw RegionException.notAParent(target.name);
      if (!upperPrefix(target.code)) throw RegionException.upperCodeNotStatistical(target.code, target.name);
      const [county]: RegionEntity[] = await tx.query(
        `SELECT id, code, name, level, parent_id AS "parentId", path FROM region WHERE code = ANY($1::varchar[]) FOR UPDATE`,
        [storedForms(dto.code)],
      );
      const problem = upperCodeProblem(dto.code, 'county', target.code);
      if (problem) throw RegionException.codeInvalid(problem, dto.code);
      if (!county || county.level !== 'county') throw RegionException.countyNotFound(dto.code);
      const view = async (): Promise<RegionView> => {
        const [n]: { organizations: string; users: string }[] = await tx.query(
          `SELECT (SELECT count(*) FROM organization o WHERE o.county_id = $1) AS organizations, (SELECT count(*) FROM app_user u WHERE u.region_id = $1 AND u.active) AS users`,
          [county.id],
        );
        return { id: county.id, code: county.code, name: county.name, level: 'county', parentId: target.id, organizations: Number(n.organizations), users: Number(n.users) };
      };
      if (county.parentId === target.id) return view();
      if (county.parentId && county.parentId !== user.regionId) {
        const holder = await tx.getRepository(RegionEntity).findOneBy({ id: county.parentId });
        throw RegionException.countyAttachedElsewhere(county.name, holder?.name ?? '其他区划');
      }
      const before = county.parentId ? await tx.getRepository(RegionEntity).findOneBy({ id: county.parentId }) : null;
      await tx.update(RegionEntity, { id: county.id }, { parentId: target.id });
      await recordAudit(tx, {
        actor: actorOf(user),
        action: 'county.attached',
        payload: {
          countyId: county.id,
          countyCode: county.code,
          countyName: county.name,
          parentId: target.id,
          parentCode: target.code,
          parentName: target.name,
          parentLevel: target.level,
          ...(before ? { beforeId: before.id, beforeName: before.name } : {}),
        },
      });
      return view();
    });
  }

  /**
   * The counties a province may place: those whose code starts with the province's two digits and
   * that no city or province holds yet. Empty when the province's own code is no statistical code.
   */
  async unplacedCounties(user: AuthUser): Promise<{ items: UnplacedCounty[] }> {
    const province = await this.dataSource.getRepository(RegionEntity).findOneByOrFail({ id: user.regionId });
    const prefix = upperPrefix(province.code);
    if (!prefix) return { items: [] };
    const items: UnplacedCounty[] = await this.dataSource.query(
      `SELECT id, code, name FROM region WHERE level = 'county' AND parent_id IS NULL AND code LIKE $1 ORDER BY code LIMIT 1000`,
      [`${prefix}%`],
    );
    return { items };
  }

  /** Runs `work` in a transaction holding the region's row (404 when it is gone). */
  private async inRegionLock<T>(id: string, code: string, work: (tx: EntityManager, region: RegionEntity) => Promise<T>): Promise<T> {
    if (!UUID.test(id)) throw RegionException.notFound(id);
    try {
      return await this.dataSource.transaction(async (tx) => {
        const [region]: RegionEntity[] = await tx.query(`SELECT id, code, name, level, parent_id AS "parentId", path FROM region WHERE id = $1 FOR UPDATE`, [id]);
        if (!region) throw RegionException.notFound(id);
        return work(tx, region);
      });
    } catch (e) {
      // Another writer took the code between the check and the insert.
      if (isUniqueViolation(e)) throw RegionException.codeTaken(code, '刚被另一请求使用');
      throw e;
    }
  }

  /** One township or village by hand: code checked like an import row, parent present, audited. */
  async create(user: AuthUser, dto: CreateRegionDto): Promise<RegionView> {
    return this.inCountyLock(user, async (tx, county, prefix) => {
      const level = levelOfCode(dto.code);
      const problem = codeProblem(dto.code, level === 'village' ? 'village' : 'township', prefix);
      if (problem || !level) throw RegionException.codeInvalid(problem ?? dto.code, dto.code);
      const existing = await tx.getRepository(RegionEntity).findOneBy({ code: In(storedForms(dto.code)) });
      if (existing) throw RegionException.codeTaken(dto.code, existing.name);
      let parent: RegionEntity | null = county;
      if (level === 'village') {
        const parentCode = parentCodeOf(dto.code)!;
        parent = await tx.getRepository(RegionEntity).findOneBy({ code: In(storedForms(parentCode)), level: 'township' });
        if (!parent || countyOf(parent) !== county.id) throw RegionException.parentNotFound(dto.code, parentCode);
      }
      const id = randomUUID();
      const row = { id, code: dto.code, name: dto.name, level: level as 'township' | 'village', parentId: parent.id, path: `${parent.path}${id}/` };
      await tx.insert(RegionEntity, row);
      await recordAudit(tx, { key: `region:${id}:created`, actor: actorOf(user), action: 'region.created', payload: { regionId: id, code: dto.code, name: dto.name, level, parentId: parent.id } });
      return { id, code: dto.code, name: dto.name, level: row.level, parentId: parent.id, organizations: 0, users: 0 };
    });
  }

  async rename(user: AuthUser, id: string, dto: RenameRegionDto): Promise<RegionView> {
    if (!UUID.test(id)) throw RegionException.notFound(id);
    return this.dataSource.transaction(async (tx) => {
      const [region]: RegionEntity[] = await tx.query(`SELECT id, code, name, level, parent_id AS "parentId", path FROM region WHERE id = $1 FOR UPDATE`, [id]);
      if (!region || countyOf(region) !== user.countyId) throw RegionException.notFound(id);
      if (region.name !== dto.name) {
        await tx.update(RegionEntity, { id }, { name: dto.name });
        await recordAudit(tx, { actor: actorOf(user), action: 'region.renamed', payload: { regionId: id, code: region.code, before: region.name, after: dto.name } });
      }
      const [counts]: { organizations: string; users: string }[] = await tx.query(
        `SELECT (SELECT count(*) FROM organization o WHERE o.region_id = $1 OR o.township_id = $1) AS organizations,
                (SELECT count(*) FROM app_user u WHERE u.region_id = $1 AND u.active) AS users`,
        [id],
      );
      return { id, code: region.code, name: dto.name, level: region.level, parentId: region.parentId, organizations: Number(counts.organizations), users: Number(counts.users) };
    });
  }

  /**
   * Imports the county's division list. Every row is checked (12 digits, inside the county's code,
   * level agreeing with the code, parent township in the file or the database, no duplicates); mode
   * 'all' writes nothing unless every row is valid, 'valid' writes the valid rows and reports the rest.
   * Known codes are renamed when the name differs, new ones added; nothing is deleted.
   */
  async import(user: AuthUser, file: UploadedSpreadsheet | undefined, mode: ImportMode): Promise<RegionImportResult> {
    if (!file) throw SpreadsheetException.fileMissing('file');
    const rows = await readRegionFile(file, this.config.imports);
    const maxListed = this.config.imports.maxReportedProblems;

    return this.inCountyLock(user, async (tx, county, prefix) => {
      const fileCodes = [...new Set(rows.map((r) => r.cells.code).filter((c) => /^\d{12}$/.test(c)))];
      const lookup = [...new Set(fileCodes.flatMap((c) => [...storedForms(c), ...(parentCodeOf(c) ? storedForms(parentCodeOf(c)!) : [])]))];
      const existingByCode = new Map<string, RegionEntity>();
      for (let i = 0; i < lookup.length; i += 1000) {
        const found = await tx.getRepository(RegionEntity).findBy({ code: In(lookup.slice(i, i + 1000)) });
        for (const r of found) existingByCode.set(fullCode(r.code) ?? r.code, r);
      }

      const rejected: RegionImportProblem[] = [];
      const firstLine = new Map<string, number>();
      const badCodes = new Set<string>();
      type Checked = { line: number; code: string; name: string; level: 'township' | 'village'; existing?: RegionEntity };
      const checked: Checked[] = [];
      for (const { line, cells } of rows) {
        const problems: RegionImportProblem[] = [];
        const bad = (col: RegionColumn, reason: string) => problems.push({ line, field: REGION_COLUMN_LABELS[col], reason });
        const { code, name } = cells;
        const level = cells.level ? parseRegionLevel(cells.level) : null;
        if (!cells.level) bad('level', '级别不能为空（乡镇、街道、村或社区）');
        else if (!level) bad('level', `级别“${cells.level}”无法识别，应为：乡镇、街道、村、社区（或 township、street、village、community）`);
        if (!code) bad('code', '统计用区划代码不能为空');
        else if (level) {
          const why = codeProblem(code, level, prefix);
          if (why) bad('code', why);
        } else if (!/^\d{12}$/.test(code)) bad('code', `统计用区划代码应为 12 位数字：${code}`);
        if (code && firstLine.has(code)) bad('code', `统计用区划代码 ${code} 与第 ${firstLine.get(code)} 行重复`);
        else if (code) firstLine.set(code, line);
        if (!name) bad('name', '名称不能为空');
        else if (name.length > REGION_NAME_MAX) bad('name', `名称过长（最多 ${REGION_NAME_MAX} 个字符）`);
        const existing = code ? existingByCode.get(code) : undefined;
        if (existing && countyOf(existing) !== county.id) bad('code', `统计用区划代码 ${code} 已属于其他县（区）的“${existing.name}”`);
        else if (existing && level && existing.level !== level) bad('code', `${code} 已登记为${REGION_LEVEL_LABELS[existing.level]}“${existing.name}”，不能改为${REGION_LEVEL_LABELS[level]}`);
        if (problems.length > 0 || !level) {
          rejected.push(...problems);
          if (code) badCodes.add(code);
        } else checked.push({ line, code, name, level, existing });
      }

      // A village's township: a valid township row of the file, or a township of the county already there.
      const townshipInFile = new Map(checked.filter((c) => c.level === 'township').map((c) => [c.code, c]));
      const valid: Checked[] = [];
      for (const c of checked) {
        if (c.level === 'village' && !c.existing) {
          const parentCode = parentCodeOf(c.code)!;
          const inDb = existingByCode.get(parentCode);
          const ok = townshipInFile.has(parentCode) || (inDb && inDb.level === 'township' && countyOf(inDb) === county.id);
          if (!ok) {
            const where = firstLine.get(parentCode);
            rejected.push({
              line: c.line,
              field: REGION_COLUMN_LABELS.code,
              reason: badCodes.has(parentCode) && where ? `所属乡镇（街道）${parentCode} 在第 ${where} 行有误` : `所属乡镇（街道）${parentCode} 既不在文件中也未登记`,
            });
            continue;
          }
        }
        valid.push(c);
      }
      rejected.sort((a, b) => a.line - b.line);
      if (rejected.length > 0 && mode === 'all') throw RegionException.importInvalid(rows.length, rejected, maxListed);

      // Townships first, so the villages added with them find their paths.
      const pathOf = new Map<string, { id: string; path: string }>();
      for (const r of existingByCode.values()) pathOf.set(fullCode(r.code) ?? r.code, { id: r.id, path: r.path });
      const added: NewRegion[] = [];
      const renamed: RegionImportResult['renamed'] = [];
      let unchanged = 0;
      for (const c of [...valid].sort((a, b) => (a.level === b.level ? 0 : a.level === 'township' ? -1 : 1))) {
        if (c.existing) {
          if (c.existing.name !== c.name) {
            await tx.update(RegionEntity, { id: c.existing.id }, { name: c.name });
            renamed.push({ code: c.code, before: c.existing.name, after: c.name });
          } else unchanged += 1;
          continue;
        }
        const parent = c.level === 'township' ? { id: county.id, path: county.path } : pathOf.get(parentCodeOf(c.code)!)!;
        const id = randomUUID();
        const row: NewRegion = { id, code: c.code, name: c.name, level: c.level, parentId: parent.id, path: `${parent.path}${id}/` };
        pathOf.set(c.code, { id, path: row.path });
        added.push(row);
      }
      for (let i = 0; i < added.length; i += 500) await tx.insert(RegionEntity, added.slice(i, i + 500));

      const notInFile = await this.notInFile(tx, county, new Set(rows.map((r) => r.cells.code)));
      await recordAudit(tx, {
        actor: actorOf(user),
        action: 'region.imported',
        payload: {
          fileName: file.originalname,
          mode,
          rows: rows.length,
          added: added.map((a) => a.code),
          renamed,
          unchanged,
          rejectedLines: new Set(rejected.map((p) => p.line)).size,
          notInFile: notInFile.length,
        },
      });
      const problems = firstOf(rejected, maxListed);
      const missing = firstOf(notInFile, maxListed);
      return {
        mode,
        rows: rows.length,
        added: added.length,
        renamed,
        unchanged,
        rejected: problems.listed,
        rejectedUnlisted: problems.unlisted,
        notInFile: missing.listed,
        notInFileUnlisted: missing.unlisted,
      };
    });
  }

  /** The county's townships and villages whose codes the file does not list, with what each holds. */
  private async notInFile(tx: EntityManager, county: RegionEntity, fileCodes: Set<string>): Promise<RegionNotInFile[]> {
    const rows: { code: string; name: string; level: RegionLevel; organizations: string; users: string; cases: string }[] = await tx.query(
      `SELECT r.code, r.name, r.level,
              (SELECT count(*) FROM organization o WHERE o.region_id = r.id OR o.township_id = r.id) AS organizations,
              (SELECT count(*) FROM app_user u WHERE u.region_id = r.id) AS users,
              (SELECT count(*) FROM rectification_case c
                 WHERE c.township_id = r.id OR c.organization_id IN (SELECT o.id FROM organization o WHERE o.region_id = r.id)) AS cases
         FROM region r WHERE r.path LIKE $1 AND r.id <> $2 ORDER BY r.code`,
      [`${county.path}%`, county.id],
    );
    return rows
      .filter((r) => !fileCodes.has(fullCode(r.code) ?? r.code))
      .map((r) => ({ code: r.code, name: r.name, level: r.level, organizations: Number(r.organizations), users: Number(r.users), cases: Number(r.cases) }));
  }

  /**
   * Runs `work` in a transaction holding the user's county row, so two imports or creations of one
   * county do not interleave; answers 409 when the county's code is not a statistical code.
   */
  private async inCountyLock<T>(user: AuthUser, work: (tx: EntityManager, county: RegionEntity, prefix: string) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(async (tx) => {
        const [county]: RegionEntity[] = await tx.query(`SELECT id, code, name, level, path FROM region WHERE id = $1 FOR UPDATE`, [user.countyId]);
        if (!county) throw RegionException.notFound(user.countyId);
        const prefix = countyPrefix(county.code);
        if (!prefix) throw RegionException.countyCodeNotStatistical(county.code);
        return work(tx, county, prefix);
      });
    } catch (e) {
      // Another writer took a code between the check and the insert (outside this county's lock).
      if (isUniqueViolation(e)) {
        const detail = String(((e as QueryFailedError).driverError as { detail?: string } | undefined)?.detail ?? '');
        const code = /\(code\)=\(([^)]*)\)/.exec(detail)?.[1] ?? detail;
        throw RegionException.codeTaken(code, code);
      }
      throw e;
    }
  }
}
