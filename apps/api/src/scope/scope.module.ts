import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationEntity, RectificationCaseEntity, RegionEntity, StarRatingEntity, TaskEntity } from '../../../../libs/persistence';
import { ScopeService } from './scope.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([RectificationCaseEntity, OrganizationEntity, TaskEntity, StarRatingEntity, RegionEntity])],
  providers: [ScopeService],
  exports: [ScopeService],
})
export class ScopeModule {}
