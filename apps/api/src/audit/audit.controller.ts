import { Scoped } from '../scope/scoped.decorator';
import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiForbiddenResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { AuditService, type AuditPage } from './audit.service';
import { ListAuditQuery, ListCaseAuditQuery } from './dto/list-audit.query';

@ApiTags('操作记录 audit')
@ApiBearerAuth()
@Controller()
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('cases/:id/audit')
  @Scoped('case', 'id')
  @ApiOperation({ summary: '案件操作记录（新的在前） / the audit trail of a case, newest first' })
  @ApiOkResponse({ description: '{ items: [{ id, occurredAt, action, payload, caseId, organizationName, actor: { id, name, role } }], nextCursor }' })
  @ApiBadRequestResponse({ description: '查询参数有误 / malformed query' })
  @ApiNotFoundResponse({ description: '案件不存在或不在辖区内 / no such case in your scope' })
  forCase(@CurrentUser() user: AuthUser, @Param('id') id: string, @Query() query: ListCaseAuditQuery): Promise<AuditPage> {
    return this.audit.listForCase(user, id, query);
  }

  @Get('audit')
  @ApiOperation({
    summary: '人员操作记录：本人的，或（县委组织部、督查人员）辖区内人员的 / entries by a person: your own, or (county organization department, inspectors) anyone of your region',
  })
  @ApiOkResponse({ description: '{ items, nextCursor }' })
  @ApiBadRequestResponse({ description: '查询参数有误 / malformed query' })
  @ApiForbiddenResponse({ description: '无权查看他人的操作记录 / you may not list other people\'s entries' })
  @ApiNotFoundResponse({ description: '操作人不存在或不在辖区内 / no such user in your region' })
  forActor(@CurrentUser() user: AuthUser, @Query() query: ListAuditQuery): Promise<AuditPage> {
    return this.audit.listForActor(user, query);
  }
}
