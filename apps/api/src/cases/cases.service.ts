import { HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { CASE_LIMITS, caseAnswerOf, caseIdFor, isCaseBriefAnswer, jsonBytes, practiceFor, type CaseAnswer, type CaseBriefAnswer } from '../../../../libs/domain';
import { OUTLOOK_LABELS, STAGE_NEXT_STEPS, outlookOf, quarterKey, quarterLabel, quarterOf, shanghaiDateOf, stageLabel } from '../../../../libs/domain';
import type { MyCaseItem, MyCasesPage } from '../../../../libs/http';
import { OrganizationEntity, RectificationCaseEntity, RegionEntity, preparedQuery } from '../../../../libs/persistence';
import { CaseAlreadyDesignatedError, CaseRestartRefusedError, describeCaseRun, queryCaseState, designateRectifyCase, restartRectifyCase, type CaseRun } from '../../../../libs/temporal';
import { ApiException, CommonErrorCode } from '../common/api.exception';
import { PoliciesService } from '../policies/policies.service';
import { actorOf, type AuthUser } from '../auth/auth-user';
import { ScopeService } from '../scope/scope.service';
import type { AppConfig } from '../../../../libs/config';
import { APP_CONFIG } from '../config/config.module';
import { TemporalClientService } from '../temporal/temporal.module';
import { temporalUiUrlFor } from '../temporal/temporal-ui';
import { CaseException } from './case.exception';
import type { DesignateCaseDto } from './dto/designate-case.dto';
import type { RestartCaseDto } from './dto/restart-case.dto';
import type { ListCasesQuery } from './dto/list-cases.query';

export interface CaseView {
  id: string;
  /** The read-model row (null until the workflow's first projection has landed). */
  record: RectificationCaseEntity | null;
  /** The workflow's live state from its query, without its notice plan (null if Temporal could not be asked). */
  live: CaseAnswer | null;
  liveError?: string;
  /**
   * How the case's workflow run stands (`abnormal`: it ended — terminated, failed, timed out — while
   * the case had not, so nothing can act on it until restarted), with Temporal's status of the run.
   * Absent when Temporal could not be asked.
   */
  runStatus?: CaseRun['runStatus'];
  executionStatus?: string;
  /** The case workflow in the Temporal Web UI: for the county organization department, when TEMPORAL_UI_URL is set. */
  temporalUiUrl?: string;
}

/** Stages in which the case's run is over by design. */
const TERMINAL_STAGES: readonly string[] = ['closed', 'removed'];

/**
 * The organization a designation names, with whether the case it would open (its id, $2) has a row already:
 * the two look-ups before a designation in one prepared statement.
 */
const DESIGNATION_TARGET = `
  SELECT o.id, o.name, o.domain, o.region_id AS "regionId", o.township_id AS "townshipId", o.county_id AS "countyId",
         EXISTS (SELECT 1 FROM rectification_case c WHERE c.id = $2) AS designated
  FROM organization o WHERE o.id = $1`;

type DesignationTarget = Pick<OrganizationEntity, 'id' | 'name' | 'domain' | 'regionId' | 'townshipId' | 'countyId'> & { designated: boolean };

/** How long a designation waits for its workflow to project it before answering anyway. */
const DESIGNATION_PROJECTION_WAIT_MS = 10_000;

@Injectable()
export class CasesService {
  private readonly logger = new Logger(CasesService.name);

  constructor(
    @InjectRepository(RectificationCaseEntity) private readonly cases: Repository<RectificationCaseEntity>,
    private readonly temporal: TemporalClientService,
    private readonly policies: PoliciesService,
    private readonly scope: ScopeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Designates by hand (C1–C6, with written evidence) and starts the case workflow. Nothing is written
   * here: the workflow's activity writes the row and the audit entry, so a refused or failed
   * designation leaves no trace but the error.
   */
  async designate(user: AuthUser, dto: DesignateCaseDto): Promise<CaseView> {
    // One star (S1) is the star rating's own designation, made automatically (seed 000 §三); by hand, C1–C6 only.
    if (dto.reasons.includes('S1')) throw CaseException.oneStarDesignatedAutomatically();
    // PostgreSQL writes a uuid in lower case: the case id is made from the organization's id as stored.
    const caseId = caseIdFor(dto.organizationId.toLowerCase(), dto.batchYear);
    const [org] = await preparedQuery<DesignationTarget>(this.cases.manager.connection, DESIGNATION_TARGET, [dto.organizationId, caseId]);
    // An organization outside the user's county is, for them, one that does not exist.
    if (!org || !this.scope.covers(user, org)) throw CaseException.organizationNotFound(dto.organizationId);
    if (org.designated) throw CaseException.alreadyDesignated(caseId, org.name, dto.batchYear);
    // The county's policy now; the case keeps this version, and its kind's playbook, for its whole life.
    const policy = await this.policies.currentPolicy(org.countyId);
    let answer: CaseAnswer | CaseBriefAnswer | undefined;
    try {
      // Read-your-write in one round trip: the answer comes once the workflow has projected the designation,
      // so the designating user finds the case in every list and page at once. Should the workers lag, the
      // case is designated all the same and the answer says what is known.
      answer = await designateRectifyCase(
        this.temporal.client,
        this.temporal.taskQueue,
        {
          caseId,
          organization: { id: org.id, name: org.name, townshipId: org.townshipId, countyId: org.countyId, regionId: org.regionId, domain: org.domain },
          batchYear: dto.batchYear,
          reasons: [...dto.reasons].sort(),
          note: dto.note.trim(),
          designatedBy: actorOf(user),
          designatedAt: new Date().toISOString(),
          policy,
          practice: practiceFor(policy, org.domain),
        },
        DESIGNATION_PROJECTION_WAIT_MS,
      );
    } catch (err) {
      if (err instanceof CaseAlreadyDesignatedError) throw CaseException.alreadyDesignated(caseId, org.name, dto.batchYear);
      throw err;
    }
    const record = await this.cases.findOneBy({ id: caseId });
    return { id: caseId, record, ...(await this.designatedLive(caseId, record, answer)) };
  }

  /**
   * The case as the designation left it: the row's state, which the designation's projection wrote before the Update
   * answered briefly, with the count of notices raised (the one field the row does not keep). A row behind (the
   * read model being rebuilt) gives way to the workflow's query; a worker of before answered with the case itself.
   */
  private async designatedLive(caseId: string, record: RectificationCaseEntity | null, answer: CaseAnswer | CaseBriefAnswer | undefined): Promise<Pick<CaseView, 'live' | 'liveError'>> {
    if (answer === undefined) return { live: null };
    if (!isCaseBriefAnswer(answer)) return { live: answer };
    if (record && record.version >= answer.version) {
      const live = caseAnswerOf(record.state);
      return { live: answer.noticesRaisedByRung ? { ...live, noticesRaisedByRung: answer.noticesRaisedByRung } : live };
    }
    return this.liveState(caseId);
  }

  private async liveState(caseId: string): Promise<Pick<CaseView, 'live' | 'liveError'>> {
    try {
      const state = await queryCaseState(this.temporal.client, caseId);
      return { live: state ? caseAnswerOf(state) : null };
    } catch (err) {
      const liveError = err instanceof Error ? err.message : String(err);
      this.logger.warn(`live state of ${caseId} unavailable: ${liveError}`);
      return { live: null, liveError };
    }
  }

  /**
   * The run of a case whose read-model stage is not terminal, by describe() (a terminal stage means the
   * run ended as it should). Undefined when Temporal does not answer.
   */
  private async caseRun(caseId: string, record: RectificationCaseEntity | null): Promise<CaseRun | undefined> {
    if (record && TERMINAL_STAGES.includes(record.stage)) return { runStatus: 'ended', executionStatus: 'COMPLETED' };
    try {
      return await describeCaseRun(this.temporal.client, caseId, record?.stage);
    } catch (err) {
      this.logger.warn(`run of ${caseId} unavailable: ${err instanceof Error ? err.message : String(err)}`);
      return undefined;
    }
  }

  async get(user: AuthUser, caseId: string): Promise<CaseView> {
    const record = await this.scopedRow(user, caseId);
    const run = await this.caseRun(caseId, record);
    // An abnormal run is not asked for its state (that would replay its history): the read model is
    // the case's last known truth.
    const { live: maybeLive, liveError }: Pick<CaseView, 'live' | 'liveError'> = run?.runStatus === 'abnormal' ? { live: null } : await this.liveState(caseId);
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
    const temporalUiUrl = temporalUiUrlFor(this.config, user, caseId);
    return {
      id: caseId,
      record,
      live,
      ...(liveError ? { liveError } : {}),
      ...(run ? { runStatus: run.runStatus, executionStatus: run.executionStatus } : {}),
      ...(temporalUiUrl ? { temporalUiUrl } : {}),
    };
  }

  /**
   * 重启案件: a case whose run ended abnormally starts a new run of the same workflow id from the state
   * the read model last had. Its audit rows, tasks and notifications stay as they are; the new run
   * writes the restart (who, why, how the old run ended) as an audit entry and a new version, and the
   * answer waits for it.
   */
  async restart(user: AuthUser, caseId: string, dto: RestartCaseDto): Promise<CaseView> {
    const row = await this.scope.caseInScope(user, caseId);
    const run = await this.caseRun(caseId, row);
    if (run === undefined && TERMINAL_STAGES.includes(row.stage)) throw CaseException.notAbnormal(caseId, 'ended');
    if (run && run.runStatus !== 'abnormal') throw CaseException.notAbnormal(caseId, run.runStatus);
    const state = row.state;
    const size = jsonBytes(state);
    if (size > CASE_LIMITS.removalStateBytes) throw CaseException.stateTooLargeToRestart(caseId, size, CASE_LIMITS.removalStateBytes);
    try {
      await restartRectifyCase(this.temporal.client, this.temporal.taskQueue, state, {
        by: actorOf(user),
        reason: dto.reason.trim(),
        previousRunStatus: run?.executionStatus ?? 'UNKNOWN',
      });
    } catch (err) {
      if (err instanceof CaseRestartRefusedError) throw CaseException.notAbnormal(caseId, 'running');
      throw err;
    }
    const deadline = Date.now() + DESIGNATION_PROJECTION_WAIT_MS;
    while (Date.now() < deadline) {
      const now = await this.cases.findOneBy({ id: caseId });
      if (now && now.version > row.version) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.get(user, caseId);
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

  /**
   * GET /cases/mine — 我联系的案件: the cases of which the user is the contact leader now, with this
   * quarter's guidance visit (一把手分包: 每季度不少于1次), the year-end outlook and the next step.
   */
  async mine(user: AuthUser, nowMs = Date.now()): Promise<MyCasesPage> {
    const qb = this.cases
      .createQueryBuilder('c')
      .where('c.contact_leader_id = :me', { me: user.id })
      .andWhere(`c.stage IN ('designated', 'rectifying', 'awaiting_acceptance')`);
    const rows = await this.scope.restrict(qb, user, 'c').orderBy('c.batch_year', 'DESC').addOrderBy('c.organization_name', 'ASC').limit(100).getMany();
    if (rows.length === 0) return { items: [] };
    const ids = rows.map((r) => r.id);
    const [townships, nextSteps] = await Promise.all([
      this.cases.manager.getRepository(RegionEntity).findBy(rows.map((r) => ({ id: r.townshipId }))),
      // The open task due soonest per case (DISTINCT ON, which the query builder cannot write).
      this.cases.manager.query<{ case_id: string; title: string }[]>(
        `SELECT DISTINCT ON (t.case_id) t.case_id, t.title FROM task t
          WHERE t.case_id = ANY($1) AND t.status = 'open'
          ORDER BY t.case_id, t.due_on ASC NULLS LAST, t.key ASC`,
        [ids],
      ),
    ]);
    const townshipName = new Map(townships.map((t) => [t.id, t.name]));
    const next = new Map(nextSteps.map((n) => [n.case_id, n.title]));
    const quarter = quarterKey(quarterOf(shanghaiDateOf(nowMs)));
    const items = rows.map((r): MyCaseItem => {
      const s = r.state;
      const visits = s.visits.filter((v) => v.quarter === quarter).length;
      const required = Math.max(1, s.policy.visitsPerQuarter);
      const last = [...s.visits].map((v) => v.visitedOn).sort().pop();
      const { outlook } = outlookOf(s, nowMs);
      return {
        caseId: r.id,
        organizationName: r.organizationName,
        townshipId: r.townshipId,
        townshipName: townshipName.get(r.townshipId) ?? '',
        batchYear: r.batchYear,
        stage: s.stage,
        stageLabel: stageLabel(s.stage),
        quarterVisit: { quarter, label: quarterLabel(quarter), visited: visits >= required, visits, required, ...(last ? { lastVisitOn: last } : {}) },
        outlook,
        outlookLabel: OUTLOOK_LABELS[outlook],
        nextStep: next.get(r.id) ?? STAGE_NEXT_STEPS[s.stage],
      };
    });
    // Cases still owing this quarter's visit first.
    items.sort((a, b) => Number(a.quarterVisit.visited) - Number(b.quarterVisit.visited));
    return { items };
  }
}
