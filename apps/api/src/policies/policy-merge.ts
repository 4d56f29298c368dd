import { policyFloorViolations, policyProblems, templateLoosenings, type RectificationPolicy, type UpperRegionLevel } from '../../../../libs/domain';
import type { PublishPolicyDto } from './dto/publish-policy.dto';
import { PolicyException, type TemplateLoosening } from './policy.exception';

/** The latest template of a province or city above a region, as a county or city inherits it. */
export interface TemplateSource {
  regionId: string;
  regionName: string;
  level: UpperRegionLevel;
  version: number;
  policy: RectificationPolicy;
  publishedAt: Date;
}

/** The given (not undefined) fields of a DTO object. */
function given<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The overrides of a publication merged onto the current policy as the next version. A field given as
 * null is not an override: it fails policyProblems() and is refused.
 */
export function mergePolicy(base: RectificationPolicy, dto: PublishPolicyDto, version: number): RectificationPolicy {
  const { note: _note, escalationDaysOverdue, extensions, attachments, ...overrides } = dto;
  return {
    ...base,
    ...given(overrides),
    escalationDaysOverdue: { ...base.escalationDaysOverdue, ...given(escalationDaysOverdue) },
    ...(extensions ? { extensions: { ...base.extensions, ...given(extensions) } } : {}),
    ...(attachments ? { attachments: { ...base.attachments, ...given(attachments) } } : {}),
    version,
  };
}

/** Every rule of every template above that the policy loosens, each with its template's region. */
export function loosenings(policy: RectificationPolicy, templates: TemplateSource[]): TemplateLoosening[] {
  return templates.flatMap((t) => templateLoosenings(policy, t.policy).map((l) => ({ ...l, regionId: t.regionId, regionName: t.regionName })));
}

/**
 * Refuses a policy that is unsound (400), loosens a seed floor (400) or loosens a template above it
 * (422): the seeds' numbers are floors and the province's or city's template is a floor too — a county
 * (or a city under its province) may tighten them, never loosen them.
 */
export function assertPublishable(policy: RectificationPolicy, templates: TemplateSource[]): void {
  const problems = policyProblems(policy);
  if (problems.length > 0) throw PolicyException.invalid(problems);
  const floors = policyFloorViolations(policy);
  if (floors.length > 0) throw PolicyException.belowSeedFloor(floors);
  const loose = loosenings(policy, templates);
  if (loose.length > 0) throw PolicyException.looserThanTemplate(loose);
}
