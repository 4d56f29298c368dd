import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ORGANIZATIONAL_HANDLING_MEASURES, type LocalDate, type OrganizationalHandlingMeasure, type RecordOrganizationalHandlingInput } from '../../../../../../libs/domain';
import { IsLocalDate, NotBlank, TEXT_MAX } from './validators';

/**
 * 组织处理: the county organization department records the decision it took after 约谈 — the measure,
 * who is handled, who decided, when and why. The ladder only asks for it; people decide.
 */
export class RecordOrganizationalHandlingDto implements Omit<RecordOrganizationalHandlingInput, 'actor'> {
  @ApiProperty({ description: '处理方式：admonition_talk 诫勉谈话、adjustment 调整、dismissal 免职、other 其他 / the measure', enum: ORGANIZATIONAL_HANDLING_MEASURES })
  @IsIn(ORGANIZATIONAL_HANDLING_MEASURES)
  measure!: OrganizationalHandlingMeasure;

  @ApiProperty({ description: '处理对象（姓名、职务） / who is handled (name and post)', maxLength: 100, example: '某镇党委书记 王某' })
  @IsString()
  @NotBlank()
  @MaxLength(100)
  subject!: string;

  @ApiProperty({ description: '决定机关或决定人 / who decided', maxLength: 100, example: '县委组织部部务会' })
  @IsString()
  @NotBlank()
  @MaxLength(100)
  decidedBy!: string;

  @ApiProperty({ description: '决定日期 / date decided (YYYY-MM-DD, not in the future)', example: '2027-02-20' })
  @IsLocalDate()
  decidedOn!: LocalDate;

  @ApiProperty({ description: '处理理由 / why', maxLength: TEXT_MAX.long })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.long)
  reason!: string;

  @ApiPropertyOptional({ description: '所针对的逾期事项（默认：提请研究的全部事项） / the overdue deadlines it answers (default: all put to the county)', type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(150, { each: true })
  deadlineKeys?: string[];
}
