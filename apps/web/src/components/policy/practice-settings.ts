import { ACCEPTANCE_CONDITIONS } from '../../../../../libs/domain/case/acceptance';
import { ORGANIZATION_DOMAINS, ORGANIZATION_DOMAIN_LABELS, type OrganizationDomain } from '../../../../../libs/domain/organization';
import {
  DEFAULT_ACCEPTANCE_FORM,
  DEFAULT_INSPECTION_STEPS,
  DEFAULT_PLAYBOOKS,
  INSPECTION_STEPS,
  INSPECTION_STEP_LABELS,
  formMaxScore,
  type AcceptanceForm,
  type InspectionStep,
  type Playbook,
  type PracticePolicy,
} from '../../../../../libs/domain/practice';

/**
 * The practice part of a county's policy (issue 18): playbooks by kind of organization, the steps the
 * county organization department signs off (关键环节督导把关) and their days, the fewest characters of a
 * sending back's reason, and the acceptance form. A field the county has not published shows (and is
 * edited from) its default; only what the person changed goes to the API.
 */
export const PRACTICE_KEYS = ['playbooks', 'inspectionSteps', 'inspectionDays', 'sendBackReasonMinLength', 'acceptanceForm'] as const;

export const PRACTICE_LABELS: Record<string, string> = {
  inspectionSteps: '督导把关环节',
  inspectionDays: '督导把关期限（天）',
  sendBackReasonMinLength: '退回理由最少字数',
  acceptanceForm: '验收评分表',
  ...Object.fromEntries(ORGANIZATION_DOMAINS.map((d) => [`playbooks.${d}`, `分类整顿要求·${ORGANIZATION_DOMAIN_LABELS[d]}`])),
};

export const CONDITION_LABELS: Record<string, string> = Object.fromEntries(Object.entries(ACCEPTANCE_CONDITIONS).map(([code, c]) => [code, c.zh]));
export { INSPECTION_STEPS, INSPECTION_STEP_LABELS, ORGANIZATION_DOMAINS, ORGANIZATION_DOMAIN_LABELS };

/** The days and reason length the workflow takes when the policy names none (libs/domain/practice.ts practiceFor). */
const DEFAULT_INSPECTION_DAYS = 10;
const DEFAULT_SEND_BACK_MIN = 10;

export interface PracticeDraft {
  inspectionSteps: InspectionStep[];
  inspectionDays: number;
  sendBackReasonMinLength: number;
  playbooks: Record<OrganizationDomain, Playbook>;
  acceptanceForm: AcceptanceForm;
}

type PolicyRecord = Record<string, unknown> & PracticePolicy & { minCollectiveProjects?: number };

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/** A kind's playbook as a case designated now gets it (a village's default asks for the policy's number of projects). */
function playbookOf(policy: PolicyRecord, domain: OrganizationDomain): Playbook {
  const published = policy.playbooks?.[domain];
  if (published) return published;
  const fallback = DEFAULT_PLAYBOOKS[domain];
  return domain === 'village' && typeof policy.minCollectiveProjects === 'number' ? { ...fallback, minProjects: policy.minCollectiveProjects } : fallback;
}

/** What the form starts from: the published values, the defaults for the rest. */
export function practiceDraftOf(policy: PolicyRecord): PracticeDraft {
  return clone({
    inspectionSteps: policy.inspectionSteps ?? DEFAULT_INSPECTION_STEPS,
    inspectionDays: policy.inspectionDays ?? DEFAULT_INSPECTION_DAYS,
    sendBackReasonMinLength: policy.sendBackReasonMinLength ?? DEFAULT_SEND_BACK_MIN,
    playbooks: Object.fromEntries(ORGANIZATION_DOMAINS.map((d) => [d, playbookOf(policy, d)])) as Record<OrganizationDomain, Playbook>,
    acceptanceForm: policy.acceptanceForm ?? DEFAULT_ACCEPTANCE_FORM,
  });
}

/** Codes the API needs unique: areas A, B, C…, their items A1, A2… in the order shown. */
function withCodes(form: AcceptanceForm): AcceptanceForm {
  return {
    areas: form.areas.map((a, i) => {
      const code = String.fromCharCode(65 + i);
      return { code, name: a.name.trim(), items: a.items.map((it, j) => ({ code: `${code}${j + 1}`, name: it.name.trim(), max: it.max })) };
    }),
    passMark: form.passMark,
    vetoDissatisfiedShare: form.vetoDissatisfiedShare,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The practice fields of the publish request: only those changed since the form opened. Playbooks go
 * as the published ones plus the kinds changed (the API replaces the field whole; kinds never
 * published keep following the defaults).
 */
export function practiceChanges(policy: PolicyRecord, start: PracticeDraft, draft: PracticeDraft): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (!same(start.inspectionSteps, draft.inspectionSteps)) body.inspectionSteps = INSPECTION_STEPS.filter((s) => draft.inspectionSteps.includes(s));
  if (start.inspectionDays !== draft.inspectionDays) body.inspectionDays = draft.inspectionDays;
  if (start.sendBackReasonMinLength !== draft.sendBackReasonMinLength) body.sendBackReasonMinLength = draft.sendBackReasonMinLength;
  const changedKinds = ORGANIZATION_DOMAINS.filter((d) => !same(start.playbooks[d], draft.playbooks[d]));
  if (changedKinds.length)
    body.playbooks = {
      ...clone(policy.playbooks ?? {}),
      ...Object.fromEntries(changedKinds.map((d) => [d, { ...draft.playbooks[d], sixthTrack: draft.playbooks[d].sixthTrack.trim() }])),
    };
  if (!same(start.acceptanceForm, draft.acceptanceForm)) body.acceptanceForm = withCodes(draft.acceptanceForm);
  return body;
}

/** Problems the person can fix before sending (the API checks everything again). */
export function practiceDraftProblems(draft: PracticeDraft): string[] {
  const out: string[] = [];
  if (!draft.inspectionSteps.length) out.push('督导把关环节至少选择一个（关键环节督导把关，seed 001 §一(四)）');
  for (const d of ORGANIZATION_DOMAINS) if (!draft.playbooks[d].sixthTrack.trim()) out.push(`请填写${ORGANIZATION_DOMAIN_LABELS[d]}的第六项名称`);
  const f = draft.acceptanceForm;
  if (f.areas.some((a) => !a.name.trim() || a.items.some((i) => !i.name.trim()))) out.push('验收评分表的评分方面和评分项须有名称');
  return out;
}

const total = (f: AcceptanceForm) => formMaxScore(f);
const itemCount = (f: AcceptanceForm) => f.areas.reduce((n, a) => n + a.items.length, 0);

export function describeForm(f: AcceptanceForm): string {
  return `${f.areas.length}个方面${itemCount(f)}项，满分${total(f)}分，${f.passMark}分合格；不满意超过${Math.round(f.vetoDissatisfiedShare * 100)}%一票否决`;
}

/** The practice settings in words, one row per field (a kind's playbook its own row), for the page and its diff. */
export function describePractice(policy: PolicyRecord): [key: string, text: string][] {
  const d = practiceDraftOf(policy);
  const dflt = (published: boolean) => (published ? '' : '（默认）');
  return [
    ['inspectionSteps', `${d.inspectionSteps.map((s) => INSPECTION_STEP_LABELS[s]).join('、') || '（无）'}${dflt(policy.inspectionSteps !== undefined)}`],
    ['inspectionDays', `${d.inspectionDays}${dflt(policy.inspectionDays !== undefined)}`],
    ['sendBackReasonMinLength', `${d.sendBackReasonMinLength}${dflt(policy.sendBackReasonMinLength !== undefined)}`],
    ...ORGANIZATION_DOMAINS.map((k): [string, string] => {
      const p = d.playbooks[k];
      return [`playbooks.${k}`, `${p.sixthTrack}（不少于${p.minProjects}个）· 验收条件${p.conditions.length}项${dflt(!!policy.playbooks?.[k])}`];
    }),
    ['acceptanceForm', `${describeForm(d.acceptanceForm)}${dflt(policy.acceptanceForm !== undefined)}`],
  ];
}
