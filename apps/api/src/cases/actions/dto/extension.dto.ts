import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsString, MaxLength, ValidateIf } from 'class-validator';
import { EXTENSIBLE_DEADLINE_KINDS, type DecideExtensionInput, type ExtensibleDeadlineKind, type LocalDate, type RequestExtensionInput } from '../../../../../../libs/domain';
import { IsLocalDate, NotBlank, TEXT_MAX } from './validators';

/** 延期: the team (a measure's deadline) or the township (the secretary deadline) asks for a new date. */
export class RequestExtensionDto implements Omit<RequestExtensionInput, 'actor'> {
  @ApiProperty({ description: '延期事项：整改措施期限（measure）或书记选配期限（secretary） / which deadline', enum: EXTENSIBLE_DEADLINE_KINDS })
  @IsIn(EXTENSIBLE_DEADLINE_KINDS)
  deadline!: ExtensibleDeadlineKind;

  @ApiPropertyOptional({ description: '整改措施（deadline 为 measure 时必填，见案件 measures） / the measure, for a measure\'s deadline', maxLength: 40 })
  @ValidateIf((o: RequestExtensionDto) => o.deadline === 'measure' || o.measureId !== undefined)
  @IsString()
  @NotBlank()
  @MaxLength(40)
  measureId?: string;

  @ApiProperty({ description: '申请延至 / the new date (YYYY-MM-DD)', example: '2026-10-31' })
  @IsLocalDate()
  newDueOn!: LocalDate;

  @ApiProperty({ description: '延期理由（不少于政策规定字数，默认10字） / the written reason (at least the policy\'s length, default 10)', maxLength: 1000 })
  @IsString()
  @NotBlank()
  @MaxLength(1000)
  reason!: string;
}

/** 延期: the county organization department approves or refuses a request, with the reason. */
export class DecideExtensionDto implements Omit<DecideExtensionInput, 'actor'> {
  @ApiProperty({ description: '待审批的延期申请（见案件 extensions） / the request, from the case\'s extensions', maxLength: 40 })
  @IsString()
  @NotBlank()
  @MaxLength(40)
  extensionId!: string;

  @ApiProperty({ description: '是否批准 / approve (true) or refuse (false)' })
  @IsBoolean()
  approve!: boolean;

  @ApiProperty({ description: '审批意见（不少于政策规定字数，默认10字） / the written reason (at least the policy\'s length, default 10)', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  reason!: string;
}
