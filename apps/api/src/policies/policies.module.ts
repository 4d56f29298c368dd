import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CountyPolicyEntity, PolicyTemplateEntity, RegionEntity } from '../../../../libs/persistence';
import { PoliciesController } from './policies.controller';
import { PoliciesService } from './policies.service';
import { PolicyTemplatesController } from './policy-templates.controller';
import { PolicyTemplatesService } from './policy-templates.service';

/**
 * County rectification policies (整顿政策): versions a county publishes; cases take the current one. A
 * province or city publishes a template (政策模板) its counties inherit and may only tighten.
 */
@Module({
  imports: [TypeOrmModule.forFeature([CountyPolicyEntity, PolicyTemplateEntity, RegionEntity])],
  controllers: [PoliciesController, PolicyTemplatesController],
  providers: [PoliciesService, PolicyTemplatesService],
  exports: [PoliciesService],
})
export class PoliciesModule {}
