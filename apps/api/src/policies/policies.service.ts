import { actorOf, type AuthUser } from '../auth/auth-user';
import { recordAudit } from '../audit/audit-writer';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DEFAULT_POLICY, policyFloorViolations, policyProblems, type RectificationPolicy } from '../../../../libs/domain';
import { CountyPolicyEntity, RegionEntity } from '../../../../libs/persistence';
import type { PublishPolicyDto } from './dto/publish-policy.dto';
import { PolicyException } from './policy.exception';

/** Recorded as the publisher when none is given (until sign-in exists). */

/** A county's policy as the API answers it: the policy and who published it when. */
export interface CountyPolicyView {
  countyId: string;
  /** 0 = the built-in defaults (nothing published yet). */
  version: number;
  policy: RectificationPolicy;
  publishedAt: string | null;
  publishedBy: { id: string | null; name: string } | null;
  note: string | null;
}

function defaultPolicy(): RectificationPolicy {
  return structuredClone(DEFAULT_POLICY);
}

/** The given (not undefined) fields of a DTO object. */
function given<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

@Injectable()
export class PoliciesService {
  constructor(
    @InjectRepository(CountyPolicyEntity) private readonly policies: Repository<CountyPolicyEntity>,
    @InjectRepository(RegionEntity) private readonly regions: Repository<RegionEntity>,
  ) {}

  /**
   * The county's current policy: its latest published version, or DEFAULT_POLICY (version 0). The
   * cases module calls this when designating; the case keeps that version for its whole life.
   */
  async currentPolicy(countyId: string): Promise<RectificationPolicy> {
    const latest = await this.latest(countyId);
    return latest ? { ...latest.policy, version: latest.version } : defaultPolicy();
  }

  /** GET: the current policy of a county (404 for an unknown id or a region that is not a county). */
  async current(user: AuthUser, countyId: string): Promise<CountyPolicyView> {
    await this.requireCounty(countyId);
    if (user.countyId !== countyId) throw PolicyException.countyNotFound(countyId);
    const latest = await this.latest(countyId);
    return latest ? this.view(latest) : { countyId, version: 0, policy: defaultPolicy(), publishedAt: null, publishedBy: null, note: null };
  }

  /**
   * POST: merges the overrides onto the current policy and stores it as the next version. Two
   * publishes racing for the same version: the primary key lets one in, the other gets 409.
   * A field given as null is not an override: it fails policyProblems() and is refused.
   */
  async publish(user: AuthUser, countyId: string, dto: PublishPolicyDto): Promise<CountyPolicyView> {
    await this.requireCounty(countyId);
    if (user.countyId !== countyId) throw PolicyException.countyNotFound(countyId);
    const base = await this.currentPolicy(countyId);
    const { note, escalationDaysOverdue, extensions, attachments, ...overrides } = dto;
    const version = base.version + 1;
    const policy: RectificationPolicy = {
      ...base,
      ...given(overrides),
      escalationDaysOverdue: { ...base.escalationDaysOverdue, ...given(escalationDaysOverdue) },
      ...(extensions ? { extensions: { ...base.extensions, ...given(extensions) } } : {}),
      ...(attachments ? { attachments: { ...base.attachments, ...given(attachments) } } : {}),
      version,
    };
    const problems = policyProblems(policy);
    if (problems.length > 0) throw PolicyException.invalid(problems);
    // The seeds' own numbers are floors: a county may tighten them, never loosen them (DOMAIN.md).
    const floors = policyFloorViolations(policy);
    if (floors.length > 0) throw PolicyException.belowSeedFloor(floors);

    const row = this.policies.create({
      countyId,
      version,
      policy,
      publishedAt: new Date(),
      publishedById: user.id,
      publishedByName: user.name,
      note: note ?? null,
    });
    // The primary key (county_id, version) decides a race; the loser inserts nothing and is told so.
    await this.policies.manager.transaction(async (tx) => {
      const inserted: unknown[] = await tx.query(
        `INSERT INTO county_policy (county_id, version, policy, published_at, published_by_id, published_by_name, note)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)
         ON CONFLICT (county_id, version) DO NOTHING
         RETURNING version`,
        [row.countyId, row.version, JSON.stringify(row.policy), row.publishedAt, row.publishedById, row.publishedByName, row.note],
      );
      if (inserted.length === 0) throw PolicyException.versionConflict(countyId, version);
      await recordAudit(tx, { key: `policy:${countyId}:v${version}`, actor: actorOf(user), action: 'policy.published', payload: { countyId, version, overrides: dto } });
    });
    return this.view(row);
  }

  private latest(countyId: string): Promise<CountyPolicyEntity | null> {
    return this.policies.findOne({ where: { countyId }, order: { version: 'DESC' } });
  }

  private async requireCounty(countyId: string): Promise<void> {
    if (!(await this.regions.existsBy({ id: countyId, level: 'county' }))) throw PolicyException.countyNotFound(countyId);
  }

  private view(row: CountyPolicyEntity): CountyPolicyView {
    return {
      countyId: row.countyId,
      version: row.version,
      policy: { ...row.policy, version: row.version },
      publishedAt: row.publishedAt.toISOString(),
      publishedBy: { id: row.publishedById, name: row.publishedByName },
      note: row.note,
    };
  }
}
