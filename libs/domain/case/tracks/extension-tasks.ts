import { extensionSettings, extensionsOf } from '../extension-records';
import type { CaseState, CaseTask, TaskKind } from '../types';

type AddTask = (kind: TaskKind, title: string, assigneeRole: CaseTask['assigneeRole'], level: 'township' | 'county' | 'village', extra?: Partial<CaseTask>) => void;

/** 延期: a request awaiting decision is a task of the policy's (first) approver, due on the date it would move. */
export function extensionTasks(state: CaseState, add: AddTask): void {
  const approver = extensionSettings(state.policy).approvers[0] ?? 'county_org_admin';
  for (const x of extensionsOf(state).filter((e) => e.status === 'pending')) {
    add('decide_extension', `${state.organizationName}申请延期：${x.title}，${x.fromDueOn}延至${x.requestedDueOn}`, approver, 'county', { subjectId: x.id, dueOn: x.fromDueOn });
  }
}
