import { requireText } from '../../process';
import { USER_ROLE_LABELS } from '../../roles';
import { compareDates, daysBetween, shanghaiDateOf, type LocalDate } from '../../shanghai-time';
import { date, iso, nextId, requireRole, requireStage, type CommandDef } from '../checks';
import { COMMAND_ROLES, type RequestExtensionInput } from '../commands';
import { EXTENDED_RESOLUTION, extensionSettings, extensionsOf, timesExtended, type DeadlineExtension, type ExtensibleDeadlineKind } from '../extension-records';
import { refuse } from '../rules';
import type { CaseState } from '../types';

/**
 * 延期 (issue 20 item 2): the owner of a plan measure (its team) or the township asks for a new date
 * with a written reason; the county organization department approves or refuses with one. Approved,
 * the deadline moves (its notices and ladder are planned anew from it, its open escalations close as
 * 已延期); refused, only the record stays. The original date is kept on every request.
 */

/** The deadline a request names, as it stands now. */
interface OpenDeadline {
  key: string;
  kind: ExtensibleDeadlineKind;
  subjectId?: string;
  title: string;
  dueOn: LocalDate;
}

function targetOf(state: CaseState, input: Pick<RequestExtensionInput, 'deadline' | 'measureId'>): OpenDeadline {
  if (input.deadline === 'measure') {
    const m = state.measures.find((x) => x.id === input.measureId);
    if (!m) refuse('MEASURE_NOT_FOUND', String(input.measureId));
    if (m.status === 'done') refuse('EXTENSION_DEADLINE_NOT_OPEN', `整改措施已完成：${m.description.slice(0, 40)}`);
    return { key: `measure:${m.id}`, kind: 'measure', subjectId: m.id, title: `整改措施：${m.description.slice(0, 40)}（责任人 ${m.owner}）`, dueOn: m.dueOn };
  }
  if (input.deadline === 'secretary') {
    const s = state.secretary;
    if (!s.required || !s.deadline || s.appointment) refuse('EXTENSION_DEADLINE_NOT_OPEN', '本案没有尚未到期办结的书记选配期限');
    return { key: 'secretary', kind: 'secretary', title: '选配合格的党支部书记', dueOn: s.deadline };
  }
  refuse('INVALID_INPUT', '延期事项（deadline）须为 measure/secretary 之一', { field: 'deadline' });
}

/** The date a deadline had before its first approved extension. */
function originalOf(state: CaseState, key: string, current: LocalDate): LocalDate {
  return extensionsOf(state).find((x) => x.deadlineKey === key && x.status === 'approved')?.originalDueOn ?? current;
}

function reason(state: CaseState, value: unknown, field: string): string {
  const min = extensionSettings(state.policy).reasonMinLength;
  return requireText(refuse, 'INVALID_INPUT', value, field, '理由', 1000, { length: min, code: 'EXTENSION_REASON_REQUIRED' });
}

/** The new date is allowed now for this deadline: later than it, not past, within the policy's days and the case's year end. */
function checkNewDate(state: CaseState, target: OpenDeadline, newDueOn: LocalDate, nowMs: number): void {
  const settings = extensionSettings(state.policy);
  const today = shanghaiDateOf(nowMs);
  if (compareDates(newDueOn, target.dueOn) <= 0 || compareDates(newDueOn, today) < 0) refuse('EXTENSION_MUST_BE_LATER', `现期限 ${target.dueOn}，申请延至 ${newDueOn}`, { field: 'newDueOn', dueOn: target.dueOn });
  const days = daysBetween(target.dueOn, newDueOn);
  if (days > settings.maxDaysEach) refuse('EXTENSION_TOO_LONG', `申请延期${days}天，每次最多${settings.maxDaysEach}天`, { field: 'newDueOn', days, max: settings.maxDaysEach });
  if (compareDates(newDueOn, state.yearEndDeadline) > 0) refuse('EXTENSION_PAST_YEAR_END', `转化期限 ${state.yearEndDeadline}`, { field: 'newDueOn', yearEnd: state.yearEndDeadline });
}

export const requestExtension: CommandDef<'requestExtension'> = {
  validate(state, input, nowMs) {
    requireRole(input.actor, COMMAND_ROLES.requestExtension);
    requireStage(state, ['rectifying']);
    // The township answers for the secretary deadline (第一责任人); the seed's 3 months bend only by policy.
    if (input.deadline === 'secretary') requireRole(input.actor, ['township_party_secretary']);
    const target = targetOf(state, input);
    const settings = extensionSettings(state.policy);
    if (target.kind === 'secretary' && !settings.secretaryDeadline) refuse('SECRETARY_DEADLINE_NOT_EXTENSIBLE', `期限 ${target.dueOn}`);
    const newDueOn = date(input.newDueOn, 'newDueOn', '延期后的日期');
    reason(state, input.reason, 'reason');
    if (extensionsOf(state).some((x) => x.deadlineKey === target.key && x.status === 'pending')) refuse('EXTENSION_ALREADY_PENDING', target.title);
    const times = timesExtended(state, target.key);
    if (times >= settings.maxPerDeadline) refuse('EXTENSION_LIMIT_REACHED', `已延期${times}次，每项最多${settings.maxPerDeadline}次`, { times, max: settings.maxPerDeadline });
    checkNewDate(state, target, newDueOn, nowMs);
  },
  apply(state, input, nowMs) {
    const target = targetOf(state, input);
    const x: DeadlineExtension = {
      id: nextId(state, 'x'),
      deadlineKey: target.key,
      kind: target.kind,
      ...(target.subjectId ? { subjectId: target.subjectId } : {}),
      title: target.title,
      originalDueOn: originalOf(state, target.key, target.dueOn),
      fromDueOn: target.dueOn,
      requestedDueOn: input.newDueOn,
      reason: input.reason.trim(),
      requestedBy: input.actor,
      requestedAt: iso(nowMs),
      status: 'pending',
    };
    (state.extensions ??= []).push(x);
    return { action: 'extension.requested', payload: { extensionId: x.id, deadlineKey: x.deadlineKey, title: x.title, fromDueOn: x.fromDueOn, requestedDueOn: x.requestedDueOn, reason: x.reason } };
  },
};

export const decideExtension: CommandDef<'decideExtension'> = {
  validate(state, input, nowMs) {
    requireRole(input.actor, COMMAND_ROLES.decideExtension);
    const approvers = extensionSettings(state.policy).approvers;
    if (!(approvers as string[]).includes(input.actor.role)) refuse('ROLE_NOT_ALLOWED', `延期由${approvers.map((r) => USER_ROLE_LABELS[r]).join('、')}审批`, { allowed: approvers });
    const x = extensionsOf(state).find((e) => e.id === input.extensionId);
    if (!x) refuse('EXTENSION_NOT_FOUND', String(input.extensionId));
    if (x.status !== 'pending') refuse('EXTENSION_ALREADY_DECIDED', `${x.title}：${x.status === 'approved' ? '已批准' : '未批准'}`);
    if (typeof input.approve !== 'boolean') refuse('INVALID_INPUT', '是否批准（approve）须为 true/false', { field: 'approve' });
    reason(state, input.reason, 'reason');
    if (!input.approve) return;
    // Approval moves the deadline: it must still be open, and the new date still allowed today.
    requireStage(state, ['rectifying']);
    const target = targetOf(state, x.kind === 'measure' ? { deadline: 'measure', measureId: x.subjectId } : { deadline: 'secretary' });
    if (x.kind === 'secretary' && !extensionSettings(state.policy).secretaryDeadline) refuse('SECRETARY_DEADLINE_NOT_EXTENSIBLE', `期限 ${target.dueOn}`);
    checkNewDate(state, target, x.requestedDueOn, nowMs);
  },
  apply(state, input, nowMs) {
    const x = extensionsOf(state).find((e) => e.id === input.extensionId)!;
    x.status = input.approve ? 'approved' : 'refused';
    x.decidedBy = input.actor;
    x.decidedAt = iso(nowMs);
    x.decisionReason = input.reason.trim();
    const payload = { extensionId: x.id, deadlineKey: x.deadlineKey, title: x.title, originalDueOn: x.originalDueOn, fromDueOn: x.fromDueOn, requestedDueOn: x.requestedDueOn, reason: x.decisionReason };
    if (!input.approve) return { action: 'extension.refused', payload };

    const dueOn = x.requestedDueOn;
    if (x.kind === 'measure') state.measures.find((m) => m.id === x.subjectId)!.dueOn = dueOn;
    else {
      state.secretary.deadline = dueOn;
      // Missed before, the deadline now lies ahead again: the clock looks at the new date.
      state.secretary.overdue = false;
    }
    x.round = timesExtended(state, x.deadlineKey);
    // The ladder of the old date closes as 已延期; the new date's is planned from now (its past moments skipped).
    const n = state.notices;
    if (n) {
      delete n.firstPlannedAt[x.deadlineKey];
      (n.extended ??= {})[x.deadlineKey] = `${EXTENDED_RESOLUTION}：原期限${x.fromDueOn}，经${input.actor.name}批准延至${dueOn}（延期${x.round}次）`;
    }
    return { action: 'extension.approved', payload: { ...payload, times: x.round } };
  },
};
