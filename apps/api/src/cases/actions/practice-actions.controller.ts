import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../../auth/auth.decorators';
import type { AuthUser } from '../../auth/auth-user';
import { Scoped } from '../../scope/scoped.decorator';
import { CaseAction } from './case-actions.controller';
import { CaseActionsService, type CaseActionResult } from './case-actions.service';
import { PassInspectionDto, SendBackInspectionDto } from './dto/inspection.dto';
import { ScoreAcceptanceDto } from './dto/score-acceptance.dto';

/**
 * Issue 18 items 2–3 over HTTP: the county's sign-off of key steps (关键环节督导把关) and the scored
 * acceptance (验收评分 and 群众满意度测评), as Updates of the case workflow like every case action.
 */
@ApiTags('整顿案件操作 case actions')
@ApiBearerAuth()
@Controller('cases/:id')
@Scoped('case', 'id')
export class PracticeActionsController {
  constructor(private readonly actions: CaseActionsService) {}

  @Post('inspections/pass')
  @CaseAction('passInspection', '督导把关：通过待把关的环节（问题清单、整顿方案、验收申请） / the county passes a step waiting for its sign-off', false)
  passInspection(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: PassInspectionDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'passInspection', dto);
  }

  @Post('inspections/send-back')
  @CaseAction('sendBackInspection', '督导把关：退回待把关的环节并书面说明理由 / the county sends a step back with a written reason', false)
  sendBackInspection(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: SendBackInspectionDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'sendBackInspection', dto);
  }

  @Post('acceptance/score')
  @CaseAction('scoreAcceptance', '验收评分：填写验收评分表和群众满意度测评 / the acceptance team scores the form and counts the satisfaction survey', true)
  scoreAcceptance(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: ScoreAcceptanceDto): Promise<CaseActionResult> {
    return this.actions.run(user, id, 'scoreAcceptance', dto);
  }
}
