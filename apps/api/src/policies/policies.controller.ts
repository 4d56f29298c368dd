import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBadRequestResponse, ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { Scoped } from '../scope/scoped.decorator';
import { CountyParams, PublishPolicyDto } from './dto/publish-policy.dto';
import { PoliciesService, type CountyPolicyView } from './policies.service';

@ApiTags('整顿政策 policies')
@ApiBearerAuth()
@Controller('counties/:countyId/policy')
@Scoped('county', 'countyId')
export class PoliciesController {
  constructor(private readonly policies: PoliciesService) {}

  @Get()
  @ApiOperation({
    summary: '县（区）现行整顿政策 / the county’s current rectification policy (version 0 = the template above, or the defaults)',
    description: '上级省、市（州）发布了政策模板时，template 为最近的模板，looserThanTemplate 列出本县政策宽于上级模板的字段（下次发布须改正）。 / template and looserThanTemplate appear when a template lies above.',
  })
  @ApiNotFoundResponse({ description: '县（区）不存在 / unknown county' })
  current(@CurrentUser() user: AuthUser, @Param() params: CountyParams): Promise<CountyPolicyView> {
    return this.policies.current(user, params.countyId);
  }

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: '发布新版整顿政策 / publish a new version: overrides merged onto the current one (the first onto the template above)' })
  @ApiBadRequestResponse({ description: '政策设置有误 / invalid override (VALIDATION_FAILED or POLICY_INVALID)' })
  @ApiNotFoundResponse({ description: '县（区）不存在 / unknown county' })
  @ApiConflictResponse({ description: '同一版本被同时发布 / the same version was published concurrently' })
  @ApiUnprocessableEntityResponse({ description: '宽于上级省、市（州）政策模板 / looser than a template above (POLICY_LOOSER_THAN_TEMPLATE, the fields in details.fields)' })
  @Roles('county_org_admin')
  publish(@CurrentUser() user: AuthUser, @Param() params: CountyParams, @Body() dto: PublishPolicyDto): Promise<CountyPolicyView> {
    return this.policies.publish(user, params.countyId, dto);
  }
}
