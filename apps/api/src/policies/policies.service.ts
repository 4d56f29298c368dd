import { actorOf, type AuthUser } from '../auth/auth-user';
import { recordAudit } from '../audit/audit-writer';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { RectificationPolicy } from '../../../../libs/domain';
import { CountyPolicyEntity, RegionEntity, preparedQuery } from '../../../../libs/persistence';
import { ScopeService } from '../scope/scope.service';
import type { PublishPolicyDto } from './dto/publish-policy.dto';
import { assertPublishable, mergePolicy } from './policy-merge';
import { PolicyException } from './policy.exception';
import { PolicyTemplatesService, TEMPLATES_ABOVE, type InheritedTemplate } from './policy-templates.service';

/**
 * The county's latest published policy and, only when it has none, the nearest template's above it: what
 * currentPolicy needs, in one prepared statement (a designation, an upload and a star rating each ask it).
 */
const CURRENT_POLICY = `
  SELECT p.policy, p.version,
         CASE WHEN p.version IS NULL THEN (SELECT above.policy FROM (${TEMPLATES_ABOVE}) above ORDER BY above.depth LIMIT 1) END AS inherited
  FROM (SELECT 1) AS one
  LEFT JOIN LATERAL (SELECT policy, version FROM county_policy WHERE county_id = $1 ORDER BY version DESC LIMIT 1) p ON true`;

/** A county's policy as the API answers it: the policy and who published it when. */
export interface CountyPolicyView extends InheritedTemplate {
  countyId: string;
  /** 0 = nothing published yet: the policy is the nearest template's above the county, or the built-in defaults. */
  version: number;
  policy: RectificationPolicy;
  publishedAt: string | null;
  publishedBy: { id: string | null; name: string } | null;
  note: string | null;
}

@Injectable()
export class PoliciesService {
  constructor(
    @InjectRepository(CountyPolicyEntity) private readonly policies: Repository<CountyPolicyEntity>,
    @InjectRepository(RegionEntity) private readonly regions: Repository<RegionEntity>,
    private readonly templates: PolicyTemplatesService,
    private readonly scope: ScopeService,
  ) {}

  /**
   * The county's current policy: its latest published version; without one, the policy template of the
   * nearest province or city above it (city before province), or DEFAULT_POLICY — both version 0. The
   * cases module calls this when designating; the case keeps that policy for its whole life.
   */
  async currentPolicy(countyId: string): Promise<RectificationPolicy> {
    const [row] = await preparedQuery<{ policy: RectificationPolicy | null; version: number | null; inherited: RectificationPolicy | null }>(
      this.policies.manager.connection,
      CURRENT_POLICY,
      [countyId],
    );
    if (row?.policy && row.version !== null) return { ...row.policy, version: row.version };
    return PolicyTemplatesService.inheritedPolicy(row?.inherited ? [{ policy: row.inherited }] : []);
  }

  /**
   * GET: the current policy of a county (404 for an unknown id or a region that is not a county), for
   * the county's own users and, read-only, the province or city above it. Where a template lies above,
   * the answer names it and every rule of it the county's policy is looser than.
   */
  async current(user: AuthUser, countyId: string): Promise<CountyPolicyView> {
    await this.requireCounty(countyId);
    if (user.countyId !== countyId && !(await this.scope.countyBelow(user, countyId))) throw PolicyException.countyNotFound(countyId);
    const [latest, above] = await Promise.all([this.latest(countyId), this.templates.above(countyId)]);
    const view = latest
      ? this.view(latest)
      : { countyId, version: 0, policy: PolicyTemplatesService.inheritedPolicy(above), publishedAt: null, publishedBy: null, note: null };
    return { ...view, ...PolicyTemplatesService.inherited(view.policy, above) };
  }

  /**
   * POST: merges the overrides onto the current policy (or, for the first version, onto the template
   * inherited from above) and stores it as the next version. It must keep the seed floors and every
   * template above the county (422 naming the fields and the template's region). Two publishes racing
   * for the same version: the primary key lets one in, the other gets 409.
   */
  async publish(user: AuthUser, countyId: string, dto: PublishPolicyDto): Promise<CountyPolicyView> {
    await this.requireCounty(countyId);
    if (user.countyId !== countyId) throw PolicyException.countyNotFound(countyId);
    const [latest, above] = await Promise.all([this.latest(countyId), this.templates.above(countyId)]);
    const base = latest ? { ...latest.policy, version: latest.version } : PolicyTemplatesService.inheritedPolicy(above);
    const version = base.version + 1;
    const policy = mergePolicy(base, dto, version);
    assertPublishable(policy, above);

    const row = this.policies.create({
      countyId,
      version,
      policy,
      publishedAt: new Date(),
      publishedById: user.id,
      publishedByName: user.name,
      note: dto.note ?? null,
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
      const template = above[0] ? { regionId: above[0].regionId, regionName: above[0].regionName, version: above[0].version } : undefined;
      await recordAudit(tx, { key: `policy:${countyId}:v${version}`, actor: actorOf(user), action: 'policy.published', payload: { countyId, version, overrides: dto, ...(template ? { template } : {}) } });
    });
    return { ...this.view(row), ...PolicyTemplatesService.inherited(policy, above) };
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
