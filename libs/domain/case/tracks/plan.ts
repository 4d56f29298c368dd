import { CONSULTATION_KINDS, CONSULTATION_KIND_LABELS } from '../../policy';
import { compareDates, shanghaiDateOf } from '../../shanghai-time';
import { date, iso, nextId, oneOf, pastDate, requireRole, requireStage, text, type CommandDef } from '../checks';
import { COMMAND_ROLES } from '../commands';
import { refuse } from '../rules';

/**
 * 整顿方案 (seed 000 §四(二)): the consultations it needs first, a measure for every open problem, the
 * township Party committee's approval, then the measures' progress (台账).
 */

export const recordConsultation: CommandDef<'recordConsultation'> = {
  validate(state, input, nowMs) {
    requireRole(input.actor, COMMAND_ROLES.recordConsultation);
    requireStage(state, ['rectifying']);
    oneOf(input.kind, CONSULTATION_KINDS, 'kind', '征求意见方式');
    pastDate(state, input.heldOn, 'heldOn', '开展日期', nowMs);
    if (!Number.isInteger(input.participants) || input.participants < 1 || input.participants > 100000) refuse('INVALID_INPUT', '参加人数（participants）须为正整数', { field: 'participants' });
    text(input.summary, 'summary', '意见建议摘要');
  },
  apply(state, input, nowMs) {
    const c = { id: nextId(state, 'c'), kind: input.kind, heldOn: input.heldOn, participants: input.participants, summary: input.summary.trim(), recordedBy: input.actor, recordedAt: iso(nowMs) };
    state.consultations.push(c);
    return { action: 'consultation.recorded', payload: { id: c.id, kind: c.kind, heldOn: c.heldOn, participants: c.participants } };
  },
};

export const addMeasure: CommandDef<'addMeasure'> = {
  validate(state, input) {
    requireRole(input.actor, COMMAND_ROLES.addMeasure);
    requireStage(state, ['rectifying']);
    text(input.description, 'description', '整改措施');
    text(input.owner, 'owner', '责任人', 100);
    const due = date(input.dueOn, 'dueOn', '完成时限');
    if (compareDates(due, shanghaiDateOf(Date.parse(state.designatedAt))) < 0) refuse('DATE_BEFORE_DESIGNATION', `完成时限（dueOn）${due}`, { field: 'dueOn' });
    if (!Array.isArray(input.problemIds) || input.problemIds.length === 0) refuse('MEASURE_NEEDS_PROBLEM');
    for (const id of input.problemIds) if (!state.problems.some((p) => p.id === id)) refuse('MEASURE_NEEDS_PROBLEM', `问题 ${id} 不在问题清单中`, { problemId: id });
  },
  apply(state, input, nowMs) {
    const m = {
      id: nextId(state, 'm'),
      description: input.description.trim(),
      problemIds: [...new Set(input.problemIds)],
      owner: input.owner.trim(),
      dueOn: input.dueOn,
      percent: 0,
      status: 'pending' as const,
      progress: [],
      earlierUpdates: 0,
      addedBy: input.actor,
      addedAt: iso(nowMs),
    };
    state.measures.push(m);
    // A revised plan goes back to the township Party committee.
    const reapprove = !!state.planApprovedAt;
    delete state.planApprovedAt;
    delete state.planApprovedBy;
    return { action: 'measure.added', payload: { measureId: m.id, problemIds: m.problemIds, owner: m.owner, dueOn: m.dueOn, planNeedsReapproval: reapprove } };
  },
};

export const approvePlan: CommandDef<'approvePlan'> = {
  validate(state, input) {
    requireRole(input.actor, COMMAND_ROLES.approvePlan);
    requireStage(state, ['rectifying']);
    if (state.planApprovedAt) refuse('PLAN_ALREADY_APPROVED');
    if (!state.problemListConfirmedAt) refuse('PROBLEM_LIST_NOT_CONFIRMED');
    const held = new Set(state.consultations.map((c) => c.kind));
    const missing = state.policy.requiredConsultations.filter((k) => !held.has(k));
    if (missing.length) refuse('PLAN_CONSULTATIONS_REQUIRED', `尚缺：${missing.map((k) => CONSULTATION_KIND_LABELS[k]).join('、')}`, { missing });
    if (state.measures.length === 0) refuse('PLAN_NEEDS_MEASURES');
    const uncovered = state.problems.filter((p) => p.status === 'open' && !state.measures.some((m) => m.problemIds.includes(p.id)));
    if (uncovered.length) refuse('PLAN_COVERS_EVERY_PROBLEM', `无措施的问题：${uncovered.map((p) => p.id).join('、')}`, { problemIds: uncovered.map((p) => p.id) });
  },
  apply(state, input, nowMs) {
    state.planApprovedAt = iso(nowMs);
    state.planApprovedBy = input.actor;
    return { action: 'plan.approved', payload: { measures: state.measures.length, consultations: state.consultations.length } };
  },
};

export const updateMeasureProgress: CommandDef<'updateMeasureProgress'> = {
  validate(state, input) {
    requireRole(input.actor, COMMAND_ROLES.updateMeasureProgress);
    requireStage(state, ['rectifying']);
    if (!state.planApprovedAt) refuse('PLAN_NOT_APPROVED');
    const m = state.measures.find((x) => x.id === input.measureId);
    if (!m) refuse('MEASURE_NOT_FOUND', String(input.measureId));
    if (m.status === 'done') refuse('MEASURE_ALREADY_DONE', m.description);
    if (!Number.isInteger(input.percent) || input.percent < 0 || input.percent > 100) refuse('INVALID_INPUT', '完成进度（percent）须为 0–100 的整数', { field: 'percent' });
    text(input.note, 'note', '进展说明');
  },
  apply(state, input, nowMs) {
    const m = state.measures.find((x) => x.id === input.measureId)!;
    m.percent = input.percent;
    m.status = input.percent >= 100 ? 'done' : input.percent > 0 ? 'in_progress' : 'pending';
    if (m.status === 'done') m.doneAt = iso(nowMs);
    m.progress.push({ at: iso(nowMs), by: input.actor, percent: input.percent, note: input.note.trim() });
    // Keep the ledger bounded in the workflow; the audit trail keeps every entry.
    if (m.progress.length > 20) {
      m.earlierUpdates += m.progress.length - 20;
      m.progress = m.progress.slice(-20);
    }
    return { action: 'measure.progressed', payload: { measureId: m.id, percent: m.percent, status: m.status, note: input.note.trim() } };
  },
};
