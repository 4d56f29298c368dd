import { allHandlersFinished, CancellationScope, condition, continueAsNew, isCancellation, proxyActivities, proxyLocalActivities, setHandler, sleep, upsertSearchAttributes, patched, workflowInfo } from '@temporalio/workflow';
import type { Activities, SyncCaseResult } from '../activities';
import { acceptanceConditions } from '../libs/domain/case/acceptance';
import { caseAnswerOf, caseBriefAnswerOf, type CaseAnswer } from '../libs/domain/case/answer';
import { applyClock, nextWakeUp } from '../libs/domain/case/clock';
import { CASE_COMMAND_NAMES, type CaseCommandInputs, type CaseCommandName } from '../libs/domain/case/commands';
import { applyCommand, applyRestart, designationEvent, newCaseState, validateCommand } from '../libs/domain/case/machine';
import { RULES, RuleViolation, type RuleCode } from '../libs/domain/case/rules';
import { unbent, UNBENT_RULES_VERSION } from '../libs/domain/case/rules/edition';
import { applyReopening } from '../libs/domain/case/rules/reasons';
import { deriveTasks } from '../libs/domain/case/tasks';
import type { CaseAuditEvent, CaseNoticeState, CaseState } from '../libs/domain/case/types';
import { deadlineMet, deadlineSignature, doneStillPlanned, dueNotices, firstPlannedMoments, noticePlanRequest, openDeadlines } from '../libs/domain/notices/deadlines';
import type { RaiseNoticesInput, ResolveEscalationsInput } from '../libs/domain/notices/types';
import type { ProjectionPoint } from '../libs/read-model';
import { awaitDesignationProjectedUpdate, caseUpdates, getAcceptanceConditionsQuery, getCaseStateQuery, getTasksQuery, type RectifyCaseWorkflow } from '../libs/contracts/rectify-case';
import { CaseStageAttribute } from '../libs/contracts/search-attributes';
import { asksBriefAnswer } from '../libs/contracts/brief-answers';
import { exclusiveLock, registerCommandHandlers } from './shared/command-handlers';

const { projectCase, reserveCountySecretaryCase, releaseCountySecretaryCase, planNotices, raiseNotices, resolveEscalations, syncCase } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
});

/**
 * syncCase as a local activity, run by the worker that runs the workflow task: a change then completes
 * in one workflow task, without an activity task and a second workflow task around it. Its writes are
 * idempotent PostgreSQL transactions, so a worker that dies meanwhile only makes the next one write
 * them again; retries whose wait passes the threshold go through a durable timer.
 */
const { syncCase: syncCaseLocally } = proxyLocalActivities<Pick<Activities, 'syncCase'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
  localRetryThreshold: '10 seconds',
});

/**
 * Reminders and the escalation ladder (issue 5), added to a workflow already in use: running cases
 * that started before it replay without it; new runs (and runs after continue-as-new) have it.
 */
export const NOTICES_PATCH = 'reminders-and-escalations-v1';

/**
 * 移出整顿名单 (issue 7): a case taken off the list ends its run like a closed one. Histories recorded
 * before it never reach the `removed` stage; the marker keeps the new exit explicit in new ones.
 */
export const REMOVAL_PATCH = 'remove-from-list-v1';

/**
 * The updates' mutex re-checks after waking: before it, an Update arriving with the workflow's first
 * task (a client that starts a case and acts at once) could run its projection beside the
 * designation's, and one of the two inserts failed its first attempt.
 */
export const EXCLUSIVE_UPDATES_PATCH = 'exclusive-updates-v1';

/**
 * A change of the case (a designation, an action, a wake-up) writes in one activity, syncCase:
 * projection, met escalations closed, notices re-planned and raised. Before it, these were up to
 * four activities in a row, each a round trip through the Temporal server and a workflow task of its
 * own; histories recorded before it replay them one by one.
 */
export const SINGLE_SYNC_PATCH = 'single-sync-activity-v1';

/**
 * The case's engineering limits (libs/domain/case/limits.ts) are checked again under the updates'
 * lock; histories recorded before them replay without the check.
 */
export const CASE_LIMITS_PATCH = 'case-limits-v1';

/**
 * syncCase gets the state without its notice plan and derives the tasks itself, so its input is no
 * larger than the bounded state (before, the plan and the tasks travelled with every change).
 */
export const LEAN_SYNC_PATCH = 'lean-sync-v1';

/**
 * Issue 16's rules (libs/domain/case/rules/*: honest dates, 代录, the relapse deadline, the overdue
 * 回头看 on the ladder, 组织处理, the weak spots, S1 added to a case). A case adopts them at its next
 * change after this code runs (state.rulesVersion = 2); histories recorded before replay without.
 */
export const UNBENT_RULES_PATCH = 'unbent-rules-v1';

/**
 * 延期 (issue 20): an approved extension moves a deadline, closes the old date's open escalations as
 * 已延期 and re-times its ladder. A case takes it at its next change after this code runs
 * (state.deadlineExtensions); histories recorded before replay without.
 */
export const DEADLINE_EXTENSIONS_PATCH = 'deadline-extensions-v1';

/**
 * A bounded state (issue 17): the entries the clock appends to 组织处理 are folded once decided and
 * no longer open. A case takes it at its next change after this code runs (state.boundedState);
 * histories recorded before replay without.
 */
export const BOUNDED_STATE_PATCH = 'bounded-state-v1';

/**
 * syncCase runs as a local activity (syncCaseLocally). Asked at each sync, where the activity is
 * called: histories recorded before it replay their scheduled syncCase, and a run that goes on under
 * this code syncs locally from its next change.
 */
export const LOCAL_SYNC_PATCH = 'local-sync-v1';

/**
 * Every patch above at once. A run that starts under this code records this one marker and takes them all,
 * instead of a marker for each (nine at a designation): for each new patch the SDK's core also upserts the
 * TemporalChangeVersion search attribute, and the Temporal server reads the namespace and the cluster's
 * metadata from its database for every upsert. Runs that began before ask each patch as they did (`applies`
 * below). A patch added after this one asks patched() itself.
 * Also under it: a new case's stage is not upserted at its designation, as its start already carries
 * CaseStage 'designated' (libs/temporal/rectify-case.client.ts) — an event and a visibility write less.
 */
export const ALL_PATCHES_PATCH = 'all-patches-v1';

/**
 * The case's timer stands while its next wake-up does not move: an action used to cancel the timer of the
 * wait it ended and start the same one again (two commands, two events and a timer task in the Temporal
 * server's database per action). Asked where the case waits; histories recorded before replay without.
 */
export const STANDING_TIMER_PATCH = 'standing-timer-v1';

/**
 * ALL_PATCHES_PATCH and STANDING_TIMER_PATCH at once. Runs started while it was the newest named it in their
 * input (`takesPatches`) or, started by an API of before, recorded this one marker. Runs that began under
 * ALL_PATCHES_PATCH ask STANDING_TIMER_PATCH itself (`appliesLater` below).
 */
export const ALL_PATCHES_V2_PATCH = 'all-patches-v2';

/**
 * ALL_PATCHES_V2_PATCH, and an action waits for the run's first look (`lookedOnce` below). A run started under
 * this code names it in its input (`takesPatches`, NEW_RUNS_TAKE_PATCHES) and records no marker at all; one
 * started without it (by an API of before) records this one marker.
 */
export const ALL_PATCHES_V3_PATCH = 'all-patches-v3';

/** Engineering limits of one run's history (not business rules): past them the case continues as new. */
const MAX_HISTORY_EVENTS = 2000;
const MAX_HISTORY_BYTES = 4 * 1024 * 1024;

/**
 * One rectification case (整顿案件) running the "六个一" playbook, from designation through
 * acceptance (验收销号) and the follow-up review (回头看) to closing. The workflow holds the truth and
 * enforces the rules; every change is projected, with its audit events and the resulting tasks,
 * into PostgreSQL by an idempotent activity before the update answers.
 */
export const rectifyCase: RectifyCaseWorkflow = async function rectifyCase(input) {
  // A run whose input names the patches takes them without a marker; otherwise first of all, so a run's
  // history has its one patch marker in the same place every time. The input is in the history: replay decides alike.
  const currentV3 = input.takesPatches === ALL_PATCHES_V3_PATCH || (input.takesPatches === undefined && patched(ALL_PATCHES_V3_PATCH));
  const currentV2 = currentV3 || input.takesPatches === ALL_PATCHES_V2_PATCH || patched(ALL_PATCHES_V2_PATCH);
  const current = currentV2 || patched(ALL_PATCHES_PATCH);
  /** Whether the run takes a patch declared before ALL_PATCHES_PATCH. */
  const applies = (patchId: string): boolean => current || patched(patchId);
  /** Whether the run takes a patch declared after ALL_PATCHES_PATCH and before ALL_PATCHES_V2_PATCH. */
  const appliesLater = (patchId: string): boolean => currentV2 || patched(patchId);
  const resumed = 'continued' in input || 'restored' in input || 'reopened' in input;
  const state: CaseState =
    'continued' in input ? input.continued : 'restored' in input ? input.restored.state : 'reopened' in input ? input.reopened.state : newCaseState(input.designation);
  /** The case is in the read model (a resumed run's was before it began). */
  let inReadModel = resumed;
  /** The stage Temporal's visibility shows (the CaseStage search attribute). */
  let visibleStage = resumed || current ? state.stage : undefined;
  /** After a projection: the case is in the read model; visibility gets its stage when it changed. */
  function projected(): void {
    inReadModel = true;
    if (visibleStage !== state.stage) {
      upsertSearchAttributes([{ key: CaseStageAttribute, value: state.stage }]);
      visibleStage = state.stage;
    }
  }

  /**
   * The case takes issue 16's rules at its first change under this code (never during replay of an older
   * one). Answers whether it took any now.
   */
  function adoptLaterRules(): boolean {
    let adopted = false;
    if (!unbent(state) && applies(UNBENT_RULES_PATCH)) {
      state.rulesVersion = UNBENT_RULES_VERSION;
      adopted = true;
    }
    if (!state.deadlineExtensions && applies(DEADLINE_EXTENSIONS_PATCH)) {
      state.deadlineExtensions = true;
      adopted = true;
    }
    if (!state.boundedState && applies(BOUNDED_STATE_PATCH)) {
      state.boundedState = true;
      adopted = true;
    }
    return adopted;
  }
  adoptLaterRules();

  /**
   * The first look before actions (ALL_PATCHES_V3_PATCH): an action waits until the run has made its start known
   * (the designation, restart or reopening projected) and looked at the clock once, or waits for its next moment.
   * An action sent before the run's first workflow task is handed to the workflow with its start, and used to go
   * first: its projection came before the designation's, whose audit entry the read model then dropped as older,
   * and before the deadlines already missed, so a case's trail depended on whether a worker was down or slow when
   * it was designated. Runs begun before go on without the wait.
   */
  let lookedOnce = !currentV3;

  // Updates run one at a time; histories recorded before the re-check after waking replay without it.
  const lock = exclusiveLock(() => applies(EXCLUSIVE_UPDATES_PATCH));
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => lock.run(fn);

  async function project(events: CaseAuditEvent[]): Promise<void> {
    if (applies(NOTICES_PATCH) && applies(SINGLE_SYNC_PATCH)) return syncChange(events);
    await projectCase(state, events, deriveTasks(state, Date.now()));
    projected();
    if (applies(NOTICES_PATCH)) await keepNoticesCurrent();
  }

  /**
   * Re-plans reminders and escalations when the open deadlines change, closes the escalations of
   * deadlines that were met, and raises every notice whose moment has come.
   */
  async function keepNoticesCurrent(): Promise<void> {
    if (applies(SINGLE_SYNC_PATCH)) return syncChange(undefined);
    const { now, n, deadlines, openKeys, resolve, signature, replan, extendedClosed } = lookAtNotices(state);
    if (resolve) await resolveEscalations(resolve);
    if (extendedClosed) delete n.extended;
    n.open = openKeys;
    if (replan) {
      n.planned = deadlines.length ? await planNotices(noticePlanRequest(state, deadlines)) : [];
      n.signature = signature;
      n.firstPlannedAt = firstPlannedMoments(n.firstPlannedAt, openKeys, now);
      n.done = doneStillPlanned(n.planned, n.done);
    }
    const { raise, skip } = dueNotices(n.planned, new Set(n.done), n.firstPlannedAt, now);
    if (raise.length) {
      await raiseNotices({ ...caseRefOf(state), notices: raise });
      for (const r of raise) n.raisedByRung[r.rung] = (n.raisedByRung[r.rung] ?? 0) + 1;
    }
    n.done.push(...raise.map((r) => r.key), ...skip.map((r) => r.key));
  }

  /**
   * What project() and keepNoticesCurrent() did, in one activity: projects the change (when there
   * are events), closes the escalations of met deadlines, re-plans when the open deadlines changed
   * and raises the notices now due. The snapshot projected is the state before this sync's notice
   * bookkeeping, as the separate activities had it.
   */
  async function syncChange(events: CaseAuditEvent[] | undefined): Promise<void> {
    const { now, n, deadlines, openKeys, resolve, signature, replan, extendedClosed } = lookAtNotices(state);
    const firstPlannedAt = replan ? firstPlannedMoments(n.firstPlannedAt, openKeys, now) : n.firstPlannedAt;
    // With the plan standing, what is due is decided here; after a re-plan, by the activity.
    const decided = replan ? undefined : dueNotices(n.planned, new Set(n.done), n.firstPlannedAt, now);
    let outcome: SyncCaseResult = null;
    if (events || resolve || !decided || decided.raise.length) {
      const sync = applies(LOCAL_SYNC_PATCH) ? syncCaseLocally : syncCase;
      // The answer is the re-plan's outcome; with the plan standing (decided) it is null (histories recorded
      // before also carry the projection written there, which the workflow never read).
      outcome = await sync({
        caseRef: caseRefOf(state),
        ...(events ? { projection: applies(LEAN_SYNC_PATCH) ? { state: withoutNotices(state), events, nowMs: now, at: projectionPoint() } : { state, events, tasks: deriveTasks(state, now) } } : {}),
        ...(resolve ? { resolve } : {}),
        notices: decided
          ? { kind: 'raise', raise: decided.raise }
          : { kind: 'replan', request: deadlines.length ? noticePlanRequest(state, deadlines) : null, done: n.done, firstPlannedAt, nowMs: now },
      });
    }
    if (events) projected();
    n.open = openKeys;
    if (!decided) {
      n.planned = outcome!.planned;
      n.signature = signature;
      n.firstPlannedAt = firstPlannedAt;
      n.done = outcome!.done;
    }
    const { raised, skipped } = decided ? { raised: decided.raise, skipped: decided.skip.map((p) => p.key) } : outcome!;
    for (const r of raised) n.raisedByRung[r.rung] = (n.raisedByRung[r.rung] ?? 0) + 1;
    n.done.push(...raised.map((r) => r.key), ...skipped);
    if (extendedClosed) delete n.extended;
  }

  /** The next moment a planned notice falls due. */
  function nextNoticeAt(): number | undefined {
    const n = state.notices;
    if (!n) return undefined;
    const done = new Set(n.done);
    const pending = n.planned.filter((p) => !done.has(p.key)).map((p) => p.atMs);
    return pending.length ? Math.min(...pending) : undefined;
  }

  /**
   * Off the list the case ends: nobody is held to its deadlines any more (its escalations are closed)
   * and the county party secretary, if they were its contact leader, may take another case.
   */
  async function settleRemoval(): Promise<void> {
    if (state.contactLeader?.isCountyPartySecretary) {
      await releaseCountySecretaryCase({ countyId: state.countyId, batchYear: state.batchYear, caseId: state.caseId });
    }
    await resolveEscalations({ caseId: state.caseId, deadlineKeys: 'all', at: new Date(Date.now()).toISOString() });
  }

  setHandler(getCaseStateQuery, () => state);
  // Asked for the brief answer (the API's designation), only the version goes into the history: the API reads the case from its row.
  setHandler(awaitDesignationProjectedUpdate, async (form) => {
    await condition(() => inReadModel);
    const answer = caseAnswerOf(state);
    return asksBriefAnswer(form) ? caseBriefAnswerOf(answer) : answer;
  });
  setHandler(getAcceptanceConditionsQuery, () => acceptanceConditions(state, Date.now()));
  setHandler(getTasksQuery, () => deriveTasks(state, Date.now()));

  registerCommandHandlers<CaseAnswer, CaseCommandInputs, RuleCode>({
    names: CASE_COMMAND_NAMES,
    updates: caseUpdates,
    rules: { catalogue: RULES, violation: RuleViolation },
    lock,
    ready: () => lookedOnce,
    validate: (name, command) => validateCommand(state, name, command, Date.now()),
    run: (name, command, validatedAsIs) => runCommand(name, command, validatedAsIs),
    brief: caseBriefAnswerOf,
  });

  async function runCommand<K extends CaseCommandName>(name: K, command: CaseCommandInputs[K], validatedAsIs: boolean): Promise<CaseAnswer> {
    const adopted = adoptLaterRules();
    // Validated again under the lock: an update accepted meanwhile may have changed the state. The limits'
    // trial (the command applied to a copy, measured as JSON) is left out when the validator just made it on
    // this very state; whether it runs or not, its outcome is the same, so histories replay alike.
    const limitsJustChecked = validatedAsIs && !adopted;
    validateCommand(state, name, command, Date.now(), { limits: applies(CASE_LIMITS_PATCH) && !limitsJustChecked });
    if (name === 'assignContactLeader') await holdCountySecretaryRule(state, command as CaseCommandInputs['assignContactLeader']);
    const previousLeader = state.contactLeader;
    const events = applyCommand(state, name, command, Date.now());
    if (name === 'assignContactLeader' && previousLeader?.isCountyPartySecretary && !state.contactLeader?.isCountyPartySecretary) {
      await releaseCountySecretaryCase({ countyId: state.countyId, batchYear: state.batchYear, caseId: state.caseId });
    }
    if (name === 'removeFromList') await settleRemoval();
    await project(events);
    // The notice plan stays here: answered, it would go into the history with every action (CaseAnswer).
    return caseAnswerOf(state);
  }

  if (!resumed) await exclusive(() => project([designationEvent(state)]));
  if ('restored' in input) {
    const restart = input.restored.restart;
    await exclusive(() => project(applyRestart(state, restart, Date.now())));
  }
  if ('reopened' in input) {
    const reopening = input.reopened.reopening;
    let events: CaseAuditEvent[] = [];
    try {
      events = applyReopening(state, reopening, Date.now());
    } catch (err) {
      // Nothing to reopen (already back on the list, or S1 already there): this run ends as it began.
      if (err instanceof RuleViolation) return state;
      throw err;
    }
    await exclusive(() => project(events));
  }

  const mustContinueAsNew = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > MAX_HISTORY_EVENTS || info.historySize > MAX_HISTORY_BYTES;
  };

  const alarm = standingAlarm();
  while (!hasEnded(state, applies)) {
    const seenVersion = state.version;
    const wake = earliest(nextWakeUp(state, Date.now()), nextNoticeAt());
    const changedOrFull = () => state.version !== seenVersion || mustContinueAsNew();
    if (wake === undefined || wake > Date.now()) lookedOnce = true;
    if (appliesLater(STANDING_TIMER_PATCH)) {
      alarm.setFor(wake !== undefined && wake > Date.now() ? wake : undefined);
      if (wake === undefined || wake > Date.now()) await condition(() => changedOrFull() || alarm.rang);
    } else if (wake === undefined) await condition(changedOrFull);
    else if (wake > Date.now()) await condition(changedOrFull, wake - Date.now());
    await exclusive(async () => {
      adoptLaterRules();
      const events = applyClock(state, Date.now());
      if (events.length) await project(events);
      else if (applies(NOTICES_PATCH)) await keepNoticesCurrent();
    });
    lookedOnce = true;
    if (mustContinueAsNew() && !hasEnded(state, applies)) {
      await condition(() => allHandlersFinished() && !lock.busy);
      // The next run takes what this one took from its input (a run that asked patched() lets the next ask too).
      await continueAsNew<typeof rectifyCase>({ continued: state, ...(input.takesPatches !== undefined ? { takesPatches: input.takesPatches } : {}) });
    }
  }
  lookedOnce = true;
  await condition(allHandlersFinished);
  return state;
};

/**
 * One durable timer for the moment the case next wakes up, kept while that moment stays the same: set for
 * another moment (or none) it is cancelled and, for a moment, started anew. `rang` once it has fired.
 */
function standingAlarm() {
  let current: { at: number; scope: CancellationScope; rang: boolean } | undefined;
  return {
    get rang(): boolean {
      return current?.rang ?? false;
    },
    setFor(at: number | undefined): void {
      if (current && current.at === at && !current.rang) return;
      if (current && !current.rang) current.scope.cancel();
      current = undefined;
      if (at === undefined) return;
      const timer = { at, scope: new CancellationScope(), rang: false };
      timer.scope
        .run(() => sleep(at - Date.now()))
        .then(
          () => (timer.rang = true),
          (err: unknown) => {
            if (!isCancellation(err)) throw err;
          },
        );
      current = timer;
    },
  };
}

/** The case's run is over: closed after the follow-up review, or taken off the list. */
function hasEnded(state: CaseState, applies: (patchId: string) => boolean): boolean {
  if (state.stage === 'closed') return true;
  return state.stage === 'removed' && applies(REMOVAL_PATCH);
}

/**
 * Where in this run's history the projection is made (ProjectionPoint): the read model keeps
 * what the latest workflow task wrote, not what a discarded one did. Data of the activity's input only, so
 * histories replay as before.
 */
function projectionPoint(): ProjectionPoint {
  const { runId, historyLength } = workflowInfo();
  return { runId, historyLength };
}

/** The state as the read model keeps it: the notice plan stays in the workflow. */
function withoutNotices(state: CaseState): CaseState {
  const { notices: _notices, ...rest } = state;
  return rest;
}

/** Who a case's notices are about. */
function caseRefOf(state: CaseState): Omit<RaiseNoticesInput, 'notices'> {
  return { caseId: state.caseId, organizationName: state.organizationName, countyId: state.countyId, townshipId: state.townshipId };
}

/**
 * Where the case's notices stand against its open deadlines now (pure; both ways of keeping them
 * current start here): which deadlines were met since the last look (their escalations close; all of
 * them once the case is accepted) and whether the deadlines changed, so the plan must be made anew.
 */
function lookAtNotices(state: CaseState) {
  const now = Date.now();
  const n: CaseNoticeState = (state.notices ??= { signature: '', planned: [], done: [], firstPlannedAt: {}, open: [], raisedByRung: {} });
  const deadlines = openDeadlines(state, now);
  const openKeys = deadlines.map((d) => d.key);
  const met = n.open.filter((k) => !openKeys.includes(k) && (state.acceptedAt !== undefined || deadlineMet(state, k)));
  const notes = unbent(state) ? backdatedVisitNotes(state, met) : undefined;
  // 延期: the open escalations of an extended deadline's old date close too, with the extension as their note.
  const extended = state.deadlineExtensions && n.extended && Object.keys(n.extended).length ? n.extended : undefined;
  const resolve: ResolveEscalationsInput | undefined =
    met.length || extended
      ? {
          caseId: state.caseId,
          deadlineKeys: state.acceptedAt ? 'all' : [...met, ...Object.keys(extended ?? {})],
          at: new Date(now).toISOString(),
          ...(notes || extended ? { notes: { ...notes, ...extended } } : {}),
        }
      : undefined;
  const signature = deadlineSignature(deadlines);
  return { now, n, deadlines, openKeys, resolve, signature, replan: signature !== n.signature, extendedClosed: extended !== undefined };
}

/** A quarter's escalation met by a visit dated back into it: the reason given goes on the escalation record. */
function backdatedVisitNotes(state: CaseState, met: string[]): Record<string, string> | undefined {
  const notes: Record<string, string> = {};
  for (const key of met) {
    if (!key.startsWith('quarter_visit:')) continue;
    const visit = state.visits.find((v) => `quarter_visit:${v.quarter}` === key && v.intoEscalatedQuarter);
    if (visit) notes[key] = `补记${visit.visitedOn}调研指导（${visit.recordedBy.name}录入）：${visit.intoEscalatedQuarter!.reason}`;
  }
  return Object.keys(notes).length ? notes : undefined;
}

function earliest(...at: (number | undefined)[]): number | undefined {
  const defined = at.filter((x): x is number => x !== undefined);
  return defined.length ? Math.min(...defined) : undefined;
}

/**
 * The county party secretary personally takes at most N cases a batch (seed 000 §四(一)). The
 * rule spans cases, so no single workflow can see it: the reservation is an atomic row in
 * PostgreSQL (county_secretary_case, under an advisory lock per county and year), taken by an
 * activity before the assignment is applied. Refused, the update fails naming the rule and the
 * case's state is untouched.
 */
async function holdCountySecretaryRule(state: CaseState, command: CaseCommandInputs['assignContactLeader']): Promise<void> {
  if (!command.leader.isCountyPartySecretary) return;
  const result = await reserveCountySecretaryCase({
    countyId: state.countyId,
    batchYear: state.batchYear,
    caseId: state.caseId,
    leaderId: command.leader.id,
    maxCases: state.policy.countyPartySecretaryMaxCases,
  });
  if (!result.granted) {
    throw new RuleViolation('COUNTY_SECRETARY_ONE_CASE', `县委书记已挂点联系：${result.heldBy.join('、')}`, { heldBy: result.heldBy });
  }
}
