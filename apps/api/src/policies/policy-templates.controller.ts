import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { Scoped } from '../scope/scoped.decorator';
import { PublishPolicyDto } from './dto/publish-policy.dto';
import { PolicyTemplateParams } from './dto/template-params.dto';
import { PolicyTemplatesService, type PolicyTemplateView } from './policy-templates.service';

@ApiTags('整顿政策 policies')
@ApiBearerAuth()
@Controller('regions/:regionId/policy-template')
@Scoped('region', 'regionId')
export class PolicyTemplatesController {
  constructor(private readonly templates: PolicyTemplatesService) {}

  @Get()
  @ApiOperation({
    summary: '省、市（州）整顿政策模板 / the policy template of a province or city (version 0 = inherited or defaults)',
    description:
      '下辖县（区）未发布本县政策时以最近的上级模板（市先于省）为默认政策，发布时只能从严。template 为其上级模板，looserThanTemplate 列出宽于上级模板的字段。 / ' +
      'The counties below take the nearest template as their defaults and may only tighten it.',
  })
  @ApiNotFoundResponse({ description: '省（市）不存在或不在辖区内 / POLICY_TEMPLATE_REGION_NOT_FOUND or REGION_NOT_FOUND' })
  current(@Param() params: PolicyTemplateParams): Promise<PolicyTemplateView> {
    return this.templates.current(params.regionId);
  }

  @Post()
  @HttpCode(201)
  @Roles('province_org_admin', 'city_org_admin')
  @ApiOperation({ summary: '发布新版政策模板 / publish the next version of the own template: overrides merged onto the current one' })
  @ApiBadRequestResponse({ description: '政策设置有误或低于种子文件底线 / VALIDATION_FAILED, POLICY_INVALID or POLICY_BELOW_SEED_FLOOR' })
  @ApiForbiddenResponse({ description: '仅省、市（州）委组织部发布本级模板 / only the region’s own organization department (POLICY_TEMPLATE_NOT_OWN_REGION)' })
  @ApiNotFoundResponse({ description: '省（市）不存在或不在辖区内 / POLICY_TEMPLATE_REGION_NOT_FOUND or REGION_NOT_FOUND' })
  @ApiConflictResponse({ description: '同一版本被同时发布 / POLICY_TEMPLATE_VERSION_CONFLICT' })
  @ApiUnprocessableEntityResponse({ description: '宽于上级（省）模板 / looser than the province’s template (POLICY_LOOSER_THAN_TEMPLATE, the fields in details.fields)' })
  publish(@CurrentUser() user: AuthUser, @Param() params: PolicyTemplateParams, @Body() dto: PublishPolicyDto): Promise<PolicyTemplateView> {
    return this.templates.publish(user, params.regionId, dto);
  }
}
