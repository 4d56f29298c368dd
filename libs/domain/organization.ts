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

/** Levels of the region tree: county → township → village/community. */
export const REGION_LEVELS = ['county', 'township', 'village'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

export const REGION_LEVEL_LABELS: Record<RegionLevel, string> = {
  county: '县（区）',
  township: '乡镇（街道）',
  village: '村（社区）',
};
