import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsInt, IsNumber, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { PLAYBOOK_CONDITION_CODES, type AcceptanceForm, type Playbook, type PlaybookConditionCode } from '../../../../../libs/domain';

/** One kind's playbook (issue 18 item 1): its sixth track, how many projects, which acceptance conditions. */
export class PlaybookDto implements Playbook {
  @ApiProperty({ description: '第六项（一个项目）名称 / the sixth track, e.g. 村集体经济项目 or 党建引领服务项目', maxLength: 50 })
  @IsString()
  @MaxLength(50)
  sixthTrack!: string;

  @ApiProperty({ description: '验收前须有的项目数（农村不少于1）/ projects required before acceptance (villages at least 1)', minimum: 0, maximum: 10 })
  @IsInt()
  @Min(0)
  @Max(10)
  minProjects!: number;

  @ApiProperty({ description: '适用的验收条件 / the acceptance conditions that apply', enum: PLAYBOOK_CONDITION_CODES, isArray: true })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(PLAYBOOK_CONDITION_CODES.length)
  @IsIn(PLAYBOOK_CONDITION_CODES, { each: true })
  conditions!: PlaybookConditionCode[];
}

export class AcceptanceFormItemDto {
  @ApiProperty({ description: '评分项编号 / item code', maxLength: 20 })
  @IsString()
  @MaxLength(20)
  code!: string;

  @ApiProperty({ description: '评分项 / item', maxLength: 100 })
  @IsString()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ description: '满分（权重）/ maximum score (its weight)', minimum: 1, maximum: 100 })
  @IsInt()
  @Min(1)
  @Max(100)
  max!: number;
}

export class AcceptanceFormAreaDto {
  @ApiProperty({ description: '评分方面编号 / area code', maxLength: 20 })
  @IsString()
  @MaxLength(20)
  code!: string;

  @ApiProperty({ description: '评分方面 / area', maxLength: 100 })
  @IsString()
  @MaxLength(100)
  name!: string;

  @ApiProperty({ type: [AcceptanceFormItemDto], minItems: 1, maxItems: 20 })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => AcceptanceFormItemDto)
  items!: AcceptanceFormItemDto[];
}

/** 验收评分表 (issue 18 item 3): areas of weighted items, the pass mark, the satisfaction veto. */
export class AcceptanceFormDto implements AcceptanceForm {
  @ApiProperty({ type: [AcceptanceFormAreaDto], minItems: 1, maxItems: 12 })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(12)
  @ValidateNested({ each: true })
  @Type(() => AcceptanceFormAreaDto)
  areas!: AcceptanceFormAreaDto[];

  @ApiProperty({ description: '合格分 / pass mark', minimum: 1, maximum: 1000, example: 70 })
  @IsInt()
  @Min(1)
  @Max(1000)
  passMark!: number;

  @ApiPropertyOptional({ description: '不满意率否决线（不高于0.5）/ veto when dissatisfied exceed this share of those asked (at most 0.5)', minimum: 0.01, maximum: 0.5, example: 0.5 })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(0.5)
  vetoDissatisfiedShare!: number;
}
