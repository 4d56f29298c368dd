import { Scoped } from '../../scope/scoped.decorator';
import { applyDecorators, Body, Controller, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { COMMAND_ROLES, USER_ROLE_LABELS, type CaseCommandName } from '../../../../../libs/domain';
import { CurrentUser, Roles } from '../../auth/auth.decorators';
import type { AuthUser } from '../../auth/auth-user';
import { CaseActionsService, type CaseActionResult } from './case-actions.service';
import { AcceptCaseDto } from './dto/accept-case.dto';
import { AddDesignationReasonDto } from './dto/add-designation-reason.dto';
import { ConfirmGuidanceVisitDto } from './dto/confirm-guidance-visit.dto';
import { RecordOrganizationalHandlingDto } from './dto/record-organizational-handling.dto';
import { AddCollectiveProjectDto } from './dto/add-collective-project.dto';
import { AddMeasureDto } from './dto/add-measure.dto';
import { AddProblemDto } from './dto/add-problem.dto';
import { AppointSecretaryDto } from './dto/appoint-secretary.dto';
import { AppointTeamDto } from './dto/appoint-team.dto';
import { ApprovePlanDto } from './dto/approve-plan.dto';
import { AssignContactLeaderDto } from './dto/assign-contact-leader.dto';
import { ChangeTeamDto } from './dto/change-team.dto';
import { CloseProblemDto } from './dto/close-problem.dto';
import { ConfirmProblemListDto } from './dto/confirm-problem-list.dto';
import { RecordConsultationDto } from './dto/record-consultation.dto';
import { RecordFollowUpDto } from './dto/record-follow-up.dto';
import { RecordGuidanceVisitDto } from './dto/record-guidance-visit.dto';
import { RecordPracticalThingDto } from './dto/record-practical-thing.dto';
import { RecordTrainingDto } from './dto/record-training.dto';
import { RefuseAcceptanceDto } from './dto/refuse-acceptance.dto';
import { ReleaseTeamDto } from './dto/release-team.dto';
import { RemoveFromListDto } from './dto/remove-from-list.dto';
import { RequestAcceptanceDto } from './dto/request-acceptance.dto';
import { UpdateMeasureProgressDto } from './dto/update-measure-progress.dto';

/**
 * One playbook action of a case: who may run it (403 for anyone else, checked before anything is
 * read or sent), its summary for the API docs, and the status it answers with — 201 where it adds a
 * record to the case, 200 where it changes one.
 */
export function CaseAction(name: CaseCommandName, summary: string, created: boolean) {
  const roles = COMMAND_ROLES[name];
  return applyDecorators(
    Roles(...roles),
    HttpCode(created ? HttpStatus.CREATED : HttpStatus.OK),
    ApiOperation({
      summary,
      operationId: name,
      description: `Workflow Update \`${name}\`. 限 / roles: ${roles.map((r) => `${USER_ROLE_LABELS[r]} (${r})`).join('、')}. 答复案件的新状态 / answers { id, state } with the case's new state, already visible to GET /api/cases/:id.`,
    }),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: '幂等键：未收到答复（超时、503）时用同一键重发，操作只执行一次 / repeat a request whose answer was lost with the same key: the action runs once',
    }),
    ApiBadRequestResponse({ description: '输入有误（VALIDATION_FAILED，或规则 INVALID_INPUT / DATE_IN_FUTURE / DATE_BEFORE_DESIGNATION / REMOVAL_REASON_REQUIRED） / malformed input' }),
    ApiUnauthorizedResponse({ description: '未登录 / no valid token' }),
    ApiForbiddenResponse({ description: '角色无权进行此项操作 / role not allowed (FORBIDDEN, or rule ROLE_NOT_ALLOWED / ACCEPTANCE_BY_COUNTY / VISIT_BY_CONTACT_LEADER)' }),
    ApiNotFoundResponse({ description: '案件不存在或不在本人管辖范围内（CASE_NOT_FOUND），或问题/措施不存在 / no such case in your region, or no such problem/measure' }),
    ApiConflictResponse({ description: '违反整顿规则（code 为规则代码，如 TEAM_MIN_SIZE），或案件已结束（CASE_NOT_RUNNING） / refused by a rule of the playbook, code = the rule' }),
    ApiPayloadTooLargeResponse({ description: '请求内容过大 / body over 100 kB' }),
    ApiServiceUnavailableResponse({ description: 'Temporal 暂不可用 / Temporal unavailable' }),
  );
}

/**
 * The "六个一" playbook over HTTP: every action of the six tracks, acceptance, follow-up and taking a
 * case off the list is a POST under /api/cases/:id that runs the case workflow's Update and answers
 * with the new state.
 */
@ApiTags('整顿案件操作 case actions')
@ApiBearerAuth()
@Controller('cases/:id')
@Scoped('case', 'id')
export class CaseActionsController {
  constructor(private readonly actions: CaseActionsService) {}

  // ---- 一把手分包 the contact leader ------------------------------------------------------------

  @Post('contact-leader')
  @CaseAction('assignContactLeader', '确定或更换联系领导（一把手分包） / assign or replace the contact leader', false)
  assignContactLeader(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: AssignContactLeaderDto): Promise<CaseActionResult> {
    return this.actions.assignContactLeader(user, id, dto);
  }

  @Post('visits')
  @CaseAction('recordGuidanceVisit', '记录联系领导调研指导 / record a guidance visit of the contact leader', true)
  recordGuidanceVisit(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RecordGuidanceVisitDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'recordGuidanceVisit', dto);
  }

  @Post('practical-things')
  @CaseAction('recordPracticalThing', '记录为群众办理的实事好事 / record a practical thing done for the villagers', true)
  recordPracticalThing(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RecordPracticalThingDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'recordPracticalThing', dto);
  }

  // ---- 一支队伍 the team -------------------------------------------------------------------------

  @Post('team')
  @CaseAction('appointTeam', '选派整建队伍 / appoint the rectification team', true)
  appointTeam(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: AppointTeamDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'appointTeam', dto);
  }

  @Post('team/changes')
  @CaseAction('changeTeam', '调整整建队伍成员或队长 / change the team\'s members or leader', true)
  changeTeam(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: ChangeTeamDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'changeTeam', dto);
  }

  @Post('team/release')
  @CaseAction('releaseTeam', '整建队伍撤离（不转化不脱钩） / release the team, only once the case is converted', false)
  releaseTeam(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: ReleaseTeamDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'releaseTeam', dto);
  }

  // ---- 一张问题清单 the problem list ---------------------------------------------------------------

  @Post('problems')
  @CaseAction('addProblem', '问题清单新增问题 / add a problem, with its root cause and evidence, to the list', true)
  addProblem(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: AddProblemDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'addProblem', dto);
  }

  @Post('problem-list/confirm')
  @CaseAction('confirmProblemList', '乡镇党委书记确认问题清单 / the township Party secretary confirms the problem list', false)
  confirmProblemList(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: ConfirmProblemListDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'confirmProblemList', dto);
  }

  @Post('problems/:problemId/close')
  @CaseAction('closeProblem', '问题销号 / close a problem off with the evidence of its fix', false)
  @ApiUnprocessableEntityResponse({ description: '附件不是本问题的销号附件或已移除（ATTACHMENT_NOT_OF_STEP） / an attachment that is not this problem\'s closing evidence' })
  closeProblem(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('problemId') problemId: string,
    @Body() dto: CloseProblemDto,
  ): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'closeProblem', { ...dto, problemId });
  }

  // ---- 一套整顿方案 the plan -------------------------------------------------------------------------

  @Post('consultations')
  @CaseAction('recordConsultation', '记录征求意见（党员大会、村民代表会议、入户走访、谈心谈话） / record a consultation the plan is built on', true)
  recordConsultation(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RecordConsultationDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'recordConsultation', dto);
  }

  @Post('measures')
  @CaseAction('addMeasure', '整顿方案新增整改措施 / add a measure to the plan', true)
  addMeasure(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: AddMeasureDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'addMeasure', dto);
  }

  @Post('plan/approve')
  @CaseAction('approvePlan', '乡镇党委审定整顿方案 / the township Party committee approves the plan', false)
  approvePlan(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: ApprovePlanDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'approvePlan', dto);
  }

  @Post('measures/:measureId/progress')
  @CaseAction('updateMeasureProgress', '登记整改措施进度（台账） / record a measure\'s progress in the ledger', true)
  updateMeasureProgress(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('measureId') measureId: string,
    @Body() dto: UpdateMeasureProgressDto,
  ): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'updateMeasureProgress', { ...dto, measureId });
  }

  // ---- 一个关键 the secretary ------------------------------------------------------------------------

  @Post('secretary')
  @CaseAction('appointSecretary', '选配党支部书记 / a qualified branch secretary is in place', true)
  appointSecretary(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: AppointSecretaryDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'appointSecretary', dto);
  }

  @Post('trainings')
  @CaseAction('recordTraining', '记录书记参加专题培训 / record the secretary\'s attendance at the county\'s training', true)
  recordTraining(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RecordTrainingDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'recordTraining', dto);
  }

  // ---- 一个项目 the collective-economy project -------------------------------------------------------

  @Post('projects')
  @CaseAction('addCollectiveProject', '登记村集体经济项目 / record a collective-economy project', true)
  addCollectiveProject(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: AddCollectiveProjectDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'addCollectiveProject', dto);
  }

  // ---- 验收销号 acceptance, 回头看 follow-up -----------------------------------------------------------

  @Post('acceptance/request')
  @CaseAction('requestAcceptance', '乡镇党委申请验收 / the township requests acceptance (refused while any condition is unmet)', false)
  requestAcceptance(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RequestAcceptanceDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'requestAcceptance', dto);
  }

  @Post('acceptance')
  @CaseAction('acceptCase', '县委组织部验收销号 / the county organization department accepts the case as converted', true)
  @ApiUnprocessableEntityResponse({ description: '附件不是本案的验收附件或已移除（ATTACHMENT_NOT_OF_STEP） / an attachment that is not the case\'s acceptance evidence' })
  acceptCase(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: AcceptCaseDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'acceptCase', dto);
  }

  @Post('acceptance/refuse')
  @CaseAction('refuseAcceptance', '不予验收，退回整顿 / refuse the request for acceptance; the case goes back to rectifying', false)
  refuseAcceptance(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RefuseAcceptanceDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'refuseAcceptance', dto);
  }

  @Post('follow-up')
  @CaseAction('recordFollowUp', '记录回头看（反弹则重新整顿） / record the follow-up review; a relapse reopens the case', true)
  recordFollowUp(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RecordFollowUpDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'recordFollowUp', dto);
  }

  // ---- 移出整顿名单 taking a case off the list -------------------------------------------------------

  @Post('remove-from-list')
  @CaseAction(
    'removeFromList',
    '移出整顿名单（须书面说明理由，记入审计；一星级不得移出） / take the organization off the list with a written reason (never a one-star case); the case ends',
    false,
  )
  removeFromList(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RemoveFromListDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'removeFromList', dto);
  }

  // ---- issue 16: 代录 confirmed, 组织处理, a further designation reason ---------------------------------

  @Post('visits/:visitId/confirm')
  @CaseAction('confirmGuidanceVisit', '联系领导确认代录的调研指导（确认后计入该季度） / the contact leader confirms a visit entered for them; only then it counts', false)
  confirmGuidanceVisit(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Param('visitId') visitId: string,
    @Body() dto: ConfirmGuidanceVisitDto,
  ): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'confirmGuidanceVisit', { ...dto, visitId });
  }

  @Post('organizational-handling')
  @CaseAction('recordOrganizationalHandling', '记录组织处理决定（约谈之后，县委组织部研究决定） / record the county organization department\'s decision on 组织处理, after 约谈', true)
  recordOrganizationalHandling(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RecordOrganizationalHandlingDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'recordOrganizationalHandling', dto);
  }

  @Post('reasons')
  @CaseAction('addDesignationReason', '增加认定原因（C1–C6；一星级 S1 由星级评定自动加入） / add a designation reason (S1 only by the star rating)', true)
  addDesignationReason(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: AddDesignationReasonDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'addDesignationReason', dto);
  }
}
