import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags, ApiBadRequestResponse } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { Scoped } from '../scope/scoped.decorator';
import type { MyCasesPage } from '../../../../libs/http';
import { CasesService, CaseView } from './cases.service';
import { DesignateCaseDto } from './dto/designate-case.dto';
import { ListCasesQuery } from './dto/list-cases.query';
import { RestartCaseDto } from './dto/restart-case.dto';

@ApiTags('整顿案件 cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(private readonly cases: CasesService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: '认定软弱涣散党组织，启动整顿案件 / designate an organization for a batch and start its case',
    description:
      '县委组织部按 C1–C6 认定，须书面写明认定依据（note）；星级评定为一星级（S1）的由系统自动认定，不在此认定。 / ' +
      'The county organization department designates for C1–C6 with written evidence (note); one-star (S1) designation is automatic.',
  })
  @ApiBadRequestResponse({ description: '请求参数有误（VALIDATION_FAILED，如缺认定依据），或认定原因含 S1（ONE_STAR_DESIGNATED_AUTOMATICALLY） / malformed input, missing evidence, or S1' })
  @ApiNotFoundResponse({ description: '基层党组织不存在 / unknown organization' })
  @ApiConflictResponse({ description: '该组织已在该年度被认定 / already designated for that batch year' })
  @Roles('county_org_admin')
  designate(@CurrentUser() user: AuthUser, @Body() dto: DesignateCaseDto): Promise<CaseView> {
    return this.cases.designate(user, dto);
  }

  @Get()
  @ApiOperation({ summary: '整顿案件列表（读模型） / list cases from the read model' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListCasesQuery) {
    return this.cases.list(user, query);
  }

  @Get('mine')
  @ApiOperation({ summary: '我联系的案件：本季度调研指导情况、年底转化预判和下一步 / my cases as contact leader, with this quarter\'s visit' })
  mine(@CurrentUser() user: AuthUser): Promise<MyCasesPage> {
    return this.cases.mine(user);
  }

  @Get(':id')
  @ApiOperation({ summary: '案件记录与工作流实时状态 / the case row with the workflow\'s live state' })
  @ApiNotFoundResponse({ description: '案件不存在 / no such case' })
  @Scoped('case', 'id')
  get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<CaseView> {
    return this.cases.get(user, id);
  }

  @Post(':id/restart')
  @HttpCode(200)
  @ApiOperation({
    summary: '重启运行异常的整顿案件 / restart a case whose run ended abnormally',
    description:
      '案件工作流异常结束（被终止、失败、超时，runStatus = abnormal）时，县委组织部写明原因，按读模型最后记录的状态重新运行；审计记录、待办和通知均保留。 / ' +
      'Starts a new run of the case from the read model\'s last state when its run ended abnormally (runStatus = abnormal); the reason is audited; nothing in PostgreSQL is lost.',
  })
  @ApiBadRequestResponse({ description: '缺少重启原因（VALIDATION_FAILED） / missing reason' })
  @ApiNotFoundResponse({ description: '案件不存在 / no such case' })
  @ApiConflictResponse({ description: '案件运行正常或已正常结束（CASE_NOT_ABNORMAL） / the case is running or ended normally' })
  @ApiPayloadTooLargeResponse({ description: '案件记录超过系统上限，不能重启（CASE_STATE_TOO_LARGE） / the record is past the size limit' })
  @Roles('county_org_admin')
  @Scoped('case', 'id')
  restart(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RestartCaseDto): Promise<CaseView> {
    return this.cases.restart(user, id, dto);
  }
}
