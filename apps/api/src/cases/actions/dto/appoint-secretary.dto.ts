import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsString, MaxLength } from 'class-validator';
import { SECRETARY_SOURCES, type AppointSecretaryInput, type LocalDate, type SecretarySource } from '../../../../../../libs/domain';
import { IsLocalDate, NotBlank, TEXT_MAX } from './validators';
import { LateReason, OptionalLocalDate } from './later-rules';

/** 一个关键: a qualified branch secretary in place, from the village or dispatched as first secretary. */
export class AppointSecretaryDto implements Omit<AppointSecretaryInput, 'actor'> {
  @ApiProperty({ description: '书记姓名 / name of the secretary', maxLength: TEXT_MAX.personName })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.personName)
  name!: string;

  @ApiProperty({ description: '人选来源 / from_village 从本村产生, first_secretary 选派第一书记', enum: SECRETARY_SOURCES })
  @IsIn(SECRETARY_SOURCES)
  source!: SecretarySource;

  @ApiProperty({ description: '任职日期 / date appointed (YYYY-MM-DD, not in the future)', example: '2026-06-15' })
  @IsLocalDate()
  appointedOn!: LocalDate;

  @OptionalLocalDate('第一书记任期截止日期（选派第一书记时必填） / end of a first secretary\'s posting (required for first_secretary)')
  termEndsOn?: LocalDate;

  @LateReason()
  lateReason?: string;
}
