import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isConverted, isOnList, shanghaiDateOf, undecided, type EscalationRung } from '../../../../libs/domain';
import type { LeagueColumn, LeagueRow, LeagueTable, TownshipRecord, TownshipRecordList } from '../../../../libs/http';
import { EscalationEntity, LeaguePublicationEntity, RectificationCaseEntity, RegionEntity } from '../../../../libs/persistence';
import { recordAudit } from '../audit/audit-writer';
import { actorOf, type AuthUser } from '../auth/auth-user';
import { DashboardReadModel, type CaseRecord, type ResolvedScope } from '../dashboard/dashboard-read-model';
import { LEAGUE_COLUMNS, type LeaguePublicationDto, type TownshipRecordQuery } from './dto/township-record.query';

const RUNGS: EscalationRung[] = ['supervision', 'public_notice', 'interview'];

/** How the league is ordered, in words (seed 003 通报; the 2025 burden-reduction rules: never by app use). */
export const LEAGUE_ORDER =
  '按期转化率（高在前）、转化率（高在前）、被督办问责次数（少在前）排序；只看整顿实绩，不按登录、点击、填报次数等使用痕迹排名';

const currentYear = (): number => Number(shanghaiDateOf(Date.now()).slice(0, 4));

/** A record with no case yet. */
function emptyRecord(townshipId: string, townshipName: string, year: number): TownshipRecord {
  return {
    townshipId,
    townshipName,
    year,
    cases: 0,
    removed: 0,
    converted: 0,
    convertedOnTime: 0,
    onTimeRate: null,
    escalations: { supervision: 0, public_notice: 0, interview: 0, total: 0 },
    visits: 0,
    organizationalHandling: { awaitingDecision: 0, decided: 0 },
  };
}

/** Adds one case of the batch to its township's record. */
export function countCase(t: TownshipRecord, c: CaseRecord): void {
  const s = c.state;
  if (!isOnList(s)) {
    t.removed += 1;
    return;
  }
  t.cases += 1;
  if (isConverted(s)) {
    t.converted += 1;
    const acceptedOn = s.acceptedAt ? shanghaiDateOf(Date.parse(s.acceptedAt)) : null;
    if (acceptedOn && acceptedOn <= s.yearEndDeadline) t.convertedOnTime += 1;
  }
  t.visits += s.visits.length;
  t.organizationalHandling.awaitingDecision += undecided(s).length;
  t.organizationalHandling.decided += s.organizationalHandling?.decisions.length ?? 0;
}

/** The value of a league column for a township. */
function columnValue(t: TownshipRecord, c: LeagueColumn): number | null {
  switch (c) {
    case 'escalations':
      return t.escalations.total;
    case 'organizationalHandling':
      return t.organizationalHandling.decided;
    default:
      return t[c];
  }
}

/** Order by results: on-time rate, conversion rate (high first), escalations (few first); equal results share a rank. */
export function rankTownships(records: TownshipRecord[]): { rank: number; record: TownshipRecord }[] {
  const rate = (n: number, d: number) => (d > 0 ? n / d : -1);
  const key = (t: TownshipRecord) => [rate(t.convertedOnTime, t.cases), rate(t.converted, t.cases), -t.escalations.total];
  const cmp = (a: TownshipRecord, b: TownshipRecord) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return kb[i] - ka[i];
    return 0;
  };
  const sorted = records.map((r, i) => ({ r, i })).sort((a, b) => cmp(a.r, b.r) || a.i - b.i);
  const out: { rank: number; record: TownshipRecord }[] = [];
  sorted.forEach(({ r }, i) => {
    const prev = out[i - 1];
    out.push({ rank: prev && cmp(prev.record, r) === 0 ? prev.rank : i + 1, record: r });
  });
  return out;
}

/**
 * The township's record (issue 18 item 5; seeds 000 §四(一), 003 §二(四), 004 §一(一)): per township and
 * year — the cases of that year's batch, conversions on time, escalations received by rung, the contact
 * leaders' visits, 组织处理 — counted from the case records and the escalation ledger, for 述职评议; and
 * the county's league table of townships by those results, published to the townships as the county chooses.
 */
@Injectable()
export class TownshipRecordsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly readModel: DashboardReadModel,
  ) {}

  /** Escalations raised on the batch's cases in scope, per township and rung (one query). */
  private async escalations(r: ResolvedScope): Promise<{ township_id: string; rung: EscalationRung; n: string }[]> {
    const qb = this.dataSource
      .getRepository(EscalationEntity)
      .createQueryBuilder('e')
      .innerJoin(RectificationCaseEntity, 'c', 'c.id = e.case_id')
      .select('c.township_id', 'township_id')
      .addSelect('e.rung', 'rung')
      .addSelect('count(*)', 'n');
    return this.readModel.restrictCases(qb, r).groupBy('c.township_id').addGroupBy('e.rung').getRawMany();
  }

  private async build(r: ResolvedScope): Promise<TownshipRecord[]> {
    const [cases, escalations] = await Promise.all([this.readModel.cases(r), this.escalations(r)]);
    const records = new Map(r.townships.map((t) => [t.id, emptyRecord(t.id, t.name, r.batchYear)]));
    for (const c of cases) {
      const t = records.get(c.townshipId);
      if (t) countCase(t, c);
    }
    for (const e of escalations) {
      const t = records.get(e.township_id);
      if (!t || !RUNGS.includes(e.rung)) continue;
      t.escalations[e.rung] += Number(e.n);
      t.escalations.total += Number(e.n);
    }
    for (const t of records.values()) t.onTimeRate = t.cases > 0 ? t.convertedOnTime / t.cases : null;
    return [...records.values()];
  }

  /** GET /api/township-records: the records of the townships in the user's region (or the one asked for). */
  async records(user: AuthUser, query: TownshipRecordQuery): Promise<TownshipRecordList> {
    const year = query.year ?? currentYear();
    const r = await this.readModel.resolve(user, { batchYear: year, townshipId: query.townshipId });
    return { year, items: await this.build(r) };
  }

  private async publication(countyId: string, year: number): Promise<LeaguePublicationEntity | null> {
    return this.dataSource.getRepository(LeaguePublicationEntity).findOneBy({ countyId, year });
  }

  /**
   * GET /api/township-records/league: every township of the user's county ranked by results. The
   * county sees every column and what it publishes; a township sees the published columns only, and
   * nothing while the county has not published.
   */
  async league(user: AuthUser, year = currentYear()): Promise<LeagueTable> {
    const pub = await this.publication(user.countyId, year);
    const publishedColumns = pub ? LEAGUE_COLUMNS.filter((c) => pub.columns.includes(c)) : [...LEAGUE_COLUMNS];
    const countyView = user.regionLevel === 'county';
    const base = { year, published: pub?.published ?? false, publishedColumns, orderedBy: LEAGUE_ORDER, updatedAt: pub?.updatedAt.toISOString() ?? null, updatedByName: pub?.updatedByName ?? null };
    if (!countyView && !pub?.published) return { ...base, columns: [], rows: [] };
    const columns = countyView ? [...LEAGUE_COLUMNS] : publishedColumns;
    const townships = await this.dataSource
      .getRepository(RegionEntity)
      .createQueryBuilder('r')
      .where(`r.level = 'township' AND r.parent_id = :countyId`, { countyId: user.countyId })
      .orderBy('r.code', 'ASC')
      .getMany();
    // The whole county's results, whoever asks (a township reads the county's published league).
    const asCounty: AuthUser = { ...user, regionLevel: 'county', townshipId: null, villageId: null };
    const r: ResolvedScope = {
      user: asCounty,
      batchYear: year,
      townshipId: null,
      scope: { level: 'county', regionId: user.countyId, name: '' },
      townships: townships.map((t) => ({ id: t.id, name: t.name })),
    };
    const rows: LeagueRow[] = rankTownships(await this.build(r)).map(({ rank, record }) => ({
      rank,
      townshipId: record.townshipId,
      townshipName: record.townshipName,
      values: Object.fromEntries(columns.map((c) => [c, columnValue(record, c)])),
    }));
    return { ...base, columns, rows };
  }

  /** PUT /api/township-records/league/publication: the county publishes (or withdraws) its league; audited. */
  async setPublication(user: AuthUser, dto: LeaguePublicationDto): Promise<LeagueTable> {
    await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(LeaguePublicationEntity);
      const before = await repo.findOneBy({ countyId: user.countyId, year: dto.year });
      const columns = LEAGUE_COLUMNS.filter((c) => dto.columns.includes(c));
      await repo.save({ countyId: user.countyId, year: dto.year, published: dto.published, columns, updatedAt: new Date(), updatedByName: user.name });
      await recordAudit(m, {
        actor: actorOf(user),
        action: 'league_table.updated',
        payload: { countyId: user.countyId, year: dto.year, published: dto.published, columns, before: before ? { published: before.published, columns: before.columns } : null },
      });
    });
    return this.league(user, dto.year);
  }
}
