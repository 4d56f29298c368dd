/**
 * The answers of the county's setup endpoints (区划、人员、党组织、整顿政策、工作日历、通知渠道、推送记录) as
 * the pages read them. They mirror the API services' exported interfaces (apps/api/src/regions,
 * users, calendar, policies, organizations, notifications), which libs/http does not carry yet.
 */
import type { CadreRank } from '../../../../libs/domain/policy';
import type { RegionLevel, UserRole } from '@contract';
import type { OrganizationDomain } from '../../../../libs/domain/organization';

export { CADRE_RANKS, CADRE_RANK_LABELS } from '../../../../libs/domain/policy';
export { ORGANIZATION_DOMAINS, ORGANIZATION_DOMAIN_LABELS } from '../../../../libs/domain/organization';
export { ROLE_REGION_LEVELS, USER_ROLES } from '../../../../libs/domain/roles';
export type { CadreRank };

/** One problem of an imported row: its line (header = 1), the column, the reason in Chinese. */
export interface ImportProblem {
  line: number;
  field: string;
  reason: string;
}

/** The details of a 400 IMPORT_INVALID: every bad row (the first ones) and how many more. */
export interface ImportInvalidDetails {
  rows: number;
  rejected: ImportProblem[];
  rejectedUnlisted: number;
}

export type ImportMode = 'all' | 'valid';

// ---- 区划 ----
export interface RegionView {
  id: string;
  code: string;
  name: string;
  level: RegionLevel;
  parentId: string | null;
  organizations: number;
  users: number;
}
export interface RegionTreeNode extends RegionView {
  children: RegionTreeNode[];
}
/** A county of the province's code that no city or province holds yet (GET /api/regions/unplaced-counties). */
export interface UnplacedCounty {
  id: string;
  code: string;
  name: string;
}
export interface RegionImportResult {
  mode: ImportMode;
  rows: number;
  added: number;
  renamed: { code: string; before: string; after: string }[];
  unchanged: number;
  rejected: ImportProblem[];
  rejectedUnlisted: number;
  notInFile: { code: string; name: string; level: RegionLevel; organizations: number; users: number; cases: number }[];
  notInFileUnlisted: number;
}

// ---- 人员 ----
export interface UserView {
  id: string;
  name: string;
  title: string;
  role: UserRole;
  regionId: string;
  username: string;
  phone: string | null;
  cadreRank: CadreRank | null;
  active: boolean;
  regionName: string;
  regionCode: string;
  oneTimeCredential: boolean;
}
export interface CreatedUser {
  user: UserView;
  oneTimePassword: string;
}
export interface UserImportResult {
  mode: ImportMode;
  rows: number;
  imported: number;
  created: { line: number; username: string; name: string; oneTimePassword: string }[];
  rejected: ImportProblem[];
  rejectedUnlisted: number;
}

// ---- 党组织 ----
export interface OrganizationRow {
  id: string;
  code: string;
  name: string;
  domain: OrganizationDomain;
  regionId: string;
  townshipId: string;
  countyId: string;
  secretaryName: string | null;
}
export interface OrganizationImportResult {
  mode: ImportMode;
  rows: number;
  imported: number;
  rejected: ImportProblem[];
  rejectedUnlisted: number;
}

// ---- 整顿政策 ----
/** The nearest template of a province or city above a county (or a city), whose values are its defaults. */
export interface TemplateRef {
  regionId: string;
  regionName: string;
  level: 'province' | 'city';
  levelLabel: string;
  version: number;
  publishedAt: string;
}
/** One rule of a template above that a policy loosens; also the items of a 422 POLICY_LOOSER_THAN_TEMPLATE's details.fields. */
export interface TemplateLoosening {
  field: string;
  zh: string;
  regionId: string;
  regionName: string;
}
/** What a policy has from above: present only when a province or city above has published a template. */
export interface InheritedTemplate {
  template?: TemplateRef;
  looserThanTemplate?: TemplateLoosening[];
}
export interface CountyPolicyView extends InheritedTemplate {
  countyId: string;
  version: number;
  policy: Record<string, unknown> & { version: number };
  publishedAt: string | null;
  publishedBy: { id: string | null; name: string } | null;
  note: string | null;
}
/** A province's or city's policy template (GET/POST /api/regions/:regionId/policy-template); version 0 = none published. */
export interface PolicyTemplateView extends InheritedTemplate {
  regionId: string;
  regionName: string;
  level: 'province' | 'city';
  version: number;
  policy: Record<string, unknown> & { version: number };
  publishedAt: string | null;
  publishedBy: { id: string; name: string } | null;
  note: string | null;
}

// ---- 工作日历 ----
export interface CalendarDayView {
  date: string;
  isWorkday: boolean;
  name: string | null;
  source: 'chinese-days' | 'manual' | string;
  updatedAt: string;
  updatedBy: { id: string; name: string } | null;
}
export interface CalendarYearView {
  year: number;
  hasData: boolean;
  loadedAt: string | null;
  days: CalendarDayView[];
}
export interface CalendarImportResult {
  year: number;
  rows: number;
  holidays: number;
  workdays: number;
  changed: { date: string; before: { isWorkday: boolean; name: string | null; source: string } }[];
}
export interface CalendarStatus {
  today: string;
  missingYears: number[];
  banner: string | null;
}

// ---- 通知渠道、推送记录 ----
export type ChannelKind = 'dingtalk' | 'wecom' | 'webhook';
export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = { dingtalk: '钉钉群机器人', wecom: '企业微信群机器人', webhook: '通用 Webhook' };
export interface ChannelItem {
  id: string;
  townshipId: string;
  kind: ChannelKind;
  kindLabel: string;
  name: string;
  url: string;
  hasSecret: boolean;
  enabled: boolean;
  maxPerMinute: number;
  batchSize: number;
  createdAt: string;
  updatedAt: string;
}
export interface ChannelTestResult {
  channelId: string;
  ok: boolean;
  messageId: string | null;
  error: string | null;
  sentAt: string;
}
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'unknown';
export interface DeliveryItem {
  id: string;
  channel: { id: string; name: string; kind: ChannelKind; kindLabel: string; townshipId: string; deleted: boolean };
  caseId: string;
  notice: { organizationName: string; rungLabel: string; title: string; reason: string; dueOn: string };
  status: DeliveryStatus;
  statusLabel: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}
export interface DeliveryPage {
  items: DeliveryItem[];
  nextCursor: string | null;
  totals: Record<DeliveryStatus, number>;
}
