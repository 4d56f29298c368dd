import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsLocalDate, TEXT_MAX } from './validators';

/**
 * Optional fields issue 16 added to existing actions. The workflow's rules decide when they are needed
 * (a late record's reason, evidence, a first secretary's end date) and refuse naming the rule.
 */
export function OptionalText(description: string, max: number = TEXT_MAX.long): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ description, maxLength: max }), IsOptional(), IsString(), MaxLength(max));
}

export function OptionalLocalDate(description: string): PropertyDecorator {
  return applyDecorators(ApiPropertyOptional({ description, example: '2027-06-30' }), IsOptional(), IsLocalDate());
}

/** 补录: required by the rule when the record is dated more than the policy's window (default 30 days) back. */
export const LateReason = () =>
  OptionalText('补录理由：记录日期早于规定期限（默认30天），或补记到已督办的季度时必填，记入审计并标为补录 / why the record is entered late (required past the policy\'s window or into an escalated quarter)');
