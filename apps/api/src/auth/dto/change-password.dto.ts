import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class ChangePasswordDto {
  @ApiProperty({ description: '当前密码（含一次性密码）/ the current password, one-time or not' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  currentPassword!: string;

  @ApiProperty({ description: '新密码：至少 10 个字符，不能与用户名相同，不能是常见密码 / at least 10 characters, not the username, not a common password', minLength: 10 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  newPassword!: string;
}
