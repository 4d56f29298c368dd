import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { DashboardQuery } from '../dashboard/dto/dashboard.query';
import { ExportsService, type ExportKind } from './exports.service';
import { XLSX_CONTENT_TYPE } from './xlsx';
import { PerUserConcurrencyLimit } from '../common/per-user-concurrency';

const XLSX_OK = { description: 'Excel 文件（.xlsx），文件名为中文 / the .xlsx file, with a Chinese file name', schema: { type: 'string', format: 'binary' } };

/**
 * Excel exports of a batch, scoped to the user's region like the dashboard: a county user exports the
 * county (or one township), a township user their township; a township outside the region answers 404.
 */
@ApiTags('导出 exports')
@ApiBearerAuth()
@ApiProduces(XLSX_CONTENT_TYPE)
@ApiBadRequestResponse({ description: '查询参数有误（batchYear 须为 2000–2100 的整数，townshipId 须为 UUID） / malformed query' })
@ApiUnauthorizedResponse({ description: '未登录 / no or invalid bearer token' })
@ApiNotFoundResponse({ description: '乡镇不存在或不在辖区内（TOWNSHIP_NOT_FOUND） / township outside your region' })
@Controller('exports')
@PerUserConcurrencyLimit()
export class ExportsController {
  constructor(private readonly exportsService: ExportsService) {}

  private async file(kind: ExportKind, user: AuthUser, query: DashboardQuery): Promise<StreamableFile> {
    const { buffer, disposition } = await this.exportsService.export(kind, user, query);
    return new StreamableFile(buffer, { type: XLSX_CONTENT_TYPE, disposition, length: buffer.length });
  }

  @Get('ledger.xlsx')
  @ApiOperation({
    summary: '导出整顿台账：每个整顿对象一行，含“六个一”各项进度 / the rectification ledger: one row per case across the six tracks',
  })
  @ApiOkResponse(XLSX_OK)
  ledger(@CurrentUser() user: AuthUser, @Query() query: DashboardQuery): Promise<StreamableFile> {
    return this.file('ledger', user, query);
  }

  @Get('problems.xlsx')
  @ApiOperation({ summary: '导出问题清单：每个问题一行（原因、治软/治散/治乱/治穷、病灶、销号情况） / every problem of the batch' })
  @ApiOkResponse(XLSX_OK)
  problems(@CurrentUser() user: AuthUser, @Query() query: DashboardQuery): Promise<StreamableFile> {
    return this.file('problems', user, query);
  }

  @Get('visits.xlsx')
  @ApiOperation({ summary: '导出联系领导调研指导记录：每次调研一行 / every guidance visit of the batch' })
  @ApiOkResponse(XLSX_OK)
  visits(@CurrentUser() user: AuthUser, @Query() query: DashboardQuery): Promise<StreamableFile> {
    return this.file('visits', user, query);
  }

  @Get('attachments.xlsx')
  @ApiOperation({ summary: '导出证明材料清单：每个附件一行（所属记录、文件名、类型、上传人、上传时间） / every attachment of the batch, beside the record it proves' })
  @ApiOkResponse(XLSX_OK)
  attachments(@CurrentUser() user: AuthUser, @Query() query: DashboardQuery): Promise<StreamableFile> {
    return this.file('attachments', user, query);
  }

  @Get('escalations.xlsx')
  @ApiOperation({ summary: '导出督办台账：督办、通报、约谈，每条一行 / every escalation of the batch' })
  @ApiOkResponse(XLSX_OK)
  escalations(@CurrentUser() user: AuthUser, @Query() query: DashboardQuery): Promise<StreamableFile> {
    return this.file('escalations', user, query);
  }
}
