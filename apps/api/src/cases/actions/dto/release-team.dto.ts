import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { ReleaseTeamInput } from '../../../../../../libs/domain';
import { NotBlank, TEXT_MAX } from './validators';

/** 不转化不脱钩: the team leaves the village, only once the case is converted. */
export class ReleaseTeamDto implements Omit<ReleaseTeamInput, 'actor'> {
  @ApiProperty({ description: '撤离说明 / why the team leaves now', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  reason!: string;
}
