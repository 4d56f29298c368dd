import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';

/** Narrows a batch view to one township of the user's region. */
export class BatchQuery {
  @ApiPropertyOptional({
    description: '只看一个乡镇（街道）；不在辖区内的乡镇返回 404 / one township of your region (404 outside it)',
    format: 'uuid',
  })
  @IsOptional()
  @IsUUID('all')
  townshipId?: string;
}
