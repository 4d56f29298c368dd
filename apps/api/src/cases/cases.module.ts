import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppUserEntity, OrganizationEntity, RectificationCaseEntity, RegionEntity } from '../../../../libs/persistence';
import { PoliciesModule } from '../policies/policies.module';
import { CaseActionsController } from './actions/case-actions.controller';
import { CaseActionsService } from './actions/case-actions.service';
import { ExtensionActionsController } from './actions/extension-actions.controller';
import { idempotencyKeyMiddleware } from './actions/idempotency-key';
import { PracticeActionsController } from './actions/practice-actions.controller';
import { CasesController } from './cases.controller';
import { CasesService } from './cases.service';

@Module({
  imports: [TypeOrmModule.forFeature([OrganizationEntity, RectificationCaseEntity, AppUserEntity, RegionEntity]), PoliciesModule],
  controllers: [CasesController, CaseActionsController, PracticeActionsController, ExtensionActionsController],
  providers: [CasesService, CaseActionsService],
  exports: [CasesService],
})
export class CasesModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(idempotencyKeyMiddleware).forRoutes(CaseActionsController, PracticeActionsController, ExtensionActionsController);
  }
}
