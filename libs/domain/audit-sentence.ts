import { DESIGNATION_REASON_LABELS } from './designation';
import { dateLabel, quarterLabel, roleLabel, stageLabel, taskKindLabel, DOCUMENT_KIND_LABELS, ESCALATION_RUNG_LABELS, LEAGUE_COLUMN_LABELS } from './labels';
import { CONSULTATION_KIND_LABELS } from './policy';
import { shanghaiDateOf } from './shanghai-time';
import { ATTACHMENT_SUBJECT_LABELS, type AttachmentSubjectKind } from './labels';

/**
 * An audit entry as a sentence a person reads (who did what to which case, with the values that
 * matter), e.g. "2026年11月3日 王禾丰（乡镇党委书记）为 禾丰镇石桥村党支部 确认了问题清单（3 个问题）".
 * No ids, keys or codes: people are named, kinds and stages are words.
 */
export interface AuditSentenceInput {
  occurredAt: string;
  action: string;
  payload: Record<string, unknown>;
  actor: { name: string; role: string | null };
  organizationName: string | null;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
/** Free text cut to a readable length. */
const clip = (v: unknown, max = 40): string => {
  const s = str(v).replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max)}…` : s;
};
const paren = (s: string): string => (s ? `（${s}）` : '');
const day = (v: unknown): string => (str(v) ? dateLabel(str(v)) : '');
/** Honest dates (issue 16): a record entered late shows as 补录 with its reason; one entered for the contact leader as 代录. */
const entry = (p: Record<string, unknown>): string => {
  const backfill = p.backfill as { reason?: string; daysLate?: number } | undefined;
  return [p.proxy ? '（代录，待联系领导确认）' : '', backfill ? `（补录，晚${num(backfill.daysLate) ?? ''}天：${clip(backfill.reason)}）` : ''].join('');
};
const MEASURE_LABELS: Record<string, string> = { admonition_talk: '诫勉谈话', adjustment: '调整', dismissal: '免职', other: '其他' };

/** The verb phrase of each action, with its values; `of` is the case's organization. */
const PHRASES: Record<string, (p: Record<string, unknown>) => string> = {
  'case.designated': (p) => `认定为${p.batchYear ? `${str(p.batchYear)}年度` : ''}软弱涣散党组织${paren(list(p.reasons).map((r) => DESIGNATION_REASON_LABELS[r as keyof typeof DESIGNATION_REASON_LABELS] ?? '').filter(Boolean).join('、'))}`,
  'leader.assigned': (p) => `确定联系领导为 ${str((p.leader as { name?: string } | undefined)?.name)}`,
  'leader.replaced': (p) => `更换联系领导为 ${str((p.leader as { name?: string } | undefined)?.name)}${paren(clip(p.reason))}`,
  'visit.recorded': (p) => `记录了调研指导${paren([day(p.visitedOn), str(p.quarter) ? quarterLabel(str(p.quarter)) : '', clip(p.place, 30)].filter(Boolean).join('，'))}${entry(p)}`,
  'practical_thing.recorded': (p) => `记录了实事好事「${clip(p.title)}」${entry(p)}`,
  'team.appointed': (p) => {
    const members = list(p.members) as { name?: string; isLeader?: boolean }[];
    const leader = members.find((m) => m.isLeader)?.name;
    return `选派了整建队伍${paren([`${members.length} 人`, leader ? `队长 ${leader}` : '', p.arrivedOn ? `${day(p.arrivedOn)}进驻` : ''].filter(Boolean).join('，'))}${entry(p)}`;
  },
  'team.changed': (p) => `调整了整建队伍${paren([num(p.size) !== null ? `现 ${num(p.size)} 人` : '', clip(p.reason)].filter(Boolean).join('，'))}`,
  'team.released': (p) => `撤离了整建队伍${paren(clip(p.reason))}`,
  'problem.added': (p) => `新增问题「${clip(p.description)}」${paren(str(p.cureTag))}`,
  'problem_list.confirmed': (p) => `确认了问题清单${num(p.problems) !== null ? `（${num(p.problems)} 个问题）` : ''}`,
  'problem.closed': (p) => `将一个问题销号${paren(clip(p.fixEvidence))}`,
  'consultation.recorded': (p) => `记录了征求意见${paren([CONSULTATION_KIND_LABELS[p.kind as keyof typeof CONSULTATION_KIND_LABELS] ?? '', day(p.heldOn)].filter(Boolean).join('，'))}${entry(p)}`,
  'measure.added': (p) => `新增整改措施${paren([str(p.owner) ? `责任人 ${str(p.owner)}` : '', p.dueOn ? `${day(p.dueOn)}前完成` : ''].filter(Boolean).join('，'))}`,
  'plan.approved': (p) => `审定了整顿方案${num(p.measures) !== null ? `（${num(p.measures)} 项措施）` : ''}`,
  'measure.progressed': (p) => `登记了整改措施进度${paren([num(p.percent) !== null ? `${num(p.percent)}%` : '', p.status === 'done' ? '已完成' : '', clip(p.note)].filter(Boolean).join('，'))}`,
  'secretary.appointed': (p) => `选配党支部书记 ${str(p.name)}${paren([day(p.appointedOn), p.late ? '逾期到位' : ''].filter(Boolean).join('，'))}${entry(p)}`,
  'training.recorded': (p) => `记录了书记培训${paren([str(p.secretaryName), day(p.attendedOn)].filter(Boolean).join('，'))}${entry(p)}`,
  'visit.confirmed': (p) => `确认了${str(p.enteredBy) || '他人'}代录的调研指导${paren(day(p.visitedOn))}`,
  'designation.reason_added': (p) => `增加认定原因「${DESIGNATION_REASON_LABELS[p.reason as keyof typeof DESIGNATION_REASON_LABELS] ?? str(p.reason)}」${paren(clip(p.note, 60))}`,
  'case.reopened': (p) => `重新列入整顿名单${paren(clip(p.note, 60))}`,
  'organizational_handling.raised': (p) => `提请县委组织部研究组织处理${paren(clip(p.title))}`,
  'organizational_handling.recorded': (p) => `记录组织处理决定：${MEASURE_LABELS[str(p.measure)] ?? '其他'}${paren([clip(p.subject, 30), str(p.decidedBy), day(p.decidedOn)].filter(Boolean).join('，'))}`,
  'county_secretary_task.raised': (p) =>
    `向县委组织部提出待办：${str(p.batchYear) ? `${str(p.batchYear)}年度整顿批次` : '本批次'}${num(p.cases) !== null ? `${num(p.cases)}个案件的` : ''}联系领导均已确定，县委书记尚未联系任何案件${p.dueOn ? `（${day(p.dueOn)}前安排）` : ''}`,
  'county_secretary_task.closed': (p) => `记录${str(p.leaderName) ? `县委书记 ${str(p.leaderName)} ` : '县委书记'}联系本案件，待办「县委书记尚未联系本批次任何案件」办结`,
  'project.added': (p) => `登记了集体经济项目「${clip(p.name)}」`,
  'acceptance.requested': () => '申请验收',
  'case.accepted': (p) => `验收销号${p.followUpDueOn ? `（${day(p.followUpDueOn)}前回头看）` : ''}`,
  'acceptance.refused': (p) => `不予验收${paren(clip(p.reason))}`,
  'follow_up.passed': () => '回头看：未反弹',
  'follow_up.relapsed': () => '回头看：发现反弹，重新整顿',
  'case.removed': (p) => `移出整顿名单${paren(clip(p.reason))}`,
  'stage.changed': (p) => `阶段由「${stageLabel(str(p.from))}」变为「${stageLabel(str(p.to))}」`,
  'deadline.secretary_missed': (p) => `记录选配书记逾期${p.deadline ? `（期限${day(p.deadline)}）` : ''}`,
  'deadline.year_end_missed': (p) => `记录年底未能转化${p.deadline ? `（期限${day(p.deadline)}）` : ''}`,
  'quarter.started': (p) => `进入${quarterLabel(str(p.quarter))}`,
  'task.claimed': (p) => `认领了待办「${taskKindLabel(str(p.taskKind))}」`,
  'task.released': (p) => `退回了待办「${taskKindLabel(str(p.taskKind))}」`,
  'task.assigned': (p) => `将待办「${taskKindLabel(str(p.taskKind))}」分派给 ${str(p.userName) || '他人'}`,
  'escalation.acknowledged': (p) =>
    `签收了${ESCALATION_RUNG_LABELS[p.rung as keyof typeof ESCALATION_RUNG_LABELS] ?? '督办'}${p.note ? `，回复：${clip(p.note, 60)}` : ''}`,
  'case.restarted': (p) => `重启了案件${paren(clip(p.reason))}`,
  // Administration (issue 14): accounts, regions, the registry, policy, calendar and channels.
  'county.created': (p) => `建立了${str(p.name)}${str(p.parentName) ? `（属${str(p.parentName)}）` : ''}及其首个县委组织部账号${paren(str(p.adminName))}`,
  'province.created': (p) => `建立了${str(p.name)}及其首个省委组织部账号${paren(str(p.adminName))}`,
  'city.created': (p) => `建立了${str(p.name)}${str(p.parentName) ? `（属${str(p.parentName)}）` : ''}${str(p.adminName) ? `及其首个市（州）委组织部账号（${str(p.adminName)}）` : ''}`,
  'county.attached': (p) => `将${str(p.countyName) || '县（区）'}划入${str(p.parentName)}${str(p.beforeName) ? `（原属${str(p.beforeName)}）` : ''}`,
  'user.created': (p) => `新增了账号 ${str(p.name)}${paren([roleLabel(str(p.role) || null), str(p.regionName)].filter(Boolean).join('，'))}`,
  'user.imported': (p) => `导入了人员${paren([num(p.imported) !== null ? `${num(p.imported)} 人` : '', num(p.rejectedLines) ? `${num(p.rejectedLines)} 行未导入` : ''].filter(Boolean).join('，'))}`,
  'user.updated': (p) => `修改了 ${str(p.name)} 的账号信息`,
  'user.moved': (p) => `将 ${str(p.name)} 调整到${str(p.toRegion)}${list(p.releasedTasks).length ? `（交回 ${list(p.releasedTasks).length} 项已认领待办）` : ''}`,
  'user.deactivated': (p) => `停用了 ${str(p.name)} 的账号`,
  'user.reactivated': (p) => `启用了 ${str(p.name)} 的账号`,
  'user.password_reset': (p) => `为 ${str(p.name)} 重置了一次性密码`,
  'user.password_changed': (p) => (p.wasOneTime ? '首次登录修改了密码' : '修改了密码'),
  'user.signed_out': () => '退出登录',
  'region.created': (p) => `新增了区划 ${str(p.name)}`,
  'region.renamed': (p) => `将区划「${str(p.before)}」更名为「${str(p.after)}」`,
  'region.imported': (p) => `导入了区划${paren([`新增 ${list(p.added).length} 个`, num(p.rejectedLines) ? `${num(p.rejectedLines)} 行未导入` : ''].filter(Boolean).join('，'))}`,
  'organization.created': (p) => `登记了基层党组织 ${str(p.name)}`,
  'organization.updated': () => '修改了基层党组织信息',
  'organization.imported': (p) => `导入了基层党组织${paren([num(p.imported) !== null ? `${num(p.imported)} 个` : '', num(p.rejectedLines) ? `${num(p.rejectedLines)} 行未导入` : ''].filter(Boolean).join('，'))}`,
  'policy.published': (p) => `发布了整顿政策第 ${str(p.version)} 版`,
  'policy_template.published': (p) => `发布了${str(p.regionName)}整顿政策模板第 ${str(p.version)} 版（下辖县（区）只能从严）`,
  'calendar.imported': (p) => `导入了${str(p.year)}年节假日安排${paren(num(p.holidays) !== null ? `${num(p.holidays)} 天放假` : '')}`,
  'calendar.corrected': (p) => `将${day(p.date)}改为${p.isWorkday ? '工作日' : '休息日'}${paren(clip(p.name, 20))}`,
  'calendar.correction_removed': (p) => `撤销了${day(p.date)}的日历更正`,
  'channel.created': (p) => `新增了推送渠道「${clip(p.name, 30)}」`,
  'channel.updated': (p) => `修改了推送渠道「${clip(p.name, 30)}」`,
  'channel.deleted': (p) => `删除了推送渠道「${clip(p.name, 30)}」`,
  'channel.tested': (p) => `测试了推送渠道「${clip(p.name, 30)}」：${p.ok ? '发送成功' : '发送失败'}`,
  'delivery.resent': (p) => `重新推送「${clip(p.title, 30)}」到「${clip(p.channelName, 30)}」`,
  // The county's documents and the township league table (issue 18 items 4 and 5).
  'document.issued': (p) => {
    const orgs = list(p.organizationNames).map(str).filter(Boolean);
    // One organization is the case's, which the sentence already names; a 通报 of several lists them.
    const about = orgs.length > 2 ? `${orgs.slice(0, 2).join('、')}等${orgs.length}个基层党组织` : orgs.length === 2 ? orgs.join('、') : '';
    return `${p.reissued ? '再次下载' : '印发'}了${DOCUMENT_KIND_LABELS[p.kind as keyof typeof DOCUMENT_KIND_LABELS] ?? '文书'}${str(p.numberText) ? `「${str(p.numberText)}」` : ''}${paren(about)}`;
  },
  'letterhead.updated': (p) => `修改了文书版头${paren([str(p.issuingBody), str(p.numberPrefix) ? `字号 ${str(p.numberPrefix)}` : ''].filter(Boolean).join('，'))}`,
  'league_table.updated': (p) => {
    const columns = list(p.columns).map((c) => LEAGUE_COLUMN_LABELS[c as keyof typeof LEAGUE_COLUMN_LABELS] ?? '').filter(Boolean);
    return `${p.published ? '公布' : '撤回'}了${str(p.year)}年度乡镇整顿实绩排名${p.published && columns.length ? `（公布${columns.join('、')}）` : ''}`;
  },
};

/** Actions whose object is the case's organization ("为 X 确认了…"); others read "X：…". */
function phraseOf(action: string, payload: Record<string, unknown>): string {
  const f = PHRASES[action];
  if (f) return f(payload);
  return '进行了一项操作';
}

export function auditSentence(e: AuditSentenceInput): string {
  const ms = Date.parse(e.occurredAt);
  const when = Number.isNaN(ms) ? '' : dateLabel(shanghaiDateOf(ms));
  const role = roleLabel(e.actor.role);
  const who = role && e.actor.name !== role ? `${e.actor.name}（${role}）` : e.actor.name || '系统';
  const what = phraseOf(e.action, e.payload ?? {});
  const target = e.organizationName ? `为 ${e.organizationName} ` : '';
  return `${when} ${who}${target}${what}`.trim();
}

// Attachments, the evidence of a case's records (issue 20).
const attachmentOf = (p: Record<string, unknown>): string => {
  const kind = ATTACHMENT_SUBJECT_LABELS[p.subjectKind as AttachmentSubjectKind];
  return `${kind ? `${kind}的` : ''}附件「${clip(p.name, 40)}」`;
};
Object.assign(PHRASES, {
  'attachment.uploaded': (p: Record<string, unknown>) => `上传了${attachmentOf(p)}`,
  'attachment.removed': (p: Record<string, unknown>) => `移除了${attachmentOf(p)}${paren(clip(p.reason))}`,
});

// 督导把关 and 验收评分 (issue 18 items 2, 3).
Object.assign(PHRASES, {
  'inspection.passed': (p: Record<string, unknown>) => `督导把关：通过${str(p.stepLabel) || '该环节'}${paren(clip(p.opinion))}`,
  'inspection.sent_back': (p: Record<string, unknown>) => `督导把关：退回${str(p.stepLabel) || '该环节'}${paren(clip(p.reason))}`,
  'acceptance.scored': (p: Record<string, unknown>) => {
    const s = (p.survey ?? {}) as Record<string, unknown>;
    const survey = num(s.asked) !== null ? `，测评${num(s.asked)}人、不满意${num(s.dissatisfied) ?? 0}人` : '';
    const verdict = p.vetoed === true ? '，满意度一票否决' : p.passed === true ? '，合格' : p.passed === false ? '，不合格' : '';
    return `填写验收评分表${num(p.total) !== null ? `：${num(p.total)}分（合格分${num(p.passMark) ?? ''}分）` : ''}${survey}${verdict}`;
  },
});

// 延期 (issue 20 item 2): the request, and the decision with the original and the new date.
Object.assign(PHRASES, {
  'extension.requested': (p: Record<string, unknown>) => `申请将「${clip(p.title)}」的期限由${day(p.fromDueOn)}延至${day(p.requestedDueOn)}${paren(clip(p.reason))}`,
  'extension.approved': (p: Record<string, unknown>) =>
    `批准「${clip(p.title)}」延期至${day(p.requestedDueOn)}${paren([day(p.originalDueOn) ? `原定${day(p.originalDueOn)}` : '', num(p.times) !== null ? `第${num(p.times)}次延期` : '', clip(p.reason)].filter(Boolean).join('，'))}`,
  'extension.refused': (p: Record<string, unknown>) => `不予批准「${clip(p.title)}」延期至${day(p.requestedDueOn)}，期限仍为${day(p.fromDueOn)}${paren(clip(p.reason))}`,
});
