import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ description: '用户名 / username', example: 'zzb_admin' })
  @IsString()
  @MinLength(1)
  @MaxLength(50)
  username!: string;

  @ApiProperty({ description: '密码 / password', example: 'Demo@2026' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password!: string;
}
