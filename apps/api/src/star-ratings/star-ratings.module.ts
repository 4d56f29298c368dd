import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditEntryEntity, OrganizationEntity, RegionEntity, StarRatingEntity } from '../../../../libs/persistence';
import { PoliciesModule } from '../policies/policies.module';
import { StarRatingsController } from './star-ratings.controller';
import { StarRatingsService } from './star-ratings.service';

/** The yearly star rating (星级评定) of every organization, the source of one-star designations. */
@Module({
  imports: [TypeOrmModule.forFeature([StarRatingEntity, OrganizationEntity, RegionEntity, AuditEntryEntity]), PoliciesModule],
  controllers: [StarRatingsController],
  providers: [StarRatingsService],
})
export class StarRatingsModule {}
