import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, QueryFailedError, Repository, type EntityManager } from 'typeorm';
import type { AppConfig } from '../../../../libs/config';
import { ORGANIZATION_DOMAIN_LABELS, type OrganizationDomain } from '../../../../libs/domain';
import { OrganizationEntity, RegionEntity } from '../../../../libs/persistence';
import { recordAudit } from '../audit/audit-writer';
import { actorOf, type AuthUser } from '../auth/auth-user';
import { firstOf, SpreadsheetException, type UploadedSpreadsheet } from '../common/spreadsheet-upload';
import { APP_CONFIG } from '../config/config.module';
import { ScopeService } from '../scope/scope.service';
import { ORGANIZATION_LIMITS, type CreateOrganizationDto, type ImportMode, type UpdateOrganizationDto } from './dto/organization.dto';
import { IMPORT_COLUMN_LABELS, parseDomain, readImportFile, type ImportColumn, type ImportRow } from './organization-import';
import { OrganizationException, type ImportProblem } from './organization.exception';

/** The file an import receives (multer, memory storage, capped). */
export type UploadedImportFile = UploadedSpreadsheet;

export interface ImportResult {
  mode: ImportMode;
  /** Data rows read from the file. */
  rows: number;
  imported: number;
  /** The first IMPORT_MAX_REPORTED_PROBLEMS problems of the rows not imported... */
  rejected: ImportProblem[];
  /** ...and how many more there were. */
  rejectedUnlisted: number;
}

/** Village and community organizations sit in a village-level region; the others in a township or a village. */
const VILLAGE_LEVEL_DOMAINS: readonly OrganizationDomain[] = ['village', 'community'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where an organization sits: its region and the township and county above it. */
interface Placement {
  regionId: string;
  townshipId: string;
  countyId: string;
}

function isUniqueViolation(e: unknown): boolean {
  return e instanceof QueryFailedError && (e.driverError as { code?: string } | undefined)?.code === '23505';
}

/** The ids in a region's path, "/<county>/<township>/<village>/". */
function pathIds(region: RegionEntity): string[] {
  return region.path.split('/').filter(Boolean);
}

/** Why a region does not fit a domain, in Chinese; null when it fits. */
function levelProblem(domain: OrganizationDomain, region: RegionEntity): string | null {
  if (VILLAGE_LEVEL_DOMAINS.includes(domain)) {
    return region.level === 'village' ? null : `${ORGANIZATION_DOMAIN_LABELS[domain]}党组织须设在村（社区），${region.name}（${region.code}）不是村（社区）`;
  }
  return region.level === 'village' || region.level === 'township' ? null : `${ORGANIZATION_DOMAIN_LABELS[domain]}党组织须设在乡镇（街道）或村（社区），${region.name}（${region.code}）是县（区）`;
}

/** The placement of a region in the user's county, or null when it lies outside it. */
function placementIn(user: AuthUser, region: RegionEntity): Placement | null {
  const [countyId, townshipId] = pathIds(region);
  if (countyId !== user.countyId || !townshipId) return null;
  return { regionId: region.id, townshipId, countyId };
}

@Injectable()
export class OrganizationsService {
  constructor(
    @InjectRepository(OrganizationEntity) private readonly organizations: Repository<OrganizationEntity>,
    @InjectRepository(RegionEntity) private readonly regions: Repository<RegionEntity>,
    private readonly scope: ScopeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** One organization in the user's region; 404 outside it. */
  async get(user: AuthUser, id: string): Promise<OrganizationEntity> {
    const org = await this.inScope(user, id);
    if (!org) throw OrganizationException.notFound(id);
    return org;
  }

  async create(user: AuthUser, dto: CreateOrganizationDto): Promise<OrganizationEntity> {
    const region = await this.regions.findOneBy({ id: dto.regionId });
    if (!region) throw OrganizationException.regionNotFound(dto.regionId);
    if (pathIds(region)[0] !== user.countyId) throw OrganizationException.regionNotFound(dto.regionId);
    const problem = levelProblem(dto.domain, region);
    const at = placementIn(user, region);
    if (problem || !at) {
      throw OrganizationException.regionLevelMismatch(problem ?? '所在地须为村（社区）或乡镇（街道）', `A ${dto.domain} organization cannot sit in a ${region.level}`, {
        regionId: region.id,
        level: region.level,
        domain: dto.domain,
      });
    }
    if (await this.organizations.existsBy({ code: dto.code })) throw OrganizationException.codeTaken(dto.code);
    const row = this.organizations.create({
      code: dto.code,
      name: dto.name,
      domain: dto.domain,
      ...at,
      secretaryName: dto.secretaryName ? dto.secretaryName : null,
    });
    try {
      return await this.organizations.manager.transaction(async (tx) => {
        const saved = await tx.save(row);
        await recordAudit(tx, {
          key: `organization:${saved.id}:created`,
          actor: actorOf(user),
          action: 'organization.created',
          payload: { organizationId: saved.id, code: saved.code, name: saved.name, domain: saved.domain, regionId: saved.regionId, secretaryName: saved.secretaryName },
        });
        return saved;
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw OrganizationException.codeTaken(dto.code);
      throw e;
    }
  }

  async update(user: AuthUser, id: string, dto: UpdateOrganizationDto): Promise<OrganizationEntity> {
    const org = await this.inScope(user, id);
    if (!org || org.countyId !== user.countyId) throw OrganizationException.notFound(id);
    const changes: Partial<Pick<OrganizationEntity, 'name' | 'domain' | 'secretaryName'>> = {};
    if (dto.name !== undefined && dto.name !== org.name) changes.name = dto.name;
    if (dto.domain !== undefined && dto.domain !== org.domain) changes.domain = dto.domain;
    if (dto.secretaryName !== undefined) {
      const secretaryName = dto.secretaryName ? dto.secretaryName : null;
      if (secretaryName !== org.secretaryName) changes.secretaryName = secretaryName;
    }
    if (changes.domain) {
      const region = await this.regions.findOneByOrFail({ id: org.regionId });
      const problem = levelProblem(changes.domain, region);
      if (problem) throw OrganizationException.regionLevelMismatch(problem, `A ${changes.domain} organization cannot sit in a ${region.level}`, { regionId: region.id, level: region.level, domain: changes.domain });
    }
    if (Object.keys(changes).length === 0) return org;
    const before = Object.fromEntries(Object.keys(changes).map((k) => [k, org[k as keyof typeof changes]]));
    return this.organizations.manager.transaction(async (tx) => {
      await tx.update(OrganizationEntity, { id }, changes);
      await recordAudit(tx, { actor: actorOf(user), action: 'organization.updated', payload: { organizationId: id, code: org.code, before, after: changes } });
      return tx.findOneByOrFail(OrganizationEntity, { id });
    });
  }

  /**
   * Bulk import. Every row is checked; mode 'all' imports nothing unless every row is valid (400
   * IMPORT_INVALID listing each problem), mode 'valid' imports the valid rows and reports the rest.
   * The valid rows go in one transaction with one audit entry.
   */
  async import(user: AuthUser, file: UploadedImportFile | undefined, mode: ImportMode): Promise<ImportResult> {
    if (!file) throw SpreadsheetException.fileMissing('file');
    const rows = await readImportFile(file, this.config.imports);
    const fileName = file.originalname;

    const { valid, rejected } = await this.check(user, rows);
    const maxListed = this.config.imports.maxReportedProblems;
    if (rejected.length > 0 && mode === 'all') throw OrganizationException.importInvalid(rows.length, rejected, maxListed);

    try {
      await this.organizations.manager.transaction(async (tx) => {
        if (valid.length > 0) await this.insertAll(tx, valid);
        await recordAudit(tx, {
          actor: actorOf(user),
          action: 'organization.imported',
          payload: {
            fileName,
            mode,
            rows: rows.length,
            imported: valid.length,
            rejectedLines: new Set(rejected.map((p) => p.line)).size,
            codes: valid.map((v) => v.code),
          },
        });
      });
    } catch (e) {
      // Another import or create took one of the codes between the check and the insert.
      if (isUniqueViolation(e)) {
        const detail = String(((e as QueryFailedError).driverError as { detail?: string } | undefined)?.detail ?? '');
        throw OrganizationException.codeTaken(/\(code\)=\(([^)]*)\)/.exec(detail)?.[1] ?? detail);
      }
      throw e;
    }
    const { listed, unlisted } = firstOf(rejected, maxListed);
    return { mode, rows: rows.length, imported: valid.length, rejected: listed, rejectedUnlisted: unlisted };
  }

  private inScope(user: AuthUser, id: string): Promise<OrganizationEntity | null> {
    return UUID.test(id) ? this.scope.organizationInScope(user, id) : Promise.resolve(null);
  }

  private async insertAll(tx: EntityManager, rows: Partial<OrganizationEntity>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500) {
      await tx.insert(OrganizationEntity, rows.slice(i, i + 500));
    }
  }

  /** Checks every row against the rules and the database; each problem names its line and column. */
  private async check(user: AuthUser, rows: ImportRow[]): Promise<{ valid: Partial<OrganizationEntity>[]; rejected: ImportProblem[] }> {
    const codes = [...new Set(rows.map((r) => r.cells.code).filter(Boolean))];
    const regionCodes = [...new Set(rows.map((r) => r.cells.regionCode).filter(Boolean))];
    const taken = new Set<string>();
    for (let i = 0; i < codes.length; i += 1000) {
      const found = await this.organizations.find({ select: { code: true }, where: { code: In(codes.slice(i, i + 1000)) } });
      found.forEach((o) => taken.add(o.code));
    }
    const regionByCode = new Map<string, RegionEntity>();
    for (let i = 0; i < regionCodes.length; i += 1000) {
      const found = await this.regions.findBy({ code: In(regionCodes.slice(i, i + 1000)) });
      found.forEach((r) => regionByCode.set(r.code, r));
    }

    const valid: Partial<OrganizationEntity>[] = [];
    const rejected: ImportProblem[] = [];
    const firstLineOfCode = new Map<string, number>();
    for (const { line, cells } of rows) {
      const problems: ImportProblem[] = [];
      const bad = (col: ImportColumn, reason: string) => problems.push({ line, field: IMPORT_COLUMN_LABELS[col], reason });

      const { code, name, secretaryName } = cells;
      if (!code) bad('code', '编码不能为空');
      else if (code.length > ORGANIZATION_LIMITS.code) bad('code', `编码过长（最多 ${ORGANIZATION_LIMITS.code} 个字符）`);
      else if (/\s/.test(code)) bad('code', '编码不能含空格');
      else if (taken.has(code)) bad('code', `编码 ${code} 已被使用`);
      else if (firstLineOfCode.has(code)) bad('code', `编码 ${code} 与第 ${firstLineOfCode.get(code)} 行重复`);
      if (code && !firstLineOfCode.has(code)) firstLineOfCode.set(code, line);

      if (!name) bad('name', '名称不能为空');
      else if (name.length > ORGANIZATION_LIMITS.name) bad('name', `名称过长（最多 ${ORGANIZATION_LIMITS.name} 个字符）`);

      const domain = cells.domain ? parseDomain(cells.domain) : null;
      if (!cells.domain) bad('domain', '类型不能为空');
      else if (!domain) bad('domain', `类型“${cells.domain}”不存在，应为：${Object.values(ORGANIZATION_DOMAIN_LABELS).join('、')}`);

      let at: Placement | null = null;
      if (!cells.regionCode) bad('regionCode', '所在村（社区）或乡镇编码不能为空');
      else {
        const region = regionByCode.get(cells.regionCode);
        if (!region) bad('regionCode', `区划编码 ${cells.regionCode} 不存在`);
        else if (pathIds(region)[0] !== user.countyId) bad('regionCode', `${region.name}（${region.code}）不在本县（区）`);
        else if (region.level === 'county') bad('regionCode', `${region.name}（${region.code}）是县（区），应填所在村（社区）或乡镇（街道）`);
        else if (domain) {
          const problem = levelProblem(domain, region);
          if (problem) bad('regionCode', problem);
          else at = placementIn(user, region);
        }
      }

      if (secretaryName.length > ORGANIZATION_LIMITS.secretaryName) bad('secretaryName', `书记姓名过长（最多 ${ORGANIZATION_LIMITS.secretaryName} 个字符）`);

      if (problems.length > 0 || !at || !domain) rejected.push(...problems);
      else valid.push({ code, name, domain, ...at, secretaryName: secretaryName || null });
    }
    return { valid, rejected };
  }
}
