import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { CurrentUser, Public } from './auth.decorators';
import { AuthService, LoginResult } from './auth.service';
import type { AuthUser } from './auth-user';
import { LoginDto } from './dto/login.dto';

@ApiTags('登录 auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: '登录，获取令牌 / sign in for a bearer token' })
  @ApiUnauthorizedResponse({ description: '用户名或密码错误 / wrong username or password' })
  login(@Body() dto: LoginDto): Promise<LoginResult> {
    return this.auth.login(dto.username, dto.password);
  }

  @Get('me')
  @ApiBearerAuth()
  @ApiOperation({ summary: '当前用户 / the signed-in user' })
  me(@CurrentUser() user: AuthUser): AuthUser {
    return user;
  }
}
