import { condition, defineQuery, proxyActivities, setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CaseAuditEvent, CaseState, RectifyCaseInput } from '../libs/domain/case-state';
import { CaseStageAttribute } from './search-attributes';

const { projectCase } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/** The whole case state, for the API and the UI. */
export const getCaseStateQuery = defineQuery<CaseState>('getCaseState');

export const RECTIFY_CASE_WORKFLOW_TYPE = 'rectifyCase';

/**
 * One rectification case (整顿案件), from designation to acceptance and follow-up review.
 * The workflow is the source of truth; every change is projected into PostgreSQL by an activity.
 */
export async function rectifyCase(input: RectifyCaseInput): Promise<CaseState> {
  const state: CaseState = {
    caseId: input.caseId,
    organizationId: input.organization.id,
    organizationName: input.organization.name,
    townshipId: input.organization.townshipId,
    countyId: input.organization.countyId,
    batchYear: input.batchYear,
    reasons: [...input.reasons],
    note: input.note,
    stage: 'designated',
    designatedAt: input.designatedAt,
    designatedBy: input.designatedBy,
    version: 1,
    stageHistory: [
      { from: null, to: 'designated', actor: input.designatedBy, at: input.designatedAt, reason: input.note ?? '认定为软弱涣散党组织' },
    ],
  };
  setHandler(getCaseStateQuery, () => state);

  // County, township and batch year are set when the case is started; the stage follows every change.
  upsertSearchAttributes([{ key: CaseStageAttribute, value: state.stage }]);

  const designation: CaseAuditEvent = {
    key: `${state.caseId}:v${state.version}`,
    caseId: state.caseId,
    actor: input.designatedBy,
    action: 'case.designated',
    occurredAt: input.designatedAt,
    payload: { organizationId: state.organizationId, batchYear: state.batchYear, reasons: state.reasons, note: state.note ?? null },
  };
  await projectCase(state, [designation]);

  // The playbook's stages follow in the next iteration; until then the case waits, queryable.
  await condition(() => state.stage === 'closed');
  return state;
}
