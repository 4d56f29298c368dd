import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationEntity, RectificationCaseEntity, StarRatingEntity, TaskEntity } from '../../../../libs/persistence';
import { ScopeService } from './scope.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([RectificationCaseEntity, OrganizationEntity, TaskEntity, StarRatingEntity])],
  providers: [ScopeService],
  exports: [ScopeService],
})
export class ScopeModule {}
