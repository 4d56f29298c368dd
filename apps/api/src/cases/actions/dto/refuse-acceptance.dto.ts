import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import type { RefuseAcceptanceInput } from '../../../../../../libs/domain';
import { NotBlank, TEXT_MAX } from './validators';

/** The county refuses a request for acceptance; the case goes back to rectifying. */
export class RefuseAcceptanceDto implements Omit<RefuseAcceptanceInput, 'actor'> {
  @ApiProperty({ description: '不予验收的理由 / why the case is not accepted', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  reason!: string;
}
