import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CountyPolicyEntity, RegionEntity } from '../../../../libs/persistence';
import { PoliciesController } from './policies.controller';
import { PoliciesService } from './policies.service';

/** County rectification policies (整顿政策): versions a county publishes; cases take the current one. */
@Module({
  imports: [TypeOrmModule.forFeature([CountyPolicyEntity, RegionEntity])],
  controllers: [PoliciesController],
  providers: [PoliciesService],
  exports: [PoliciesService],
})
export class PoliciesModule {}
