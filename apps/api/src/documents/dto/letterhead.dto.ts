import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

const VISIBLE = /\S/;

/** The county's letterhead, as the county organization department keeps it (PUT replaces it whole). */
export class LetterheadDto {
  @ApiProperty({ description: '发文机关，如“××县委组织部” / issuing body', maxLength: 50, example: '禾丰县委组织部' })
  @IsString()
  @Matches(VISIBLE, { message: 'issuingBody must not be blank' })
  @MaxLength(50)
  issuingBody!: string;

  @ApiProperty({ description: '发文字号前缀，如“×组通”，文号印为“×组通〔2026〕1号” / document number prefix', maxLength: 20, example: '禾组通' })
  @IsString()
  @Matches(/^[^\s〔〕[\]]+$/u, { message: 'numberPrefix must be one word without spaces or 〔〕' })
  @MaxLength(20)
  numberPrefix!: string;

  @ApiPropertyOptional({ description: '红头（可不设），如“中共××县委组织部文件” / red header title', maxLength: 50, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(50)
  redHeaderTitle?: string | null;

  @ApiPropertyOptional({ description: '联系人 / contact person', maxLength: 50, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @MaxLength(50)
  contactPerson?: string | null;

  @ApiPropertyOptional({ description: '联系电话（空为不设） / contact phone, empty for none', maxLength: 30, nullable: true, type: String, example: '0551-12345678' })
  @IsOptional()
  @ValidateIf((_o, v) => v !== null)
  @Matches(/^(?:[0-9+\-() ]{3,30})?$/, { message: 'contactPhone must be a phone number' })
  @MaxLength(30)
  contactPhone?: string | null;
}
