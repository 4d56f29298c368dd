import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { CURE_TAGS, PROBLEM_REASON_CODES, type AddProblemInput, type CureTag, type ProblemReasonCode } from '../../../../../../libs/domain';
import { NotBlank, TEXT_MAX } from './validators';

/** 过筛子: a problem found, with its root cause (病灶) and evidence, onto the problem list. */
export class AddProblemDto implements Omit<AddProblemInput, 'actor'> {
  @ApiProperty({ description: '问题描述 / the problem', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  description!: string;

  @ApiProperty({ description: '问题类别（C1–C6） / category, the designation reasons C1–C6', enum: PROBLEM_REASON_CODES })
  @IsIn(PROBLEM_REASON_CODES)
  reasonCode!: ProblemReasonCode;

  @ApiProperty({ description: '整治方向 / what its cure targets', enum: CURE_TAGS })
  @IsIn(CURE_TAGS)
  cureTag!: CureTag;

  @ApiProperty({ description: '病灶（根源） / root cause', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  rootCause!: string;

  @ApiProperty({ description: '佐证材料 / evidence', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  evidence!: string;
}
