import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { DEFAULT_POLICY, isUpperRegionLevel, REGION_LEVEL_LABELS, type RectificationPolicy, type UpperRegionLevel } from '../../../../libs/domain';
import { PolicyTemplateEntity, RegionEntity } from '../../../../libs/persistence';
import { recordAudit } from '../audit/audit-writer';
import { actorOf, type AuthUser } from '../auth/auth-user';
import type { PublishPolicyDto } from './dto/publish-policy.dto';
import { assertPublishable, loosenings, mergePolicy, type TemplateSource } from './policy-merge';
import { PolicyException, type TemplateLoosening } from './policy.exception';

/** The template a policy inherits, as the API names it (no policy body). */
export interface TemplateRef {
  regionId: string;
  regionName: string;
  level: UpperRegionLevel;
  levelLabel: string;
  version: number;
  publishedAt: string;
}

/**
 * What a policy has from above, present only when a province or city above has published a template:
 * the nearest one (its defaults), and the rules of any template above that the policy is looser than —
 * a policy published before a template keeps running, but its next version must comply.
 */
export interface InheritedTemplate {
  template?: TemplateRef;
  looserThanTemplate?: TemplateLoosening[];
}

/** A province's or city's template as the API answers it. */
export interface PolicyTemplateView extends InheritedTemplate {
  regionId: string;
  regionName: string;
  level: UpperRegionLevel;
  /** 0 = none published: the policy shown is the one inherited from above, or the built-in defaults. */
  version: number;
  policy: RectificationPolicy;
  publishedAt: string | null;
  publishedBy: { id: string; name: string } | null;
  note: string | null;
}

/**
 * The latest template of each province or city above a region, nearest first (a county's city, then
 * its province; a city's province). Regions without a template are skipped.
 */
export const TEMPLATES_ABOVE = `
  WITH RECURSIVE up AS (
    SELECT r.id, r.name, r.level, r.parent_id, 0 AS depth FROM region r WHERE r.id = (SELECT parent_id FROM region WHERE id = $1)
    UNION ALL
    SELECT r.id, r.name, r.level, r.parent_id, up.depth + 1 FROM region r JOIN up ON r.id = up.parent_id WHERE up.depth < 3
  )
  SELECT up.id AS "regionId", up.name AS "regionName", up.level, t.version, t.policy, t.published_at AS "publishedAt", up.depth
  FROM up
  JOIN LATERAL (SELECT version, policy, published_at FROM policy_template WHERE region_id = up.id ORDER BY version DESC LIMIT 1) t ON true
  WHERE up.level IN ('province', 'city')
  ORDER BY up.depth`;

/** Province and city policy templates (政策模板, issue 17): versions, inheritance, the check against them. */
@Injectable()
export class PolicyTemplatesService {
  constructor(
    @InjectRepository(PolicyTemplateEntity) private readonly templates: Repository<PolicyTemplateEntity>,
    @InjectRepository(RegionEntity) private readonly regions: Repository<RegionEntity>,
  ) {}

  /** The templates above a region (a county or a city), nearest first. */
  async above(regionId: string): Promise<TemplateSource[]> {
    const rows: (Omit<TemplateSource, 'version'> & { version: number | string; depth: number })[] = await this.templates.query(TEMPLATES_ABOVE, [regionId]);
    return rows.map(({ depth: _depth, ...r }) => ({ ...r, version: Number(r.version) }));
  }

  /** The inherited part of a view: the nearest template, and what the policy loosens of any template above. */
  static inherited(policy: RectificationPolicy, templates: TemplateSource[]): InheritedTemplate {
    const [nearest] = templates;
    if (!nearest) return {};
    return {
      template: {
        regionId: nearest.regionId,
        regionName: nearest.regionName,
        level: nearest.level,
        levelLabel: REGION_LEVEL_LABELS[nearest.level],
        version: nearest.version,
        publishedAt: nearest.publishedAt.toISOString(),
      },
      looserThanTemplate: loosenings(policy, templates),
    };
  }

  /** The policy a region below inherits when it has published nothing: the nearest template's, or the defaults (version 0). */
  static inheritedPolicy(templates: Pick<TemplateSource, 'policy'>[]): RectificationPolicy {
    const [nearest] = templates;
    return { ...structuredClone(nearest ? nearest.policy : DEFAULT_POLICY), version: 0 };
  }

  /** GET: a province's or city's template (404 for a region that is neither). */
  async current(regionId: string): Promise<PolicyTemplateView> {
    const region = await this.requireUpperRegion(regionId);
    const [latest, above] = await Promise.all([this.latest(regionId), this.above(regionId)]);
    const policy = latest ? { ...latest.policy, version: latest.version } : PolicyTemplatesService.inheritedPolicy(above);
    return {
      regionId,
      regionName: region.name,
      level: region.level,
      version: latest?.version ?? 0,
      policy,
      publishedAt: latest ? latest.publishedAt.toISOString() : null,
      publishedBy: latest ? { id: latest.publishedById, name: latest.publishedByName } : null,
      note: latest?.note ?? null,
      ...PolicyTemplatesService.inherited(policy, above),
    };
  }

  /**
   * POST: the province's or city's own organization department publishes the next version, merged onto
   * its current template (or, for the first, onto what it inherits). The same checks as a county's
   * policy, and a city's template may only tighten its province's.
   */
  async publish(user: AuthUser, regionId: string, dto: PublishPolicyDto): Promise<PolicyTemplateView> {
    const region = await this.requireUpperRegion(regionId);
    if (user.regionId !== regionId) throw PolicyException.templateNotOwnRegion(regionId);
    const [latest, above] = await Promise.all([this.latest(regionId), this.above(regionId)]);
    const base = latest ? { ...latest.policy, version: latest.version } : PolicyTemplatesService.inheritedPolicy(above);
    const version = (latest?.version ?? 0) + 1;
    const policy = mergePolicy(base, dto, version);
    assertPublishable(policy, above);

    const row = this.templates.create({ regionId, version, policy, publishedAt: new Date(), publishedById: user.id, publishedByName: user.name, note: dto.note ?? null });
    await this.templates.manager.transaction(async (tx) => {
      const inserted: unknown[] = await tx.query(
        `INSERT INTO policy_template (region_id, version, policy, published_at, published_by_id, published_by_name, note)
         VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7)
         ON CONFLICT (region_id, version) DO NOTHING
         RETURNING version`,
        [row.regionId, row.version, JSON.stringify(row.policy), row.publishedAt, row.publishedById, row.publishedByName, row.note],
      );
      if (inserted.length === 0) throw PolicyException.templateVersionConflict(regionId, version);
      await recordAudit(tx, {
        key: `policy-template:${regionId}:v${version}`,
        actor: actorOf(user),
        action: 'policy_template.published',
        payload: { regionId, regionName: region.name, level: region.level, version, overrides: dto },
      });
    });
    return {
      regionId,
      regionName: region.name,
      level: region.level,
      version,
      policy,
      publishedAt: row.publishedAt.toISOString(),
      publishedBy: { id: user.id, name: user.name },
      note: row.note,
      ...PolicyTemplatesService.inherited(policy, above),
    };
  }

  private latest(regionId: string): Promise<PolicyTemplateEntity | null> {
    return this.templates.findOne({ where: { regionId }, order: { version: 'DESC' } });
  }

  private async requireUpperRegion(regionId: string): Promise<RegionEntity & { level: UpperRegionLevel }> {
    const region = await this.regions.findOneBy({ id: regionId });
    if (!region || !isUpperRegionLevel(region.level)) throw PolicyException.templateRegionNotFound(regionId);
    return region as RegionEntity & { level: UpperRegionLevel };
  }
}
