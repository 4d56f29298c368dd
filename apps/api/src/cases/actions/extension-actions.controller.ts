import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../auth/auth.decorators';
import type { AuthUser } from '../../auth/auth-user';
import { Scoped } from '../../scope/scoped.decorator';
import { CaseAction } from './case-actions.controller';
import { CaseActionsService, type CaseActionResult } from './case-actions.service';
import { DecideExtensionDto, RequestExtensionDto } from './dto/extension.dto';

/**
 * 延期 over HTTP (issue 20 item 2): a deadline of the case moves only when the county organization
 * department approves a written request; both are Updates of the case workflow like every case action.
 */
@ApiTags('整顿案件操作 case actions')
@ApiBearerAuth()
@Controller('cases/:id')
@Scoped('case', 'id')
export class ExtensionActionsController {
  constructor(private readonly actions: CaseActionsService) {}

  @Post('extensions')
  @CaseAction('requestExtension', '申请延期：整改措施期限（整建队伍、乡镇）或书记选配期限（乡镇，政策允许时），写明新日期和理由 / ask to move a deadline, with the new date and the reason', true)
  requestExtension(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: RequestExtensionDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'requestExtension', dto);
  }

  @Post('extensions/decision')
  @CaseAction('decideExtension', '审批延期申请：批准则期限顺延、原期限的督办等以"已延期"办结；不批准则期限不变 / approve or refuse an extension request, with the reason', false)
  decideExtension(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: DecideExtensionDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'decideExtension', dto);
  }
}
