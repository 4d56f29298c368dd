import { laterRuleSettings } from '../../policy';
import { addCalendarMonths, shanghaiDateOf } from '../../shanghai-time';
import type { Change } from '../checks';
import type { CaseCommandInputs, CaseCommandName } from '../commands';
import { refuse } from '../rules';
import type { CaseState } from '../types';
import { unbent } from './edition';
import { backfillOf, checkVisitEntry } from './honest-dates';
import { awaitsLocalSuccessor, checkFirstSecretaryTerm, checkFixEvidence, checkRecordEvidence } from './substance';

/**
 * Issue 16's rules on the commands that existed before them: extra checks, and what the record and
 * its audit entry carry (补录, 代录, evidence, a first secretary's end date, the relapse deadline).
 * Run only for cases under the later rules (unbent), so recorded histories replay as they were.
 */
interface Hook<K extends CaseCommandName> {
  validate?(state: CaseState, input: CaseCommandInputs[K], nowMs: number): void;
  /** After the command applied: completes the record it added and the audit payload. */
  apply?(state: CaseState, input: CaseCommandInputs[K], nowMs: number, change: Change): void;
}

const marks = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const HOOKS: { [K in CaseCommandName]?: Hook<K> } = {
  recordGuidanceVisit: {
    validate: (state, input, nowMs) => void checkVisitEntry(state, input.visitedOn, input.lateReason, nowMs),
    apply(state, input, nowMs, change) {
      const visit = state.visits[state.visits.length - 1];
      // Judged as the validator judged it: without the visit just added.
      const entry = checkVisitEntry({ ...state, visits: state.visits.slice(0, -1) }, input.visitedOn, input.lateReason, nowMs);
      if (entry.backfill) visit.backfill = entry.backfill;
      if (entry.intoEscalatedQuarter) visit.intoEscalatedQuarter = entry.intoEscalatedQuarter;
      // 代录: entered by anyone but the contact leader, it waits for their confirmation.
      if (input.actor.id !== visit.leaderId) visit.proxy = {};
      Object.assign(change.payload, marks({ occurredOn: visit.visitedOn, backfill: visit.backfill, proxy: visit.proxy ? true : undefined, intoEscalatedQuarter: visit.intoEscalatedQuarter }));
    },
  },
  recordPracticalThing: {
    validate(state, input, nowMs) {
      checkRecordEvidence(input.evidence, '实事好事');
      backfillOf(state, input.doneOn, input.lateReason, nowMs, '办结日期（doneOn）');
    },
    apply(state, input, nowMs, change) {
      const thing = state.practicalThings[state.practicalThings.length - 1];
      thing.evidence = checkRecordEvidence(input.evidence, '实事好事');
      const backfill = backfillOf(state, input.doneOn, input.lateReason, nowMs, '办结日期（doneOn）');
      if (backfill) thing.backfill = backfill;
      Object.assign(change.payload, marks({ occurredOn: thing.doneOn, evidence: thing.evidence, backfill }));
    },
  },
  appointTeam: {
    validate: (state, input, nowMs) => void backfillOf(state, input.arrivedOn, input.lateReason, nowMs, '进驻日期（arrivedOn）'),
    apply(state, input, nowMs, change) {
      const backfill = backfillOf(state, input.arrivedOn, input.lateReason, nowMs, '进驻日期（arrivedOn）');
      if (backfill) state.team!.backfill = backfill;
      Object.assign(change.payload, marks({ occurredOn: input.arrivedOn, backfill }));
    },
  },
  recordConsultation: {
    validate: (state, input, nowMs) => void backfillOf(state, input.heldOn, input.lateReason, nowMs, '召开日期（heldOn）'),
    apply(state, input, nowMs, change) {
      const c = state.consultations[state.consultations.length - 1];
      const backfill = backfillOf(state, input.heldOn, input.lateReason, nowMs, '召开日期（heldOn）');
      if (backfill) c.backfill = backfill;
      Object.assign(change.payload, marks({ occurredOn: c.heldOn, backfill }));
    },
  },
  appointSecretary: {
    validate(state, input, nowMs) {
      // After a first secretary, the successor comes from the village (seed 000 §四(三)).
      if (awaitsLocalSuccessor(state) && input.source !== 'from_village') refuseNonLocalSuccessor();
      if (input.source === 'first_secretary') checkFirstSecretaryTerm(input.appointedOn, input.termEndsOn);
      backfillOf(state, input.appointedOn, input.lateReason, nowMs, '任职日期（appointedOn）');
    },
    apply(state, input, nowMs, change) {
      const a = state.secretary.appointment!;
      if (input.source === 'first_secretary') a.termEndsOn = input.termEndsOn;
      const backfill = backfillOf(state, input.appointedOn, input.lateReason, nowMs, '任职日期（appointedOn）');
      if (backfill) a.backfill = backfill;
      Object.assign(change.payload, marks({ occurredOn: a.appointedOn, termEndsOn: a.termEndsOn, backfill, succeeds: state.secretary.previous?.at(-1)?.name }));
    },
  },
  recordTraining: {
    validate(state, input, nowMs) {
      checkRecordEvidence(input.evidence, '专题培训');
      backfillOf(state, input.attendedOn, input.lateReason, nowMs, '参训日期（attendedOn）');
    },
    apply(state, input, nowMs, change) {
      const t = state.secretary.trainings[state.secretary.trainings.length - 1];
      t.evidence = checkRecordEvidence(input.evidence, '专题培训');
      const backfill = backfillOf(state, input.attendedOn, input.lateReason, nowMs, '参训日期（attendedOn）');
      if (backfill) t.backfill = backfill;
      Object.assign(change.payload, marks({ occurredOn: t.attendedOn, evidence: t.evidence, backfill }));
    },
  },
  closeProblem: {
    validate: (state, input) => checkFixEvidence(state, input.fixEvidence, input.attachmentRef),
    apply(state, input, _nowMs, change) {
      const ref = typeof input.attachmentRef === 'string' ? input.attachmentRef.trim() : '';
      if (!ref) return;
      const p = state.problems.find((x) => x.id === input.problemId)!;
      p.fixEvidence = `${p.fixEvidence}（附件：${ref}）`;
      Object.assign(change.payload, { attachmentRef: ref });
    },
  },
  recordFollowUp: {
    apply(state, input, nowMs, change) {
      if (!input.relapsed) return;
      // A relapse gets a new conversion deadline from policy, not the year end already past.
      const months = laterRuleSettings(state.policy).relapseConversionMonths;
      state.yearEndDeadline = addCalendarMonths(shanghaiDateOf(nowMs), months);
      state.yearEndOverdue = false;
      Object.assign(change.payload, { conversionDeadline: state.yearEndDeadline });
    },
  },
};

function refuseNonLocalSuccessor(): never {
  return refuse('SUCCESSOR_FROM_VILLAGE', '第一书记之后的书记人选来源（source）须为 from_village');
}

export function validateHook<K extends CaseCommandName>(state: CaseState, name: K, input: CaseCommandInputs[K], nowMs: number): void {
  if (unbent(state)) (HOOKS[name] as Hook<K> | undefined)?.validate?.(state, input, nowMs);
}

export function applyHook<K extends CaseCommandName>(state: CaseState, name: K, input: CaseCommandInputs[K], nowMs: number, change: Change): void {
  if (unbent(state)) (HOOKS[name] as Hook<K> | undefined)?.apply?.(state, input, nowMs, change);
}
