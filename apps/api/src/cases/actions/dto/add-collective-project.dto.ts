import { ApiProperty } from '@nestjs/swagger';
import { IsNumber, IsString, Max, MaxLength, Min } from 'class-validator';
import type { AddCollectiveProjectInput, LocalDate } from '../../../../../../libs/domain';
import { IsLocalDate, MONEY_MAX, NotBlank, TEXT_MAX } from './validators';

/** 一个项目: a collective-economy project of the village, with its support funds and expected income (yuan). */
export class AddCollectiveProjectDto implements Omit<AddCollectiveProjectInput, 'actor'> {
  @ApiProperty({ description: '项目名称 / name', maxLength: TEXT_MAX.title })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.title)
  name!: string;

  @ApiProperty({ description: '项目类型 / kind (e.g. 光伏发电, 土地流转)', maxLength: TEXT_MAX.kind })
  @IsString()
  @NotBlank()
  @MaxLength(TEXT_MAX.kind)
  kind!: string;

  @ApiProperty({ description: '扶持资金（元） / support funds in yuan, ≥ 0', minimum: 0 })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(MONEY_MAX)
  supportFunds!: number;

  @ApiProperty({ description: '启动日期 / start date (YYYY-MM-DD)', example: '2026-08-01' })
  @IsLocalDate()
  startOn!: LocalDate;

  @ApiProperty({ description: '预期年收益（元） / expected yearly income in yuan, ≥ 0', minimum: 0 })
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(MONEY_MAX)
  expectedYearlyIncome!: number;
}
