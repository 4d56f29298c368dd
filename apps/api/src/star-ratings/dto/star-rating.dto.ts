import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { MAX_RATING_YEAR, MIN_REASON_LENGTH, MIN_RATING_YEAR, RATING_STAGES, type RatingStage, type Stars } from '../../../../../libs/domain';

const STARS = [1, 2, 3, 4, 5];

/** Start one organization's rating of a year (启动星级评定). */
export class StartRatingDto {
  @ApiProperty({ description: '基层党组织 ID / organization id', format: 'uuid' })
  @IsUUID('all')
  organizationId!: string;

  @ApiProperty({ description: '评定年度 / rating year', minimum: MIN_RATING_YEAR, maximum: MAX_RATING_YEAR, example: 2026 })
  @IsInt()
  @Min(MIN_RATING_YEAR)
  @Max(MAX_RATING_YEAR)
  year!: number;
}

/** Start the year's rating for every organization of the county (or one township) not yet started. */
export class LaunchRatingsDto {
  @ApiProperty({ description: '评定年度 / rating year', minimum: MIN_RATING_YEAR, maximum: MAX_RATING_YEAR, example: 2026 })
  @IsInt()
  @Min(MIN_RATING_YEAR)
  @Max(MAX_RATING_YEAR)
  year!: number;

  @ApiPropertyOptional({ description: '仅此乡镇（街道） / only this township', format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  townshipId?: string;
}

export class ListRatingsQuery {
  @ApiProperty({ description: '评定年度 / rating year', minimum: MIN_RATING_YEAR, maximum: MAX_RATING_YEAR })
  @Type(() => Number)
  @IsInt()
  @Min(MIN_RATING_YEAR)
  @Max(MAX_RATING_YEAR)
  year!: number;

  @ApiPropertyOptional({ description: '乡镇（街道） / township', format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  townshipId?: string;

  @ApiPropertyOptional({ description: '评定阶段 / stage', enum: RATING_STAGES })
  @IsOptional()
  @IsIn(RATING_STAGES)
  stage?: RatingStage;

  @ApiPropertyOptional({ description: '星级 / stars', enum: STARS })
  @IsOptional()
  @Type(() => Number)
  @IsIn(STARS)
  stars?: Stars;

  @ApiPropertyOptional({ description: '每页条数 / page size', default: 50, minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ description: '偏移量 / offset', default: 0, minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}

export class ApplyForRatingDto {
  @ApiProperty({ description: '自查得分（0–100） / self-assessed score', minimum: 0, maximum: 100 })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  selfScore!: number;

  @ApiProperty({ description: '申报星级 / stars applied for', enum: STARS })
  @IsIn(STARS)
  appliedStars!: Stars;

  @ApiProperty({ description: '自查情况（对照"六个基本"） / the self-check against the six basics', maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  selfCheck!: string;
}

/** The disqualifying conditions of seed 000 §三(一); each defaults to false. */
export class DisqualifiersDto {
  @ApiPropertyOptional({ description: '① 党组织负责人或党员有严重违纪违法行为' })
  @IsOptional()
  @IsBoolean()
  seriousViolation?: boolean;

  @ApiPropertyOptional({ description: '② 脱贫攻坚任务完成较差' })
  @IsOptional()
  @IsBoolean()
  poorPovertyAlleviation?: boolean;

  @ApiPropertyOptional({ description: '③ 未按要求履行工作职责，中心工作任务未完成，或在全县排名靠后' })
  @IsOptional()
  @IsBoolean()
  dutiesUnfulfilledOrRankedLow?: boolean;

  @ApiPropertyOptional({ description: '④ 未脱贫的贫困村（不能评为五星级）' })
  @IsOptional()
  @IsBoolean()
  unliftedPoorVillage?: boolean;
}

export class EvaluateRatingDto {
  @ApiProperty({ description: '考核得分（0–100） / evaluated score', minimum: 0, maximum: 100 })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  score!: number;

  @ApiPropertyOptional({ description: '否决情形 / disqualifying conditions', type: DisqualifiersDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => DisqualifiersDto)
  disqualifiers?: DisqualifiersDto;

  @ApiProperty({ description: '考核意见 / the evaluation\'s opinion', maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  opinion!: string;
}

export class RaiseObjectionDto {
  @ApiProperty({ description: '异议人（姓名或"群众来信"等） / who objected', maxLength: 100 })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  objector!: string;

  @ApiProperty({ description: '异议内容 / the objection', maxLength: 2000 })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  content!: string;
}

export class ResolveObjectionDto {
  @ApiProperty({ description: '异议是否成立：成立则重新考核，不成立则恢复公示 / upheld: evaluate again; dismissed: the notice resumes' })
  @IsBoolean()
  upheld!: boolean;

  @ApiProperty({ description: `处理意见（不少于${MIN_REASON_LENGTH}字） / the resolution, in writing`, minLength: MIN_REASON_LENGTH, maxLength: 2000 })
  @IsString()
  @MinLength(MIN_REASON_LENGTH)
  @MaxLength(2000)
  resolution!: string;
}

export class DowngradeRatingDto {
  @ApiProperty({ description: '调整后星级（低于现有星级） / the lower grade', enum: STARS })
  @IsIn(STARS)
  stars!: Stars;

  @ApiProperty({ description: `降级理由（不少于${MIN_REASON_LENGTH}字） / why, in writing`, minLength: MIN_REASON_LENGTH, maxLength: 2000 })
  @IsString()
  @MinLength(MIN_REASON_LENGTH)
  @MaxLength(2000)
  reason!: string;
}

export class RatingParams {
  @ApiProperty({ description: '星级评定 ID / rating id', example: 'star-rating-2026-…' })
  @IsString()
  @MaxLength(100)
  id!: string;
}

export class ObjectionParams extends RatingParams {
  @ApiProperty({ description: '异议 ID / objection id', example: 'o1' })
  @IsString()
  @MaxLength(20)
  objectionId!: string;
}
