import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsInt, IsNumber, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import type { ScoreAcceptanceInput } from '../../../../../../libs/domain';
import { NotBlank, TEXT_MAX } from './validators';

export class AcceptanceItemScoreDto {
  @ApiProperty({ description: '评分项编号（案件验收评分表） / the item\'s code on the case\'s form', maxLength: 20 })
  @IsString()
  @NotBlank()
  @MaxLength(20)
  code!: string;

  @ApiProperty({ description: '得分（0 至该项满分，至多一位小数） / score, 0 to the item\'s maximum, one decimal at most', minimum: 0, maximum: 100 })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 1 })
  @Min(0)
  @Max(100)
  score!: number;
}

export class SatisfactionSurveyDto {
  @ApiProperty({ description: '测评人数 / people asked', minimum: 1, maximum: 100000 })
  @IsInt()
  @Min(1)
  @Max(100000)
  asked!: number;

  @ApiProperty({ description: '满意人数 / satisfied', minimum: 0, maximum: 100000 })
  @IsInt()
  @Min(0)
  @Max(100000)
  satisfied!: number;

  @ApiProperty({ description: '不满意人数 / dissatisfied', minimum: 0, maximum: 100000 })
  @IsInt()
  @Min(0)
  @Max(100000)
  dissatisfied!: number;
}

/** 验收评分: the county's acceptance team fills the case's form and counts the satisfaction survey. */
export class ScoreAcceptanceDto implements Omit<ScoreAcceptanceInput, 'actor'> {
  @ApiProperty({ description: '逐项得分 / a score for every item of the form', type: [AcceptanceItemScoreDto], minItems: 1, maxItems: 200 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => AcceptanceItemScoreDto)
  items!: AcceptanceItemScoreDto[];

  @ApiProperty({ description: '群众满意度测评 / the satisfaction survey', type: SatisfactionSurveyDto })
  @ValidateNested()
  @Type(() => SatisfactionSurveyDto)
  survey!: SatisfactionSurveyDto;

  @ApiPropertyOptional({ description: '评分说明 / note', maxLength: TEXT_MAX.long })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_MAX.long)
  note?: string;
}
