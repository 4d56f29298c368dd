import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { REMOVAL_REASON_MIN_LENGTH, type RemoveFromListInput } from '../../../../../../libs/domain';
import { NotBlank, TEXT_MAX } from './validators';

/**
 * 移出整顿名单: the county organization department takes an organization off the list, in writing. The
 * workflow refuses a reason shorter than REMOVAL_REASON_MIN_LENGTH (rule REMOVAL_REASON_REQUIRED) and
 * any one-star case (ONE_STAR_CANNOT_BE_REMOVED).
 */
export class RemoveFromListDto implements Omit<RemoveFromListInput, 'actor'> {
  @ApiProperty({
    description: `移出整顿名单的书面理由，不少于${REMOVAL_REASON_MIN_LENGTH}个字，记入审计记录 / the written reason, at least ${REMOVAL_REASON_MIN_LENGTH} characters; kept in the audit trail`,
    minLength: REMOVAL_REASON_MIN_LENGTH,
    maxLength: TEXT_MAX.long,
    example: '经县委组织部复核，该村认定所依据的信访问题系误报，班子运转正常',
  })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  reason!: string;
}
