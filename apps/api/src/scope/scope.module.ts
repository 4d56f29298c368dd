import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationEntity, RectificationCaseEntity } from '../../../../libs/persistence';
import { ScopeService } from './scope.service';

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([RectificationCaseEntity, OrganizationEntity])],
  providers: [ScopeService],
  exports: [ScopeService],
})
export class ScopeModule {}
