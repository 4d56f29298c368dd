import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

/** Assign a task to a person who holds its role in its region (分派待办). */
export class AssignTaskDto {
  @ApiProperty({ description: '被分派人的用户 ID / the user to assign the task to', format: 'uuid' })
  @IsUUID('all')
  userId!: string;
}
