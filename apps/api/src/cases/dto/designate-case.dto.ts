import { ApiProperty } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { DESIGNATION_EVIDENCE_MIN_LENGTH, DESIGNATION_REASONS, MANUAL_DESIGNATION_REASONS, MAX_BATCH_YEAR, MIN_BATCH_YEAR, type DesignationReason } from '../../../../../libs/domain';

/**
 * 认定依据: written evidence of at least DESIGNATION_EVIDENCE_MIN_LENGTH characters once spaces are
 * trimmed. Reported as `isDesignationEvidence`, which the validation message words in Chinese.
 */
function DesignationEvidence(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isDesignationEvidence',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must give the written evidence of the designation (认定依据), at least ${DESIGNATION_EVIDENCE_MIN_LENGTH} characters`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && value.trim().length >= DESIGNATION_EVIDENCE_MIN_LENGTH },
    });
}

/** Designate an organization as a weak org for a year's batch (认定软弱涣散党组织). */
export class DesignateCaseDto {
  @ApiProperty({ description: '基层党组织 ID / organization id', format: 'uuid' })
  @IsUUID('all')
  organizationId!: string;

  @ApiProperty({ description: '整顿批次年度 / batch year', minimum: MIN_BATCH_YEAR, maximum: MAX_BATCH_YEAR, example: 2026 })
  @IsInt()
  @Min(MIN_BATCH_YEAR)
  @Max(MAX_BATCH_YEAR)
  batchYear!: number;

  @ApiProperty({
    description:
      '认定原因，限 C1–C6（seed 001 §一(一)）；星级评定为一星级（S1）的由系统自动认定，此处填 S1 答复 400 ONE_STAR_DESIGNATED_AUTOMATICALLY / ' +
      'designation reasons, C1–C6 only; S1 (rated one star) is designated automatically from the star rating and refused here',
    enum: DESIGNATION_REASONS,
    isArray: true,
    example: ['C1', 'C4'],
  })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayUnique()
  @ArrayMaxSize(DESIGNATION_REASONS.length)
  @IsIn(DESIGNATION_REASONS, { each: true })
  // S1 passes the pipe so the service can say why it is refused (400 ONE_STAR_DESIGNATED_AUTOMATICALLY); the document offers C1–C6 only.
  // A function replaces the generated items (an object would be merged index by index into IsIn's list, S1 included).
  @JSONSchema((schema) => ({ ...schema, items: { type: 'string', enum: [...MANUAL_DESIGNATION_REASONS] } }))
  reasons!: DesignationReason[];

  @ApiProperty({
    description: `认定依据（书面写明认定的事实和佐证，去除首尾空格后不少于${DESIGNATION_EVIDENCE_MIN_LENGTH}个字） / the written evidence of the designation, at least ${DESIGNATION_EVIDENCE_MIN_LENGTH} characters`,
    minLength: DESIGNATION_EVIDENCE_MIN_LENGTH,
    maxLength: 2000,
    example: '书记长期缺职，2025年以来未召开支部委员会会议',
  })
  @IsString()
  @DesignationEvidence()
  @MaxLength(2000)
  note!: string;

}
