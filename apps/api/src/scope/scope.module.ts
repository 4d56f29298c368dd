import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationEntity, RectificationCaseEntity, TaskEntity } from '../../../../libs/persistence';
import { ScopeService } from './scope.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([RectificationCaseEntity, OrganizationEntity, TaskEntity])],
  providers: [ScopeService],
  exports: [ScopeService],
})
export class ScopeModule {}
