import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { caseIdFor, type CaseState } from '../../../../libs/domain';
import { OrganizationEntity, RectificationCaseEntity } from '../../../../libs/persistence';
import { CaseAlreadyDesignatedError, queryCaseState, startRectifyCase } from '../../../../libs/temporal';
import { ApiException, CommonErrorCode } from '../common/api.exception';
import { PoliciesService } from '../policies/policies.service';
import { actorOf, type AuthUser } from '../auth/auth-user';
import { ScopeService } from '../scope/scope.service';
import { TemporalClientService } from '../temporal/temporal.module';
import { CaseException } from './case.exception';
import type { DesignateCaseDto } from './dto/designate-case.dto';
import type { ListCasesQuery } from './dto/list-cases.query';

export interface CaseView {
  id: string;
  /** The read-model row (null until the workflow's first projection has landed). */
  record: RectificationCaseEntity | null;
  /** The workflow's live state from its query (null if Temporal could not be asked). */
  live: CaseState | null;
  liveError?: string;
}

/** How long a designation waits for its case row to appear before answering anyway. */
const DESIGNATION_PROJECTION_WAIT_MS = 10_000;

@Injectable()
export class CasesService {
  private readonly logger = new Logger(CasesService.name);

  constructor(
    @InjectRepository(OrganizationEntity) private readonly organizations: Repository<OrganizationEntity>,
    @InjectRepository(RectificationCaseEntity) private readonly cases: Repository<RectificationCaseEntity>,
    private readonly temporal: TemporalClientService,
    private readonly policies: PoliciesService,
    private readonly scope: ScopeService,
  ) {}

  /**
   * Designates by hand (C1–C6, with written evidence) and starts the case workflow. Nothing is written
   * here: the workflow's activity writes the row and the audit entry, so a refused or failed
   * designation leaves no trace but the error.
   */
  async designate(user: AuthUser, dto: DesignateCaseDto): Promise<CaseView> {
    // One star (S1) is the star rating's own designation, made automatically (seed 000 §三); by hand, C1–C6 only.
    if (dto.reasons.includes('S1')) throw CaseException.oneStarDesignatedAutomatically();
    // An organization outside the user's county is, for them, one that does not exist.
    const org = await this.scope.organizationInScope(user, dto.organizationId);
    if (!org) throw CaseException.organizationNotFound(dto.organizationId);
    const caseId = caseIdFor(org.id, dto.batchYear);
    if (await this.cases.existsBy({ id: caseId })) throw CaseException.alreadyDesignated(caseId, org.name, dto.batchYear);
    try {
      await startRectifyCase(this.temporal.client, this.temporal.taskQueue, {
        caseId,
        organization: { id: org.id, name: org.name, townshipId: org.townshipId, countyId: org.countyId, regionId: org.regionId },
        batchYear: dto.batchYear,
        reasons: [...dto.reasons].sort(),
        note: dto.note.trim(),
        designatedBy: actorOf(user),
        designatedAt: new Date().toISOString(),
        // The county's policy now; the case keeps this version for its whole life.
        policy: await this.policies.currentPolicy(org.countyId),
      });
    } catch (err) {
      if (err instanceof CaseAlreadyDesignatedError) throw CaseException.alreadyDesignated(caseId, org.name, dto.batchYear);
      throw err;
    }
    // Read-your-write: wait (briefly) for the workflow's first projection, so the designating user
    // finds the case in every list and page at once. Should the worker lag, answer with what is known.
    const record = await this.waitForRow(caseId, DESIGNATION_PROJECTION_WAIT_MS);
    return { id: caseId, record, ...(await this.liveState(caseId)) };
  }

  private async waitForRow(caseId: string, timeoutMs: number): Promise<RectificationCaseEntity | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await this.cases.findOneBy({ id: caseId });
      if (row || Date.now() > deadline) return row;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async liveState(caseId: string): Promise<Pick<CaseView, 'live' | 'liveError'>> {
    try {
      return { live: (await queryCaseState(this.temporal.client, caseId)) ?? null };
    } catch (err) {
      const liveError = err instanceof Error ? err.message : String(err);
      this.logger.warn(`live state of ${caseId} unavailable: ${liveError}`);
      return { live: null, liveError };
    }
  }

  async get(user: AuthUser, caseId: string): Promise<CaseView> {
    const [record, { live: maybeLive, liveError }] = await Promise.all([this.scopedRow(user, caseId), this.liveState(caseId)]);
    // Just designated, the row may not be projected yet: then the live state's region decides the scope.
    const live = record || (maybeLive && this.scope.covers(user, { countyId: maybeLive.countyId, townshipId: maybeLive.townshipId, regionId: maybeLive.organizationRegionId })) ? maybeLive : null;
    if (!record && !live) {
      // Neither the read model nor Temporal knows the case and Temporal did not answer: say so, not 404.
      if (liveError) {
        throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          CommonErrorCode.ServiceUnavailable,
          'Temporal 暂不可用，无法查询案件状态',
          `Temporal is unavailable: ${liveError}`,
        );
      }
      throw CaseException.notFound(caseId);
    }
    return { id: caseId, record, live, ...(liveError ? { liveError } : {}) };
  }

  private scopedRow(user: AuthUser, caseId: string): Promise<RectificationCaseEntity | null> {
    return this.scope.caseInScope(user, caseId).catch((err) => {
      if (err instanceof CaseException) return null;
      throw err;
    });
  }

  async list(user: AuthUser, query: ListCasesQuery): Promise<{ total: number; items: Omit<RectificationCaseEntity, 'state'>[] }> {
    const qb = this.cases.createQueryBuilder('c');
    if (query.batchYear !== undefined) qb.andWhere('c.batch_year = :batchYear', { batchYear: query.batchYear });
    if (query.townshipId !== undefined) qb.andWhere('c.township_id = :townshipId', { townshipId: query.townshipId });
    if (query.stage !== undefined) qb.andWhere('c.stage = :stage', { stage: query.stage });
    this.scope.restrict(qb, user, 'c');
    const [rows, total] = await qb
      .orderBy('c.batch_year', 'DESC')
      .addOrderBy('c.designated_at', 'ASC')
      .addOrderBy('c.id', 'ASC')
      .take(query.limit ?? 50)
      .skip(query.offset ?? 0)
      .getManyAndCount();
    // The list is a summary: the whole state is on GET /api/cases/:id.
    const items = rows.map(({ state: _state, ...summary }) => summary);
    return { total, items };
  }
}
