import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import type { UpdateMeasureProgressInput } from '../../../../../../libs/domain';
import { NotBlank, TEXT_MAX } from './validators';

/** 台账: an entry of a measure's progress ledger (the measure is named in the path); 100 means done. */
export class UpdateMeasureProgressDto implements Omit<UpdateMeasureProgressInput, 'actor' | 'measureId'> {
  @ApiProperty({ description: '完成进度（%） / percent done, 0–100', minimum: 0, maximum: 100 })
  @IsInt()
  @Min(0)
  @Max(100)
  percent!: number;

  @ApiProperty({ description: '进展说明 / what was done', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  note!: string;
}
