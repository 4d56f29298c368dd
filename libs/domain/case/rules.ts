import { ProcessRuleViolation, type RuleCatalogue } from '../process/rules';

/** The fewest characters of the written reason for taking a case off the list, spaces trimmed. */
export const REMOVAL_REASON_MIN_LENGTH = 10;

/**
 * The playbook's rules, each with a code, its Chinese and English wording, and where it comes from.
 * A refused action names the rule it breaks, so a township knows what to fix.
 */
export const RULES = {
  STAGE_DOES_NOT_ALLOW: { zh: '案件当前阶段不能进行此项操作', en: 'not allowed in the case\'s current stage', source: 'DOMAIN.md 整顿流程' },
  ROLE_NOT_ALLOWED: { zh: '当前角色无权进行此项操作', en: 'the acting role may not do this', source: 'DOMAIN.md Who uses it' },
  INVALID_INPUT: { zh: '输入有误', en: 'invalid input', source: '-' },
  DATE_IN_FUTURE: { zh: '日期不能晚于今天', en: 'the date may not be in the future', source: '-' },
  DATE_BEFORE_DESIGNATION: { zh: '日期不能早于认定日期', en: 'the date may not precede the designation', source: '-' },

  ONE_CONTACT_LEADER: { zh: '每个整顿对象只能有一名联系领导（一把手分包）', en: 'exactly one contact leader per case', source: 'seed 000 §四(一)' },
  CONTACT_LEADER_REASSIGN_REASON: { zh: '更换联系领导须说明理由', en: 'replacing the contact leader needs a reason', source: 'seed 000 §四(一)' },
  COUNTY_SECRETARY_ONE_CASE: { zh: '县委书记每批次带头挂点联系的软弱涣散党组织不超过规定数量（默认1个）', en: 'the county party secretary takes at most the policy\'s number of cases per batch (default one)', source: 'seed 000 §四(一)' },
  CONTACT_LEADER_REQUIRED: { zh: '须先确定联系领导', en: 'a contact leader must be assigned first', source: 'seed 000 §四(一)' },
  VISIT_BY_CONTACT_LEADER: { zh: '调研指导须由本案联系领导进行', en: 'guidance visits are by the case\'s contact leader', source: 'seed 000 §四(一)' },

  TEAM_MIN_SIZE: { zh: '整建队伍不少于规定人数（默认3人）', en: 'the team has at least the policy\'s number of people (default 3)', source: 'seed 000 §四(二)' },
  TEAM_LEADER_SECTION_LEVEL: { zh: '整建队伍须由科级干部担任队长', en: 'the team is led by a section-level cadre', source: 'seed 000 §四(二)' },
  TEAM_ONE_LEADER: { zh: '整建队伍有且只有一名队长', en: 'the team has exactly one leader', source: 'seed 000 §四(二)' },
  TEAM_ALREADY_APPOINTED: { zh: '整建队伍已选派，请调整成员而非重新选派', en: 'the team is already appointed; change its members instead', source: 'seed 000 §四(二)' },
  TEAM_REQUIRED: { zh: '须先选派整建队伍', en: 'the team must be appointed first', source: 'seed 000 §四(二)' },
  TEAM_NOT_RELEASED_BEFORE_CONVERSION: { zh: '不转化不脱钩：整顿对象验收转化前整建队伍不得撤离', en: 'the team stays until the case is accepted as converted', source: 'seed 000 §四(二)' },
  TEAM_RELEASED: { zh: '整建队伍已撤离', en: 'the team has been released', source: 'seed 000 §四(二)' },

  PROBLEM_LIST_NOT_EMPTY: { zh: '问题清单不能为空', en: 'the problem list may not be empty', source: 'seed 000 §四(二)' },
  PROBLEM_LIST_CONFIRMED_BY_TOWNSHIP_SECRETARY: { zh: '问题清单须由乡镇党委书记确认', en: 'the township party secretary confirms the problem list', source: 'seed 000 §四(二)' },
  PROBLEM_LIST_NOT_CONFIRMED: { zh: '问题清单尚未经乡镇党委书记确认', en: 'the problem list is not yet confirmed', source: 'seed 000 §四(二)' },
  PROBLEM_NOT_FOUND: { zh: '问题不存在', en: 'no such problem', source: '-' },
  PROBLEM_ALREADY_CLOSED: { zh: '该问题已销号', en: 'the problem is already closed', source: '-' },
  PROBLEM_CLOSE_NEEDS_EVIDENCE: { zh: '问题销号须附整改佐证材料', en: 'a problem is closed only with evidence of its fix', source: 'seed 000 §四(二)' },

  PLAN_CONSULTATIONS_REQUIRED: { zh: '整顿方案须先经党员大会、村民代表会议、入户走访、谈心谈话广泛征求意见', en: 'the plan needs the required consultations first', source: 'seed 000 §四(二)' },
  PLAN_NEEDS_MEASURES: { zh: '整顿方案须有整改措施', en: 'the plan needs measures', source: 'seed 000 §四(二)' },
  PLAN_COVERS_EVERY_PROBLEM: { zh: '整顿方案须对照问题清单，每个问题都有整改措施', en: 'every open problem needs a measure', source: 'seed 000 §四(二)' },
  PLAN_APPROVED_BY_TOWNSHIP: { zh: '整顿方案须由乡镇党委审定', en: 'the township Party committee approves the plan', source: 'seed 000 §四(二)' },
  PLAN_ALREADY_APPROVED: { zh: '整顿方案已审定', en: 'the plan is already approved', source: '-' },
  PLAN_NOT_APPROVED: { zh: '整顿方案尚未审定', en: 'the plan is not yet approved', source: 'seed 000 §四(二)' },
  MEASURE_NEEDS_PROBLEM: { zh: '整改措施须对应问题清单中的问题', en: 'a measure addresses problems of the list', source: 'seed 000 §四(二)' },
  MEASURE_NOT_FOUND: { zh: '整改措施不存在', en: 'no such measure', source: '-' },
  MEASURE_ALREADY_DONE: { zh: '该整改措施已完成', en: 'the measure is already done', source: '-' },

  SECRETARY_ALREADY_APPOINTED: { zh: '已选配党支部书记', en: 'a secretary is already appointed', source: 'seed 000 §四(三)' },

  PROJECT_FIELDS: { zh: '集体经济项目须有名称、类型、扶持资金、启动日期和预期年收益', en: 'a project needs name, kind, support funds, start date and expected income', source: 'seed 000 §四(四)' },

  ACCEPTANCE_CONDITIONS_UNMET: { zh: '未达到验收销号条件', en: 'the conditions for acceptance are not met', source: 'DOMAIN.md Closing' },
  ACCEPTANCE_BY_COUNTY: { zh: '验收由县委组织部进行', en: 'the county organization department accepts cases', source: 'DOMAIN.md Closing' },
  FOLLOW_UP_NOT_DUE: { zh: '回头看尚未到期', en: 'the follow-up review is not yet due', source: 'DOMAIN.md Closing' },
  RELAPSE_NEEDS_REASON: { zh: '认定反弹须说明理由', en: 'a relapse needs its reason', source: 'DOMAIN.md Closing' },

  // Issue 18: inspection at key steps and scored acceptance (libs/domain/case/tracks/inspection.ts, scored-acceptance.ts).
  INSPECTION_PENDING: { zh: '该环节须经县委组织部督导把关通过', en: 'the step waits for the county\'s sign-off', source: 'seed 001 §一(四)' },
  INSPECTION_NOT_FOUND: { zh: '督导把关记录不存在', en: 'no such inspection', source: '-' },
  INSPECTION_NOT_PENDING: { zh: '该环节已作出督导把关决定', en: 'the inspection is already decided', source: '-' },
  SEND_BACK_NEEDS_REASON: { zh: '退回须书面说明理由（不少于规定字数）', en: 'sending a step back needs a written reason of the policy\'s length', source: 'seed 001 §一(四)' },
  ACCEPTANCE_FORM_INCOMPLETE: { zh: '验收评分表须逐项评分', en: 'every item of the acceptance form is scored', source: 'seed 001 §一(四); seed 003 §三(三)' },
  ACCEPTANCE_NOT_SCORED: { zh: '验收须先由验收组评分并开展群众满意度测评', en: 'acceptance needs the acceptance team\'s scoring and the satisfaction survey', source: 'seed 001 §一(四); seed 000 §三(二)' },
  ACCEPTANCE_SCORE_BELOW_PASS: { zh: '验收得分未达合格分', en: 'the acceptance score is below the pass mark', source: 'seed 003 §三(三)' },
  SATISFACTION_VETO: { zh: '群众不满意率超过规定比例（默认一半），验收一票否决', en: 'more of those asked are dissatisfied than the veto share (default half): acceptance fails', source: 'seed 000 §三(二); seed 003 §三(三)' },

  REMOVAL_REASON_REQUIRED: {
    zh: `移出整顿名单须由县委组织部书面说明理由（不少于${REMOVAL_REASON_MIN_LENGTH}个字）`,
    en: `taking an organization off the list needs a written reason of at least ${REMOVAL_REASON_MIN_LENGTH} characters`,
    source: 'DOMAIN.md "No hiding"; seed 000 §三',
  },
  ONE_STAR_CANNOT_BE_REMOVED: {
    zh: '星级评定为一星级的党组织不能移出整顿名单（不能藏着掖着，防止以好充次）',
    en: 'an organization rated one star cannot be taken off the list',
    source: 'seed 000 §三; DOMAIN.md "No hiding"',
  },
  REMOVAL_ONLY_WHILE_ON_LIST: {
    zh: '已验收销号、已结案或已移出的案件不能移出整顿名单',
    en: 'a case already accepted, closed or taken off the list cannot be taken off the list',
    source: 'DOMAIN.md "No hiding"',
  },

  // Issue 16: rules that cannot be bent (libs/domain/case/rules/*).
  LATE_ENTRY_NEEDS_REASON: { zh: '补录超过规定期限（默认30天）的记录须书面说明理由', en: 'a record entered more than the policy\'s window after its date needs a written reason', source: 'DOMAIN.md Reminders and escalation (records are honest about time)' },
  VISIT_INTO_ESCALATED_QUARTER_NEEDS_REASON: { zh: '补记到已督办季度的调研指导须说明理由，理由记入督办记录', en: 'a visit dated into a quarter already escalated needs a reason, shown on the escalation', source: 'DOMAIN.md Reminders and escalation' },
  VISIT_CONFIRMED_BY_CONTACT_LEADER: { zh: '代录的调研指导须由本案联系领导本人确认', en: 'a visit entered by someone else is confirmed by the case\'s contact leader', source: 'DOMAIN.md Reminders and escalation (代录)' },
  VISIT_NOT_FOUND: { zh: '调研指导记录不存在', en: 'no such visit', source: '-' },
  VISIT_NOT_AWAITING_CONFIRMATION: { zh: '该调研指导记录无需确认（非代录或已确认）', en: 'the visit is not a proxy entry awaiting confirmation', source: 'DOMAIN.md Reminders and escalation (代录)' },
  ATTACHMENT_REQUIRED: { zh: '本县政策要求此环节至少附一个附件', en: 'the county policy requires at least one attachment for this step', source: 'issue 20' },
  EVIDENCE_OF_SUBSTANCE: { zh: '佐证材料须有实质内容（达到规定字数或附附件编号）', en: 'evidence needs substance: the policy\'s length, or an attachment reference', source: 'seed 000 §四(二); issue 16' },
  RECORD_NEEDS_EVIDENCE: { zh: '实事好事和专题培训须附佐证材料', en: 'practical things and trainings need their evidence', source: 'seed 000 §四(一)、§四(三)' },
  FIRST_SECRETARY_TERM_REQUIRED: { zh: '选派第一书记须写明任期截止日期（第一书记是暂无合适人选时的过渡）', en: 'a first secretary needs the end date of the posting', source: 'seed 001 §一(二)' },
  SUCCESSOR_FROM_VILLAGE: { zh: '第一书记之后须从本村产生书记接任', en: 'the successor of a first secretary comes from the village', source: 'seed 000 §四(三); seed 001 §一(二)' },
  ORG_HANDLING_AFTER_INTERVIEW: { zh: '组织处理须在约谈之后、由县委组织部研究决定', en: 'organizational handling is decided by the county after the interview rung', source: 'DOMAIN.md Reminders and escalation; seeds 003, 004' },
  ORG_HANDLING_DEADLINE_UNKNOWN: { zh: '组织处理所针对的逾期事项不存在', en: 'no such deadline put to the county', source: '-' },
  REASON_ALREADY_PRESENT: { zh: '该认定原因已在本案中', en: 'the case already has this designation reason', source: '-' },
  ONE_STAR_BY_STAR_RATING: { zh: '一星级（S1）认定原因只能由星级评定自动加入', en: 'S1 is added only by the star rating', source: 'seed 000 §三' },

  // Issue 20: 延期, a deadline moves only with approval (libs/domain/case/tracks/extensions.ts).
  EXTENSION_DEADLINE_NOT_OPEN: { zh: '只有未完成的整改措施期限或尚未选配书记的选配期限可以申请延期', en: 'only an open measure deadline or an open secretary deadline can be extended', source: 'issue 20' },
  SECRETARY_DEADLINE_NOT_EXTENSIBLE: { zh: '书记选配期限（原则上整建队伍进驻后3个月内）仅在本县政策明确允许时可以延期', en: 'the secretary deadline (3 months, a seed number) moves only where the county policy explicitly allows it', source: 'seed 000 §四(三)' },
  EXTENSION_ALREADY_PENDING: { zh: '该期限已有待审批的延期申请', en: 'this deadline already has an extension request awaiting decision', source: 'issue 20' },
  EXTENSION_LIMIT_REACHED: { zh: '该期限的延期次数已达政策上限', en: 'this deadline has had the policy\'s number of extensions', source: 'issue 20' },
  EXTENSION_TOO_LONG: { zh: '单次延期天数超过政策上限', en: 'one extension may add at most the policy\'s number of days', source: 'issue 20' },
  EXTENSION_MUST_BE_LATER: { zh: '延期后的日期须晚于现期限且不早于今天', en: 'the new date must be later than the current deadline and not in the past', source: 'issue 20' },
  EXTENSION_PAST_YEAR_END: { zh: '延期不得超过本案的转化期限（年底前务必全部转化提升）', en: 'no extension past the case\'s conversion deadline (the year end)', source: 'seed 003' },
  EXTENSION_REASON_REQUIRED: { zh: '延期申请和审批须书面说明理由', en: 'an extension request and its decision need a written reason', source: 'issue 20' },
  EXTENSION_NOT_FOUND: { zh: '延期申请不存在', en: 'no such extension request', source: '-' },
  EXTENSION_ALREADY_DECIDED: { zh: '该延期申请已审批', en: 'the extension request is already decided', source: '-' },

  // Engineering limits of a case (libs/domain/case/limits.ts), not rules of the playbook.
  CASE_LIMIT_REACHED: { zh: '案件记录数已达系统上限', en: 'the case has reached a limit on the number of its records', source: 'libs/domain/case/limits.ts' },
  CASE_STATE_TOO_LARGE: { zh: '案件记录内容已达系统容量上限', en: 'the case\'s record would exceed its size limit', source: 'libs/domain/case/limits.ts' },
} as const satisfies RuleCatalogue;

export type RuleCode = keyof typeof RULES;

/** An action refused by a rule of the case; `details` says what exactly (e.g. the unmet conditions). */
export class RuleViolation extends ProcessRuleViolation<RuleCode> {
  constructor(rule: RuleCode, detailZh?: string, details?: Record<string, unknown>) {
    super(RULES, rule, detailZh, details);
    this.name = 'RuleViolation';
  }
}

export function refuse(rule: RuleCode, detailZh?: string, details?: Record<string, unknown>): never {
  throw new RuleViolation(rule, detailZh, details);
}
