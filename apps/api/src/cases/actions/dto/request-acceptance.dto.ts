import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { RequestAcceptanceInput } from '../../../../../../libs/domain';
import { NotBlank, TEXT_MAX } from './validators';

/** The township asks the county to accept the case; refused while any condition of acceptance is unmet. */
export class RequestAcceptanceDto implements Omit<RequestAcceptanceInput, 'actor'> {
  @ApiPropertyOptional({ description: '整顿情况小结 / summary of the rectification', maxLength: TEXT_MAX.long })
  @IsOptional()
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  summary?: string;
}
