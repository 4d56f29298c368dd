import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationEntity } from '../../../../libs/persistence';
import { OrganizationsController } from './organizations.controller';

@Module({ imports: [TypeOrmModule.forFeature([OrganizationEntity])], controllers: [OrganizationsController] })
export class OrganizationsModule {}
