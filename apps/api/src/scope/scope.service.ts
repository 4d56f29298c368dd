import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Brackets, Repository, SelectQueryBuilder, type ObjectLiteral } from 'typeorm';
import { OrganizationEntity, RectificationCaseEntity } from '../../../../libs/persistence';
import type { AuthUser } from '../auth/auth-user';
import { CaseException } from '../cases/case.exception';

/**
 * Region scoping: a user sees and touches only what lies in their region's subtree — a county user
 * their county, a township user their township, a team member their village. Anything outside answers
 * 404, exactly as if it did not exist.
 */
@Injectable()
export class ScopeService {
  constructor(
    @InjectRepository(RectificationCaseEntity) private readonly cases: Repository<RectificationCaseEntity>,
    @InjectRepository(OrganizationEntity) private readonly organizations: Repository<OrganizationEntity>,
  ) {}

  /** Restricts a query over rows that carry county_id, township_id and organization_id columns. */
  restrict<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, user: AuthUser, alias: string, orgColumn = 'organization_id'): SelectQueryBuilder<T> {
    return qb.andWhere(
      new Brackets((w) => {
        if (user.regionLevel === 'county') w.where(`${alias}.county_id = :scopeCounty`, { scopeCounty: user.countyId });
        else if (user.regionLevel === 'township') w.where(`${alias}.township_id = :scopeTownship`, { scopeTownship: user.townshipId });
        else w.where(`${alias}.${orgColumn} IN (SELECT o.id FROM organization o WHERE o.region_id = :scopeVillage)`, { scopeVillage: user.villageId });
      }),
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

  /** The case's read-model row if the user may see it; otherwise 404 CASE_NOT_FOUND. */
  async caseInScope(user: AuthUser, caseId: string): Promise<RectificationCaseEntity> {
    const qb = this.cases.createQueryBuilder('c').where('c.id = :caseId', { caseId });
    const row = await this.restrict(qb, user, 'c').getOne();
    if (!row) throw CaseException.notFound(caseId);
    return row;
  }
}
