import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { MANUAL_DESIGNATION_REASONS, type AddDesignationReasonInput } from '../../../../../../libs/domain';
import { NotBlank, TEXT_MAX } from './validators';

type ManualReason = (typeof MANUAL_DESIGNATION_REASONS)[number];

/**
 * A further reason found for a designated case (C1–C6, by the county organization department). S1
 * (one star) is added only by the star rating itself.
 */
export class AddDesignationReasonDto implements Omit<AddDesignationReasonInput, 'actor' | 'secretaryAdjustment' | 'reason'> {
  @ApiProperty({ description: '认定原因 C1–C6 / the designation reason', enum: MANUAL_DESIGNATION_REASONS })
  @IsIn(MANUAL_DESIGNATION_REASONS)
  reason!: ManualReason;

  @ApiProperty({ description: '认定说明 / why the reason applies', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  note!: string;
}
