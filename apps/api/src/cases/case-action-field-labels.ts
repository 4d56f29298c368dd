/**
 * Chinese labels of the case action endpoints' fields (merged into FIELD_LABELS). Labels are keyed by
 * property name alone, so a name several actions share gets the wording that fits all of them.
 */
export const CASE_ACTION_FIELD_LABELS: Record<string, string> = {
  // 一把手分包
  leaderUserId: '联系领导',
  reason: '理由',
  visitedOn: '调研日期',
  place: '调研地点',
  summary: '情况摘要',
  problemsFound: '发现的问题',
  title: '名称',
  description: '内容',
  doneOn: '办结日期',
  // 一支队伍
  arrivedOn: '进驻日期',
  members: '队员',
  add: '新增队员',
  removeIds: '调离队员',
  newLeaderId: '新队长',
  name: '姓名或名称',
  rank: '职级',
  unit: '所在单位',
  isLeader: '是否队长',
  // 一张问题清单
  reasonCode: '问题类别',
  cureTag: '整治方向',
  rootCause: '病灶（根源）',
  evidence: '佐证材料',
  fixEvidence: '整改佐证',
  // 一套整顿方案
  kind: '类型',
  heldOn: '开展日期',
  participants: '参加人数',
  problemIds: '针对的问题',
  owner: '责任人',
  dueOn: '完成时限',
  percent: '完成进度（%）',
  // "note" is also the designation's 认定依据: one wording for both.
  note: '说明',
  // 一个关键
  source: '人选来源',
  appointedOn: '任职日期',
  secretaryName: '参训书记',
  session: '培训班次',
  attendedOn: '参训日期',
  // 一个项目
  supportFunds: '扶持资金（元）',
  startOn: '启动日期',
  expectedYearlyIncome: '预期年收益（元）',
  // 验收、回头看
  opinion: '验收意见',
  relapsed: '是否反弹',
  findings: '回头看情况',
  // issue 16: 补录、佐证、第一书记任期、组织处理
  lateReason: '补录理由',
  attachmentRef: '附件编号',
  termEndsOn: '任期截止日期',
  measure: '处理方式',
  subject: '处理对象',
  decidedBy: '决定机关或决定人',
  decidedOn: '决定日期',
  deadlineKeys: '逾期事项',
};
