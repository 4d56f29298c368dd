import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '../../../../libs/config';
import { Public } from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import { isSignedIn } from '../common/docs-access';
import { APP_CONFIG } from '../config/config.module';
import { HealthReport, HealthService } from './health.service';

/** What an anonymous caller learns in production: up or down, not versions, addresses or errors. */
export interface MinimalHealth {
  status: 'up' | 'down';
}

@ApiTags('健康检查 health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly auth: AuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @ApiOperation({
    summary: 'PostgreSQL 与 Temporal 的状态（分别报告） / status of PostgreSQL and Temporal, separately',
    description: '生产环境中未登录只答复 { status: up | down } / in production, without a token: only { status: up | down }',
  })
  async check(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<HealthReport | MinimalHealth> {
    const report = await this.health.check();
    res.status(report.status === 'ok' ? 200 : 503);
    // The details (server versions, the Temporal address, connection errors) help an attacker as much as an operator.
    if (this.config.nodeEnv === 'production' && !(await isSignedIn(this.auth, req))) return { status: report.status === 'ok' ? 'up' : 'down' };
    return report;
  }
}
