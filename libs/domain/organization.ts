/** Domains of grassroots Party organizations (DOMAIN.md, "Words": organization). */
export const ORGANIZATION_DOMAINS = ['village', 'community', 'agency', 'soe', 'private_firm', 'social_org', 'school'] as const;
export type OrganizationDomain = (typeof ORGANIZATION_DOMAINS)[number];

export const ORGANIZATION_DOMAIN_LABELS: Record<OrganizationDomain, string> = {
  village: '农村',
  community: '社区',
  agency: '机关事业单位',
  soe: '国有企业',
  private_firm: '非公企业',
  social_org: '社会组织',
  school: '学校',
};

/**
 * Levels of the region tree: province → city (市/州) → county → township → village/community. The
 * rectification runs in the county; the province and city organization departments above it oversee
 * their counties (issue 17). A county may also sit right under a province (省直管县).
 */
export const REGION_LEVELS = ['province', 'city', 'county', 'township', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** The levels above the county: their users see the counties below them, read-only. */
export const UPPER_REGION_LEVELS = ['province', 'city'] as const;
export type UpperRegionLevel = (typeof UPPER_REGION_LEVELS)[number];

export function isUpperRegionLevel(level: string): level is UpperRegionLevel {
  return (UPPER_REGION_LEVELS as readonly string[]).includes(level);
}

export const REGION_LEVEL_LABELS: Record<RegionLevel, string> = {
  province: '省（自治区、直辖市）',
  city: '市（州）',
  county: '县（区）',
  township: '乡镇（街道）',
  village: '村（社区）',
};
