import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ServiceError, WorkflowUpdateRPCTimeoutOrCancelledError, isGrpcServiceError } from '@temporalio/client';
import { Repository } from 'typeorm';
import { caseAnswerOf, isCaseBriefAnswer, USER_ROLE_LABELS, type CaseAnswer, type CaseBriefAnswer, type CaseCommandInputs, type CaseCommandName } from '../../../../../libs/domain';
import { AppUserEntity, preparedQuery, RegionEntity } from '../../../../../libs/persistence';
import { CaseNotRunningError, CaseRuleViolationError, executeCaseCommandBriefly, queryCaseState } from '../../../../../libs/temporal';
import { actorOf, type AuthUser } from '../../auth/auth-user';
import { ScopeService } from '../../scope/scope.service';
import { verifyStepAttachments } from '../../attachments/step-attachments';
import { JsonText } from '../../common/json-answers';
import { TemporalClientService } from '../../temporal/temporal.module';
import { CaseException } from '../case.exception';
import { claimIdempotencyKey, IDEMPOTENCY_KEY_PATTERN, idempotencyKeys } from './idempotency-key';
import type { AssignContactLeaderDto } from './dto/assign-contact-leader.dto';

/**
 * What every action answers: `{ id, state }`, the case and its new state (without its notice plan, CaseAnswer) —
 * the state as the read model has it once the action's projection is written (the Update answers after it), so
 * GET /api/cases/:id shows the same. Its JSON text is made from the row's text, without parsing it.
 */
export type CaseActionResult = JsonText;

/** The case's row as an action's answer reads it: its version, and its state as JSON text without any notice plan. */
const CASE_ANSWER_ROW = `SELECT version, (state - 'notices')::text AS state FROM rectification_case WHERE id = $1`;

/** An action's input as the API takes it: everything but the acting person, who is the signed-in user. */
export type ActionInput<K extends CaseCommandName> = Omit<CaseCommandInputs[K], 'actor'>;

/** gRPC statuses meaning "Temporal could not be reached or did not answer": CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE. */
const UNAVAILABLE = new Set<number>([1, 4, 8, 14]);

const COUNTY_LEADER_ROLES = ['county_leader', 'county_party_secretary'] as const;

/**
 * Runs the playbook's actions on a case: scope first (a case outside the user's region is 404 and
 * nothing reaches Temporal), then the workflow's Update, which answers only after its projection has
 * written PostgreSQL — so the acting user's next read shows the change.
 */
@Injectable()
export class CaseActionsService {
  constructor(
    @InjectRepository(AppUserEntity) private readonly users: Repository<AppUserEntity>,
    @InjectRepository(RegionEntity) private readonly regions: Repository<RegionEntity>,
    private readonly scope: ScopeService,
    private readonly temporal: TemporalClientService,
  ) {}

  /** The case lies in the user's region: the controllers' @Scoped('case', 'id') guard answered 404 otherwise. */
  async run<K extends CaseCommandName>(user: AuthUser, caseId: string, name: K, input: ActionInput<K>): Promise<CaseActionResult> {
    // The attachments a 销号 or an acceptance names are that step's, on this case (422 otherwise).
    if (name === 'closeProblem') {
      const { problemId, attachmentIds } = input as ActionInput<'closeProblem'>;
      await verifyStepAttachments(this.users.manager, caseId, 'problem_closed', problemId, attachmentIds);
    }
    if (name === 'acceptCase') await verifyStepAttachments(this.users.manager, caseId, 'acceptance', 'acceptance', (input as ActionInput<'acceptCase'>).attachmentIds);
    return this.execute(user, caseId, name, input);
  }

  /**
   * 一把手分包: the body names a user; the contact leader recorded on the case is that user — an active
   * county-level leader or the county party secretary of the case's own county.
   */
  async assignContactLeader(user: AuthUser, caseId: string, dto: AssignContactLeaderDto): Promise<CaseActionResult> {
    const row = await this.scope.caseInScope(user, caseId);
    const leader = await this.users.findOneBy({ id: dto.leaderUserId });
    const region = leader ? await this.regions.findOneBy({ id: leader.regionId }) : null;
    // A user outside the case's county is, for this case, one that does not exist.
    if (!leader || !region?.path.startsWith(`/${row.countyId}/`)) throw CaseException.contactLeaderNotFound(dto.leaderUserId);
    if (!leader.active) throw CaseException.contactLeaderInactive(leader.id, leader.displayName);
    // County-level leaders are bound to the county itself, not to one of its townships or villages.
    if (!(COUNTY_LEADER_ROLES as readonly string[]).includes(leader.role) || leader.regionId !== row.countyId) {
      throw CaseException.contactLeaderNotCountyLeader(leader.id, leader.displayName, USER_ROLE_LABELS[leader.role] ?? leader.role);
    }
    // A user without a recorded post (职务) is shown by their role: the workflow needs a title.
    const title = leader.title.trim() || USER_ROLE_LABELS[leader.role];
    return this.execute(user, caseId, 'assignContactLeader', {
      leader: { id: leader.id, name: leader.displayName, title, isCountyPartySecretary: leader.role === 'county_party_secretary' },
      ...(dto.reason !== undefined ? { reason: dto.reason } : {}),
    });
  }

  private async execute<K extends CaseCommandName>(user: AuthUser, caseId: string, name: K, input: ActionInput<K>): Promise<CaseActionResult> {
    const command = { ...withoutUndefined(input), actor: actorOf(user) } as CaseCommandInputs[K];
    const key = idempotencyKeys.getStore();
    if (key !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(key)) throw CaseException.invalidIdempotencyKey();
    if (key) await claimIdempotencyKey(this.users.manager, user.id, key, { caseId, name, input: withoutUndefined(input) });
    let answer: CaseAnswer | CaseBriefAnswer;
    try {
      answer = await executeCaseCommandBriefly(this.temporal.client, caseId, name, command, key ? { updateId: `${caseId}:${name}:${user.id}:${key}` } : {});
    } catch (err) {
      throw toHttpError(caseId, err);
    }
    return isCaseBriefAnswer(answer) ? this.answerFromReadModel(caseId, answer) : answerText(caseId, answer);
  }

  /**
   * The case as its row now has it: at the action's version or later (another action may have followed). A row
   * behind the action (the read model being rebuilt, say) is passed over for the workflow's own state.
   */
  private async answerFromReadModel(caseId: string, brief: CaseBriefAnswer): Promise<CaseActionResult> {
    const [row] = await preparedQuery<{ version: number; state: string }>(this.users.manager.connection, CASE_ANSWER_ROW, [caseId]);
    if (row && row.version >= brief.version) {
      // The one field of the answer the read model does not keep, after the row's last key.
      const open = row.state.slice(0, -1);
      const raised = brief.noticesRaisedByRung ? `${open === '{' ? '' : ','}"noticesRaisedByRung":${JSON.stringify(brief.noticesRaisedByRung)}` : '';
      return new JsonText(`{"id":${JSON.stringify(caseId)},"state":${open}${raised}}}`);
    }
    let live;
    try {
      live = await queryCaseState(this.temporal.client, caseId);
    } catch (err) {
      // The action went through: a client that repeats it with its Idempotency-Key gets the answer.
      throw toHttpError(caseId, err);
    }
    if (!live) throw CaseException.notRunning(caseId);
    return answerText(caseId, caseAnswerOf(live));
  }
}

function answerText(caseId: string, state: CaseAnswer): CaseActionResult {
  return new JsonText(JSON.stringify({ id: caseId, state }));
}

/** DTO instances carry their unset optional fields as undefined; the workflow gets only what was sent. */
function withoutUndefined<T extends object>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as T;
}

function toHttpError(caseId: string, err: unknown): unknown {
  if (err instanceof CaseRuleViolationError) return CaseException.ruleViolation(err.rule, err.message, err.details);
  if (err instanceof CaseNotRunningError) return CaseException.notRunning(caseId);
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return CaseException.temporalUnavailable(err.message, true);
  // The Update may have reached the workflow before the connection failed: say so, and let the
  // client repeat it with its Idempotency-Key.
  const unreachable = unreachableCause(err);
  if (unreachable) return CaseException.temporalUnavailable(unreachable, true);
  return err;
}

/** Why Temporal could not be reached, if that is what `err` (or a cause under it) says. */
export function unreachableCause(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (isGrpcServiceError(e)) return UNAVAILABLE.has(e.code) ? e.details || e.message : undefined;
    if (!(e instanceof ServiceError)) return undefined;
    // The connection's own check ("Failed to connect to Temporal server") may end in a plain deadline error.
    const cause = (e as { cause?: unknown }).cause;
    if (/failed to connect/i.test(e.message) && !isGrpcServiceError(cause) && !(cause instanceof ServiceError)) return e.message;
  }
  return undefined;
}
