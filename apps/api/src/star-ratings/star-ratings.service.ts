import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { In, Repository, type SelectQueryBuilder } from 'typeorm';
import {
  publicNoticeDaysOf,
  RATING_STAGES,
  ratingIdFor,
  type RatingCommandInputs,
  type RatingCommandName,
  type StarRatingState,
} from '../../../../libs/domain';
import { AuditEntryEntity, OrganizationEntity, RegionEntity, StarRatingEntity } from '../../../../libs/persistence';
import { executeRatingCommand, queryStarRating, RatingAlreadyStartedError, RatingNotRunningError, RatingRuleViolationError, startStarRating } from '../../../../libs/temporal';
import { actorOf, type AuthUser } from '../auth/auth-user';
import { unreachableCause } from '../cases/actions/case-actions.service';
import { CaseException } from '../cases/case.exception';
import { PoliciesService } from '../policies/policies.service';
import { ScopeService } from '../scope/scope.service';
import type { AppConfig } from '../../../../libs/config';
import { APP_CONFIG } from '../config/config.module';
import { TemporalClientService } from '../temporal/temporal.module';
import { temporalUiUrlFor } from '../temporal/temporal-ui';
import type { LaunchRatingsDto, ListRatingsQuery, StartRatingDto } from './dto/star-rating.dto';
import type { RatingExportRow } from './star-rating-export';
import { StarRatingException } from './star-rating.exception';

export type RatingSummaryRow = Omit<StarRatingEntity, 'state'>;

export interface RatingView {
  id: string;
  record: StarRatingEntity | null;
  live: StarRatingState | null;
  liveError?: string;
  /** The rating's workflow in the Temporal Web UI: for the county organization department, when TEMPORAL_UI_URL is set. */
  temporalUiUrl?: string;
}

/** A step's input as the API takes it: everything but the acting person, who is the signed-in user. */
export type RatingStepInput<K extends RatingCommandName> = Omit<RatingCommandInputs[K], 'actor'>;

/** How long starting a rating waits for its row, so the starting user finds it in every list at once. */
const START_PROJECTION_WAIT_MS = 10_000;
/** Most rows an export writes (a county has a few hundred organizations). */
export const RATING_EXPORT_MAX_ROWS = 10_000;
/** Ratings started at once by a county-wide launch. */
const LAUNCH_CONCURRENCY = 16;
/** How long a launch waits for its ratings' rows before answering anyway. */
const LAUNCH_PROJECTION_WAIT_MS = 30_000;

/**
 * The yearly star rating (星级评定): starting it per organization or for a whole county, its steps
 * (each a Workflow Update that answers after the read model is written), lists and the audit trail.
 */
@Injectable()
export class StarRatingsService {
  private readonly logger = new Logger(StarRatingsService.name);

  constructor(
    @InjectRepository(StarRatingEntity) private readonly ratings: Repository<StarRatingEntity>,
    @InjectRepository(OrganizationEntity) private readonly organizations: Repository<OrganizationEntity>,
    @InjectRepository(RegionEntity) private readonly regions: Repository<RegionEntity>,
    @InjectRepository(AuditEntryEntity) private readonly audit: Repository<AuditEntryEntity>,
    private readonly temporal: TemporalClientService,
    private readonly policies: PoliciesService,
    private readonly scope: ScopeService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async start(user: AuthUser, dto: StartRatingDto): Promise<RatingView> {
    const org = await this.scope.organizationInScope(user, dto.organizationId);
    if (!org) throw StarRatingException.organizationNotFound(dto.organizationId);
    const id = ratingIdFor(org.id, dto.year);
    if (await this.ratings.existsBy({ id })) throw StarRatingException.alreadyStarted(id, org.name, dto.year);
    try {
      await this.startOne(user, org, dto.year, publicNoticeDaysOf(await this.policies.currentPolicy(org.countyId)));
    } catch (err) {
      if (err instanceof RatingAlreadyStartedError) throw StarRatingException.alreadyStarted(id, org.name, dto.year);
      throw this.unavailable(err);
    }
    const record = await this.waitForRow(id, START_PROJECTION_WAIT_MS);
    return { id, record, ...(await this.liveState(id)), ...this.temporalUi(user, id) };
  }

  /**
   * 启动年度星级评定: every organization in the user's county (or the given township) that has no
   * rating of the year yet gets one. Safe to repeat: those already started are counted, not touched.
   */
  async launch(user: AuthUser, dto: LaunchRatingsDto): Promise<{ year: number; organizations: number; started: number; alreadyStarted: number }> {
    if (dto.townshipId) {
      const township = await this.regions.findOneBy({ id: dto.townshipId });
      if (!township || township.level !== 'township' || !this.scope.covers(user, { countyId: township.path.split('/')[1], townshipId: township.id, regionId: township.id }))
        throw StarRatingException.townshipNotFound(dto.townshipId);
    }
    const qb = this.organizations.createQueryBuilder('o').select(['o.id', 'o.name', 'o.domain', 'o.regionId', 'o.townshipId', 'o.countyId']);
    if (dto.townshipId) qb.andWhere('o.township_id = :townshipId', { townshipId: dto.townshipId });
    this.scope.restrict(qb, user, 'o', 'id');
    qb.andWhere('NOT EXISTS (SELECT 1 FROM star_rating r WHERE r.organization_id = o.id AND r.year = :year)', { year: dto.year });
    const pending = await qb.orderBy('o.code', 'ASC').getMany();
    const total = await this.scope.restrict(this.organizations.createQueryBuilder('o').where(dto.townshipId ? 'o.township_id = :townshipId' : '1=1', { townshipId: dto.townshipId }), user, 'o', 'id').getCount();
    const noticeDays = publicNoticeDaysOf(await this.policies.currentPolicy(user.countyId));
    let started = 0;
    let alreadyStarted = total - pending.length;
    let next = 0;
    const workers = Array.from({ length: Math.min(LAUNCH_CONCURRENCY, pending.length) }, async () => {
      while (next < pending.length) {
        const org = pending[next++];
        try {
          await this.startOne(user, org, dto.year, noticeDays);
          started++;
        } catch (err) {
          if (!(err instanceof RatingAlreadyStartedError)) throw this.unavailable(err);
          alreadyStarted++;
        }
      }
    });
    await Promise.all(workers);
    // Read-your-write, as for one: the ratings are in the list when the answer comes (bounded wait).
    await this.waitForRows(pending.map((o) => ratingIdFor(o.id, dto.year)), LAUNCH_PROJECTION_WAIT_MS);
    return { year: dto.year, organizations: total, started, alreadyStarted };
  }

  private startOne(user: AuthUser, org: Pick<OrganizationEntity, 'id' | 'name' | 'domain' | 'townshipId' | 'countyId' | 'regionId'>, year: number, publicNoticeDays: number) {
    return startStarRating(this.temporal.client, this.temporal.taskQueue, {
      ratingId: ratingIdFor(org.id, year),
      organization: { id: org.id, name: org.name, domain: org.domain, townshipId: org.townshipId, countyId: org.countyId, regionId: org.regionId },
      year,
      publicNoticeDays,
      startedBy: actorOf(user),
      startedAt: new Date().toISOString(),
    });
  }

  async list(user: AuthUser, query: ListRatingsQuery) {
    const base = () => {
      const qb = this.ratings.createQueryBuilder('r').where('r.year = :year', { year: query.year });
      if (query.townshipId) qb.andWhere('r.township_id = :townshipId', { townshipId: query.townshipId });
      return this.scope.restrict(qb, user, 'r');
    };
    const [rows, total] = await this.shown(base(), query)
      .take(query.limit ?? 50)
      .skip(query.offset ?? 0)
      .getManyAndCount();
    const byStage: { stage: string; n: string }[] = await base().select('r.stage', 'stage').addSelect('count(*)', 'n').groupBy('r.stage').getRawMany();
    const byStars: { stars: number; n: string }[] = await base()
      .andWhere(`r.stage = 'named'`)
      .select('r.stars', 'stars')
      .addSelect('count(*)', 'n')
      .groupBy('r.stars')
      .getRawMany();
    const [{ n: designated }]: { n: string }[] = await base().andWhere('r.designated_case_id IS NOT NULL').select('count(*)', 'n').getRawMany();
    const [{ n: adjustments }]: { n: string }[] = await base().andWhere('r.secretary_adjustment').select('count(*)', 'n').getRawMany();
    return {
      total,
      items: rows.map(({ state: _state, ...row }) => row),
      summary: {
        byStage: Object.fromEntries(RATING_STAGES.map((s) => [s, Number(byStage.find((x) => x.stage === s)?.n ?? 0)])),
        namedByStars: Object.fromEntries([1, 2, 3, 4, 5].map((s) => [s, Number(byStars.find((x) => Number(x.stars) === s)?.n ?? 0)])),
        designated: Number(designated),
        secretaryAdjustments: Number(adjustments),
      },
    };
  }

  /** The list's rows of the given filters, in the list's order (the page's filters narrow the summary's base). */
  private shown(qb: SelectQueryBuilder<StarRatingEntity>, query: Pick<ListRatingsQuery, 'stage' | 'stars'>): SelectQueryBuilder<StarRatingEntity> {
    if (query.stage) qb.andWhere('r.stage = :stage', { stage: query.stage });
    if (query.stars) qb.andWhere('r.stars = :stars', { stars: query.stars });
    return qb.orderBy('r.township_id', 'ASC').addOrderBy('r.organization_name', 'ASC').addOrderBy('r.id', 'ASC');
  }

  /**
   * "导出当前列表": every rating of the list's filters (not only the page shown), in the list's order,
   * each with its township's name; capped as the other exports are.
   */
  async all(user: AuthUser, query: ListRatingsQuery): Promise<RatingExportRow[]> {
    const qb = this.ratings.createQueryBuilder('r').where('r.year = :year', { year: query.year });
    if (query.townshipId) qb.andWhere('r.township_id = :townshipId', { townshipId: query.townshipId });
    const rows = await this.shown(this.scope.restrict(qb, user, 'r'), query).take(RATING_EXPORT_MAX_ROWS).getMany();
    const townshipIds = [...new Set(rows.map((r) => r.townshipId))];
    const names = new Map((townshipIds.length ? await this.regions.findBy({ id: In(townshipIds) }) : []).map((t) => [t.id, t.name]));
    return rows.map(({ state: _state, ...row }) => ({ ...row, townshipName: names.get(row.townshipId) ?? '' }));
  }

  async get(user: AuthUser, id: string): Promise<RatingView> {
    const record = await this.inScope(user, id);
    return { id, record, ...(await this.liveState(id)), ...this.temporalUi(user, id) };
  }

  async auditTrail(user: AuthUser, id: string): Promise<AuditEntryEntity[]> {
    await this.inScope(user, id);
    return this.audit.createQueryBuilder('a').where(`a.payload->>'ratingId' = :id`, { id }).orderBy('a.occurred_at', 'ASC').addOrderBy('a.id', 'ASC').getMany();
  }

  async step<K extends RatingCommandName>(user: AuthUser, id: string, name: K, input: RatingStepInput<K>): Promise<{ id: string; state: StarRatingState }> {
    await this.inScope(user, id);
    const command = { ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)), actor: actorOf(user) } as RatingCommandInputs[K];
    try {
      return { id, state: await executeRatingCommand(this.temporal.client, id, name, command) };
    } catch (err) {
      if (err instanceof RatingRuleViolationError) throw StarRatingException.ruleViolation(err.rule, err.message, err.details);
      if (err instanceof RatingNotRunningError) throw StarRatingException.notRunning(id);
      if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) throw CaseException.temporalUnavailable(err.message, true);
      throw this.unavailable(err);
    }
  }

  private temporalUi(user: AuthUser, id: string): Pick<RatingView, 'temporalUiUrl'> {
    const temporalUiUrl = temporalUiUrlFor(this.config, user, id);
    return temporalUiUrl ? { temporalUiUrl } : {};
  }

  /** The rating's row if the user may see it; otherwise 404, as if it did not exist. */
  private inScope(user: AuthUser, id: string): Promise<StarRatingEntity> {
    return this.scope.ratingInScope(user, id);
  }

  private unavailable(err: unknown): unknown {
    const reason = unreachableCause(err);
    return reason ? CaseException.temporalUnavailable(reason) : err;
  }

  private async waitForRows(ids: string[], timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (ids.length && Date.now() < deadline) {
      const [{ n }]: { n: string }[] = await this.ratings.query(`SELECT count(*) AS n FROM star_rating WHERE id = ANY($1)`, [ids]);
      if (Number(n) >= ids.length) return;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private async waitForRow(id: string, timeoutMs: number): Promise<StarRatingEntity | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await this.ratings.findOneBy({ id });
      if (row || Date.now() > deadline) return row;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private async liveState(id: string): Promise<Pick<RatingView, 'live' | 'liveError'>> {
    try {
      return { live: (await queryStarRating(this.temporal.client, id)) ?? null };
    } catch (err) {
      const liveError = err instanceof Error ? err.message : String(err);
      this.logger.warn(`live state of ${id} unavailable: ${liveError}`);
      return { live: null, liveError };
    }
  }
}
