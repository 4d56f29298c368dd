import { HttpStatus, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository, SelectQueryBuilder, type ObjectLiteral } from 'typeorm';
import { OrganizationEntity, RectificationCaseEntity, RegionEntity, StarRatingEntity, TaskEntity, preparedQuery } from '../../../../libs/persistence';
import { isUpperRegionLevel } from '../../../../libs/domain';
import { ApiException } from '../common/api.exception';
import type { ScopedResource } from './scoped.decorator';
import { COUNTIES_UNDER, countiesUnder, scopeCondition } from './scope-conditions';
import type { AuthUser } from '../auth/auth-user';
import { CaseException } from '../cases/case.exception';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Region scoping: a user sees and touches only what lies in their region's subtree — a province or city
 * organization department the counties below it, a county user their county, a township user their
 * township, a team member their village. Anything outside answers
 * 404, exactly as if it did not exist.
 */
@Injectable()
export class ScopeService {
  constructor(
    @InjectRepository(RectificationCaseEntity) private readonly cases: Repository<RectificationCaseEntity>,
    @InjectRepository(OrganizationEntity) private readonly organizations: Repository<OrganizationEntity>,
    @InjectRepository(TaskEntity) private readonly tasks: Repository<TaskEntity>,
    @InjectRepository(StarRatingEntity) private readonly ratings: Repository<StarRatingEntity>,
    @InjectRepository(RegionEntity) private readonly regions: Repository<RegionEntity>,
  ) {}

  /** Restricts a query over rows that carry county_id, township_id and organization_id columns. */
  restrict<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, user: AuthUser, alias: string, orgColumn = 'organization_id'): SelectQueryBuilder<T> {
    const { sql, param, value } = scopeCondition(user, alias, orgColumn);
    return qb.andWhere(new Brackets((w) => w.where(sql, { [param]: value })));
  }

  /** Restricts a query over the task table (county_id, township_id, case_id) to the user's region. */
  restrictTasks<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, user: AuthUser, alias: string): SelectQueryBuilder<T> {
    if (user.regionLevel !== 'village') return this.restrict(qb, user, alias);
    return qb.andWhere(
      `${alias}.case_id IN (SELECT c.id FROM rectification_case c JOIN organization o ON o.id = c.organization_id WHERE o.region_id = :scopeVillage)`,
      { scopeVillage: user.villageId },
    );
  }

  /** Does a region (given by its county/township/own ids) lie in the user's subtree? */
  covers(user: AuthUser, at: { countyId: string; townshipId?: string | null; regionId?: string | null }): boolean {
    if (at.countyId !== user.countyId) return false;
    if (user.regionLevel === 'county') return true;
    if (user.regionLevel === 'township') return at.townshipId === user.townshipId;
    return at.regionId === user.villageId;
  }

  async organizationInScope(user: AuthUser, organizationId: string): Promise<OrganizationEntity | null> {
    const org = await this.organizations.findOneBy({ id: organizationId });
    if (!org || !this.covers(user, { countyId: org.countyId, townshipId: org.townshipId, regionId: org.regionId })) return null;
    return org;
  }

  /** Throws the resource's 404 unless it lies in the user's region (the AuthGuard's @Scoped check; a case's is read with the user, AuthService.authenticateAbout). */
  async assertInScope(user: AuthUser, resource: Exclude<ScopedResource, 'case'>, id: string): Promise<void> {
    if (resource === 'star_rating') {
      await this.ratingInScope(user, id);
    } else if (resource === 'region') {
      // The region's path (/county/township/village/) lies under the user's own place; above the county, under
      // one of the user's counties, or it is a city below the user's province or the user's region itself.
      const prefix = `/${[user.countyId, user.townshipId, user.villageId].filter(Boolean).join('/')}/`;
      const qb = this.regions.createQueryBuilder('r').where('r.id = :id', { id });
      if (isUpperRegionLevel(user.regionLevel)) {
        qb.andWhere(
          new Brackets((w) =>
            w
              .where('r.id = :scopeUpper OR r.parent_id = :scopeUpper')
              .orWhere(`split_part(r.path, '/', 2) IN (SELECT CAST(u.id AS text) FROM (${COUNTIES_UNDER}) u)`),
          ),
          { scopeUpper: user.regionId },
        );
      } else qb.andWhere('r.path LIKE :prefix', { prefix: `${prefix}%` });
      const found = UUID.test(id) && (await qb.getExists());
      if (!found) throw new ApiException(HttpStatus.NOT_FOUND, 'REGION_NOT_FOUND', '区划不存在或不在您的辖区内', 'No such region in your region', { id });
    } else if (resource === 'county') {
      const below = isUpperRegionLevel(user.regionLevel) && UUID.test(id) && (await this.countyBelow(user, id));
      if (id !== user.countyId && !below) throw new ApiException(HttpStatus.NOT_FOUND, 'COUNTY_NOT_FOUND', '县（区）不存在或不在您的辖区内', 'No such county in your region', { countyId: id });
    } else {
      const qb = this.tasks.createQueryBuilder('t').where('t.key = :key', { key: id });
      const found = await this.restrictTasks(qb, user, 't').getExists();
      if (!found) throw new ApiException(HttpStatus.NOT_FOUND, 'TASK_NOT_FOUND', '待办不存在或不在您的辖区内', 'No such task in your region', { key: id });
    }
  }

  /** Is the county one of those below the user's province or city? */
  async countyBelow(user: AuthUser, countyId: string): Promise<boolean> {
    if (!isUpperRegionLevel(user.regionLevel)) return false;
    const rows: unknown[] = await this.regions.query(`SELECT 1 FROM (${countiesUnder('$1')}) u WHERE u.id = $2`, [user.regionId, countyId]);
    return rows.length > 0;
  }

  /** A star rating's row if the user may see it; otherwise 404 STAR_RATING_NOT_FOUND. */
  async ratingInScope(user: AuthUser, id: string): Promise<StarRatingEntity> {
    const row = await this.restrict(this.ratings.createQueryBuilder('r').where('r.id = :id', { id }), user, 'r').getOne();
    if (!row) throw new ApiException(HttpStatus.NOT_FOUND, 'STAR_RATING_NOT_FOUND', '星级评定不存在或不在您的辖区内', 'No such star rating in your region', { id });
    return row;
  }

  /**
   * 404 CASE_NOT_FOUND unless the user may see the case; reads no more than whether it does (the row's
   * state is most of its size, and the scope guard asks this before every action on a case).
   */
  async assertCaseInScope(user: AuthUser, caseId: string): Promise<void> {
    // Before every action on a case: the same condition as restrict(), as a prepared statement (one per level).
    const { sql, value } = scopeCondition(user, 'c', 'organization_id', '$2');
    const text = `SELECT EXISTS (SELECT 1 FROM rectification_case c WHERE c.id = $1 AND ${sql}) AS found`;
    const [row] = await preparedQuery<{ found: boolean }>(this.cases.manager.connection, text, [caseId, value]);
    if (!row?.found) throw CaseException.notFound(caseId);
  }

  /** The case's read-model row if the user may see it; otherwise 404 CASE_NOT_FOUND. */
  async caseInScope(user: AuthUser, caseId: string): Promise<RectificationCaseEntity> {
    const qb = this.cases.createQueryBuilder('c').where('c.id = :caseId', { caseId });
    const row = await this.restrict(qb, user, 'c').getOne();
    if (!row) throw CaseException.notFound(caseId);
    return row;
  }
}
