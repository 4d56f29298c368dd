import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppUserEntity } from '../../../../libs/persistence';
import { UsersController } from './users.controller';

@Module({ imports: [TypeOrmModule.forFeature([AppUserEntity])], controllers: [UsersController] })
export class UsersModule {}
