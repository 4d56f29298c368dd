import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Query, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { InjectRepository } from '@nestjs/typeorm';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { Repository } from 'typeorm';
import { OrganizationEntity } from '../../../../libs/persistence';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { SpreadsheetUploadInterceptor } from '../common/spreadsheet-upload';
import { attachmentDisposition, XLSX_CONTENT_TYPE } from '../exports/xlsx';
import { ScopeService } from '../scope/scope.service';
import { CreateOrganizationDto, ImportOrganizationsQuery, OrganizationParams, UpdateOrganizationDto } from './dto/organization.dto';
import { organizationTemplate } from './organization-import';
import { OrganizationsService, type ImportResult, type UploadedImportFile } from './organizations.service';

export class ListOrganizationsQuery {
  @ApiPropertyOptional({ description: '乡镇（街道） / township id', format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  townshipId?: string;

  @ApiPropertyOptional({ description: '名称关键字 / name contains' })
  @IsOptional()
  @IsString()
  @MaxLength(50)
  q?: string;

  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: 1_000_000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}

@ApiTags('基层党组织 organizations')
@ApiBearerAuth()
@Controller('organizations')
export class OrganizationsController {
  constructor(
    @InjectRepository(OrganizationEntity) private readonly organizations: Repository<OrganizationEntity>,
    private readonly scope: ScopeService,
    private readonly service: OrganizationsService,
  ) {}

  @Get()
  @ApiOperation({ summary: '基层党组织列表 / list organizations' })
  async list(@CurrentUser() user: AuthUser, @Query() query: ListOrganizationsQuery) {
    const qb = this.organizations.createQueryBuilder('o');
    if (query.townshipId) qb.andWhere('o.township_id = :townshipId', { townshipId: query.townshipId });
    if (query.q) qb.andWhere(`o.name ILIKE :q ESCAPE '\\'`, { q: `%${query.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%` });
    // A village-level user sees their own organization: it sits in their region.
    this.scope.restrict(qb, user, 'o', 'id');
    const [items, total] = await qb
      .orderBy('o.code', 'ASC')
      .take(query.limit ?? 50)
      .skip(query.offset ?? 0)
      .getManyAndCount();
    return { total, items };
  }

  // Declared before :id, which would otherwise take "import" as an id.
  @Get('import/template.xlsx')
  @Roles('county_org_admin')
  @ApiProduces(XLSX_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '党组织导入模板（编码、名称、类型、所在村（社区）或乡镇编码、书记）/ the organization import template' })
  @ApiOkResponse({ description: 'Excel 文件 / the .xlsx file', schema: { type: 'string', format: 'binary' } })
  @ApiForbiddenResponse({ description: '仅县委组织部 / county organization department only' })
  async template(): Promise<StreamableFile> {
    const buffer = await organizationTemplate();
    return new StreamableFile(buffer, { type: XLSX_CONTENT_TYPE, disposition: attachmentDisposition('organizations-template.xlsx', '党组织导入模板.xlsx'), length: buffer.length });
  }

  @Get(':id')
  @ApiOperation({ summary: '基层党组织详情 / one organization' })
  @ApiNotFoundResponse({ description: '不存在或不在本辖区 / unknown or outside the user’s region (ORGANIZATION_NOT_FOUND)' })
  get(@CurrentUser() user: AuthUser, @Param() params: OrganizationParams): Promise<OrganizationEntity> {
    return this.service.get(user, params.id);
  }

  @Post()
  @HttpCode(201)
  @Roles('county_org_admin')
  @ApiOperation({ summary: '登记基层党组织 / register an organization in the county' })
  @ApiBadRequestResponse({ description: '参数有误或所在地层级不符 / VALIDATION_FAILED or REGION_LEVEL_MISMATCH' })
  @ApiForbiddenResponse({ description: '仅县委组织部 / county organization department only' })
  @ApiNotFoundResponse({ description: '所在地不存在或不在本县（区）/ REGION_NOT_FOUND' })
  @ApiConflictResponse({ description: '编码已被使用 / ORGANIZATION_CODE_TAKEN' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateOrganizationDto): Promise<OrganizationEntity> {
    return this.service.create(user, dto);
  }

  @Post('import')
  @HttpCode(201)
  @Roles('county_org_admin')
  @UseInterceptors(SpreadsheetUploadInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description:
      '.xlsx 或 .csv（≤ IMPORT_MAX_FILE_MB，默认 5 MB；.xlsx 解压后 ≤ IMPORT_MAX_UNCOMPRESSED_MB，默认 50 MB；≤ IMPORT_MAX_ROWS 行，默认 20000），' +
      '首行为表头：编码、名称、类型（中文或代码）、所在村（社区）或乡镇编码、书记（可选）；英文表头 code, name, domain, regionCode, secretaryName 亦可 / ' +
      'an .xlsx or .csv file (at most 5 MB, 50 MB unzipped, 20,000 rows by default) with a header row',
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiOperation({ summary: '批量导入基层党组织 / bulk import organizations from Excel or CSV' })
  @ApiBadRequestResponse({
    description:
      '文件有误：IMPORT_INVALID 列出前 IMPORT_MAX_REPORTED_PROBLEMS 个问题（行号、列、原因）并给出其余问题数，未导入任何数据 / the first problems listed and the rest counted, nothing imported',
  })
  @ApiPayloadTooLargeResponse({
    description: '文件过大（PAYLOAD_TOO_LARGE）、解压后过大（IMPORT_UNCOMPRESSED_TOO_LARGE）或行数过多（IMPORT_TOO_MANY_ROWS）/ file, unzipped size or rows over the caps',
  })
  import(@CurrentUser() user: AuthUser, @Query() query: ImportOrganizationsQuery, @UploadedFile() file: UploadedImportFile | undefined): Promise<ImportResult> {
    return this.service.import(user, file, query.mode ?? 'all');
  }

  @Patch(':id')
  @Roles('county_org_admin')
  @ApiOperation({ summary: '修改基层党组织（名称、类型、现任书记）/ change name, domain or current secretary' })
  @ApiBadRequestResponse({ description: '参数有误 / VALIDATION_FAILED or REGION_LEVEL_MISMATCH' })
  @ApiNotFoundResponse({ description: '不存在或不在本县（区）/ ORGANIZATION_NOT_FOUND' })
  update(@CurrentUser() user: AuthUser, @Param() params: OrganizationParams, @Body() dto: UpdateOrganizationDto): Promise<OrganizationEntity> {
    return this.service.update(user, params.id, dto);
  }
}
