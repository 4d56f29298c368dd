import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

export class PolicyTemplateParams {
  @ApiProperty({ description: '省或市（州）的区划 ID / the province or city region id', format: 'uuid' })
  @IsUUID('all')
  regionId!: string;
}
