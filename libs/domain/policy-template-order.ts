import { extensionSettings } from './case/extension-records';
import { ORGANIZATION_DOMAINS, ORGANIZATION_DOMAIN_LABELS } from './organization';
import { attachmentSettings, laterRuleSettings, noticeSettings, publicNoticeDaysOf, type RectificationPolicy } from './policy';
import { formMaxScore, practiceFor } from './practice';

/**
 * Issue 17: a province or city organization department issues a policy template (政策模板); the counties
 * below inherit it and may only tighten it, as they may only tighten the seed floors (policy-floors.ts).
 * The same shape as a floor, with the template beside the county's policy: `kept(county, template)` is
 * true when the county's value is equal to the template's or stricter. One row per field with an order:
 *
 * | field | stricter is | why |
 * |---|---|---|
 * | teamMinSize, visitsPerQuarter, practicalThingsExpected, minCollectiveProjects | higher | more people, visits, things, projects |
 * | teamLeaderRanks | a subset | fewer ranks may lead the team |
 * | secretaryRequiredForReasons, requiredConsultations, reminderDaysBefore, attachments.requiredFor, inspectionSteps | a superset | every reason, consultation, reminder, attachment and sign-off of the template stays |
 * | secretaryDeadlineMonths, followUpDelayMonths, followUpReviewDays, relapseConversionMonths, inspectionDays | lower | sooner |
 * | escalationDaysOverdue.supervision/.publicNotice/.interview, organizationalHandlingDaysOverdue | lower | the ladder climbs sooner |
 * | lateEntryDays | lower | fewer days back may be entered without a reason (补录) |
 * | evidenceMinLength, sendBackReasonMinLength, extensions.reasonMinLength | higher | longer written evidence and reasons |
 * | publicNoticeDays | higher | a longer public notice |
 * | countWorkingDays, shiftNoticesToWorkingDay, extensions.secretaryDeadline | off, where the template has it off | each moves a deadline or notice later |
 * | extensions.approvers | a subset | fewer may approve |
 * | extensions.maxPerDeadline, extensions.maxDaysEach | lower | fewer and shorter extensions |
 * | playbooks.<kind> | minProjects higher and conditions a superset | the kind's sixth track asks no less |
 * | acceptanceForm | present where the template has one | scored acceptance stays on |
 * | acceptanceForm.passMark | pass mark / full score higher | the form's items may differ, the share to pass may not drop |
 * | acceptanceForm.vetoDissatisfiedShare | lower | the satisfaction veto bites sooner |
 *
 * Free (no order, the county chooses): countyPartySecretaryMaxCases (fixed at one by the seed floor),
 * noticeHour, attachments.keepPhotoLocation (evidence against privacy), a playbook's sixthTrack and the
 * acceptance form's areas and items (labels and weights).
 */
export interface TemplateOrder {
  /** The policy field (English field term; nested ones dotted). */
  field: string;
  /** The rule, in Chinese, as the refusal names it. */
  zh: string;
  /** True when the county's policy keeps the template (equal or stricter). */
  kept(county: RectificationPolicy, template: RectificationPolicy): boolean;
}

const atLeast = (field: keyof RectificationPolicy, what: string): TemplateOrder => ({
  field,
  zh: `${what}（${field}）不得少于上级模板`,
  kept: (c, t) => (c[field] as number) >= (t[field] as number),
});
const atMost = (field: keyof RectificationPolicy, what: string): TemplateOrder => ({
  field,
  zh: `${what}（${field}）不得长于上级模板`,
  kept: (c, t) => (c[field] as number) <= (t[field] as number),
});
const includesAll = (inner: readonly unknown[], outer: readonly unknown[]) => inner.every((x) => outer.includes(x));
/** The practice fields with their defaults (the same for every kind but the playbook). */
const practiceOf = (p: RectificationPolicy) => practiceFor(p, 'village');
/** Off in the county wherever the template has it off. */
const offWhereOff = (county: boolean, template: boolean) => !county || template;

export const TEMPLATE_ORDER: TemplateOrder[] = [
  atLeast('teamMinSize', '整建队伍最少人数'),
  { field: 'teamLeaderRanks', zh: '队长职级（teamLeaderRanks）不得超出上级模板允许的职级', kept: (c, t) => includesAll(c.teamLeaderRanks, t.teamLeaderRanks) },
  atMost('secretaryDeadlineMonths', '书记选配期限'),
  { field: 'secretaryRequiredForReasons', zh: '须选配合格书记的认定情形（secretaryRequiredForReasons）须包含上级模板的各项', kept: (c, t) => includesAll(t.secretaryRequiredForReasons, c.secretaryRequiredForReasons) },
  atLeast('visitsPerQuarter', '联系领导每季度调研指导次数'),
  atLeast('practicalThingsExpected', '联系领导办理实事好事件数'),
  { field: 'requiredConsultations', zh: '整顿方案必需的征求意见方式（requiredConsultations）须包含上级模板的各项', kept: (c, t) => includesAll(t.requiredConsultations, c.requiredConsultations) },
  atLeast('minCollectiveProjects', '集体经济项目数'),
  atMost('followUpDelayMonths', '回头看间隔'),
  atMost('followUpReviewDays', '回头看办理天数'),
  { field: 'reminderDaysBefore', zh: '提前提醒天数（reminderDaysBefore）须包含上级模板的各次提醒', kept: (c, t) => includesAll(t.reminderDaysBefore, c.reminderDaysBefore) },
  ...(['supervision', 'publicNotice', 'interview'] as const).map(
    (rung): TemplateOrder => ({
      field: `escalationDaysOverdue.${rung}`,
      zh: `${{ supervision: '督办', publicNotice: '通报', interview: '约谈' }[rung]}的逾期天数（escalationDaysOverdue.${rung}）不得晚于上级模板`,
      kept: (c, t) => c.escalationDaysOverdue[rung] <= t.escalationDaysOverdue[rung],
    }),
  ),
  {
    field: 'organizationalHandlingDaysOverdue',
    zh: '提请组织处理的逾期天数（organizationalHandlingDaysOverdue）不得晚于上级模板',
    kept: (c, t) => laterRuleSettings(c).organizationalHandlingDaysOverdue <= laterRuleSettings(t).organizationalHandlingDaysOverdue,
  },
  {
    field: 'countWorkingDays',
    zh: '上级模板按自然日计算提醒和督办的，不得改按工作日（countWorkingDays）',
    kept: (c, t) => offWhereOff(noticeSettings(c).countWorkingDays, noticeSettings(t).countWorkingDays),
  },
  {
    field: 'shiftNoticesToWorkingDay',
    zh: '上级模板不顺延的，提醒和督办不得改为顺延至工作日（shiftNoticesToWorkingDay）',
    kept: (c, t) => offWhereOff(noticeSettings(c).shiftNoticesToWorkingDay, noticeSettings(t).shiftNoticesToWorkingDay),
  },
  { field: 'publicNoticeDays', zh: '星级评定公示天数（publicNoticeDays）不得少于上级模板', kept: (c, t) => publicNoticeDaysOf(c) >= publicNoticeDaysOf(t) },
  { field: 'lateEntryDays', zh: '补录期限（lateEntryDays）不得长于上级模板', kept: (c, t) => laterRuleSettings(c).lateEntryDays <= laterRuleSettings(t).lateEntryDays },
  {
    field: 'relapseConversionMonths',
    zh: '回头看反弹后重新转化期限（relapseConversionMonths）不得长于上级模板',
    kept: (c, t) => laterRuleSettings(c).relapseConversionMonths <= laterRuleSettings(t).relapseConversionMonths,
  },
  { field: 'evidenceMinLength', zh: '问题销号佐证最少字数（evidenceMinLength）不得少于上级模板', kept: (c, t) => laterRuleSettings(c).evidenceMinLength >= laterRuleSettings(t).evidenceMinLength },
  { field: 'extensions.approvers', zh: '延期审批角色（extensions.approvers）不得超出上级模板', kept: (c, t) => includesAll(extensionSettings(c).approvers, extensionSettings(t).approvers) },
  { field: 'extensions.maxPerDeadline', zh: '每项期限最多延期次数（extensions.maxPerDeadline）不得多于上级模板', kept: (c, t) => extensionSettings(c).maxPerDeadline <= extensionSettings(t).maxPerDeadline },
  { field: 'extensions.maxDaysEach', zh: '每次最多延期天数（extensions.maxDaysEach）不得多于上级模板', kept: (c, t) => extensionSettings(c).maxDaysEach <= extensionSettings(t).maxDaysEach },
  { field: 'extensions.reasonMinLength', zh: '延期理由最少字数（extensions.reasonMinLength）不得少于上级模板', kept: (c, t) => extensionSettings(c).reasonMinLength >= extensionSettings(t).reasonMinLength },
  {
    field: 'extensions.secretaryDeadline',
    zh: '上级模板不允许书记选配期限延期的，不得允许（extensions.secretaryDeadline）',
    kept: (c, t) => offWhereOff(extensionSettings(c).secretaryDeadline, extensionSettings(t).secretaryDeadline),
  },
  {
    field: 'attachments.requiredFor',
    zh: '须附附件的环节（attachments.requiredFor）须包含上级模板的各项',
    kept: (c, t) => includesAll(attachmentSettings(t).requiredFor, attachmentSettings(c).requiredFor),
  },
  ...ORGANIZATION_DOMAINS.map(
    (domain): TemplateOrder => ({
      field: `playbooks.${domain}`,
      zh: `${ORGANIZATION_DOMAIN_LABELS[domain]}党组织的项目数不得少于、验收条件须包含上级模板的（playbooks.${domain}）`,
      kept: (c, t) => {
        const [county, template] = [practiceFor(c, domain).playbook, practiceFor(t, domain).playbook];
        return county.minProjects >= template.minProjects && includesAll(template.conditions, county.conditions);
      },
    }),
  ),
  {
    field: 'inspectionSteps',
    zh: '须经县委组织部督导把关的环节（inspectionSteps）须包含上级模板的各项',
    kept: (c, t) => includesAll(practiceOf(t).inspectionSteps, practiceOf(c).inspectionSteps),
  },
  { field: 'inspectionDays', zh: '督导把关期限（inspectionDays）不得长于上级模板', kept: (c, t) => practiceOf(c).inspectionDays <= practiceOf(t).inspectionDays },
  {
    field: 'sendBackReasonMinLength',
    zh: '退回理由最少字数（sendBackReasonMinLength）不得少于上级模板',
    kept: (c, t) => practiceOf(c).sendBackReasonMinLength >= practiceOf(t).sendBackReasonMinLength,
  },
  { field: 'acceptanceForm', zh: '上级模板实行验收评分的，须设验收评分表（acceptanceForm）', kept: (c, t) => !practiceOf(t).acceptanceForm || !!practiceOf(c).acceptanceForm },
  {
    field: 'acceptanceForm.passMark',
    zh: '验收合格分占满分的比例（acceptanceForm.passMark）不得低于上级模板',
    kept: (c, t) => {
      const [county, template] = [practiceOf(c).acceptanceForm, practiceOf(t).acceptanceForm];
      return !county || !template || county.passMark / formMaxScore(county) >= template.passMark / formMaxScore(template);
    },
  },
  {
    field: 'acceptanceForm.vetoDissatisfiedShare',
    zh: '满意度否决线（acceptanceForm.vetoDissatisfiedShare）不得高于上级模板',
    kept: (c, t) => {
      const [county, template] = [practiceOf(c).acceptanceForm, practiceOf(t).acceptanceForm];
      return !county || !template || county.vetoDissatisfiedShare <= template.vetoDissatisfiedShare;
    },
  },
];

/** The rules of the template a policy loosens; empty when it keeps them all. */
export function templateLoosenings(county: RectificationPolicy, template: RectificationPolicy): { field: string; zh: string }[] {
  return TEMPLATE_ORDER.filter((o) => !o.kept(county, template)).map((o) => ({ field: o.field, zh: o.zh }));
}
