import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationEntity, RegionEntity } from '../../../../libs/persistence';
import { OrganizationsController } from './organizations.controller';
import { OrganizationsService } from './organizations.service';

/** The organization registry (基层党组织名册): list, one, create, change, bulk import. */
@Module({
  imports: [TypeOrmModule.forFeature([OrganizationEntity, RegionEntity])],
  controllers: [OrganizationsController],
  providers: [OrganizationsService],
})
export class OrganizationsModule {}
