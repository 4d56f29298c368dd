import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsString, MaxLength } from 'class-validator';
import type { AddMeasureInput, LocalDate } from '../../../../../../libs/domain';
import { IsLocalDate, NotBlank, TEXT_MAX } from './validators';

/** 一村一策: a measure of the plan against problems of the list, with its owner and due date. */
export class AddMeasureDto implements Omit<AddMeasureInput, 'actor'> {
  @ApiProperty({ description: '整改措施 / the measure', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  description!: string;

  @ApiProperty({ description: '针对的问题 ID / ids of the problems it addresses', type: [String], maxItems: 100 })
  @IsArray()
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(TEXT_MAX.id, { each: true })
  problemIds!: string[];

  @ApiProperty({ description: '责任人 / owner', maxLength: TEXT_MAX.owner })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.owner)
  owner!: string;

  @ApiProperty({ description: '完成时限 / due date (YYYY-MM-DD)', example: '2026-09-30' })
  @IsLocalDate()
  dueOn!: LocalDate;
}
