import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post, Query, StreamableFile, UploadedFile, UseInterceptors } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { SpreadsheetUploadInterceptor, type UploadedSpreadsheet } from '../common/spreadsheet-upload';
import { attachmentDisposition, XLSX_CONTENT_TYPE } from '../exports/xlsx';
import { CreateRegionDto, ImportRegionsQuery, RegionParams, RenameRegionDto } from './dto/region.dto';
import { regionTemplate } from './region-import';
import { RegionsService, type RegionImportResult, type RegionTreeNode, type RegionView } from './regions.service';
import { Scoped } from '../scope/scoped.decorator';

@ApiTags('区划 regions')
@ApiBearerAuth()
@Controller('regions')
export class RegionsController {
  constructor(private readonly regions: RegionsService) {}

  @Get()
  @ApiOperation({
    summary: '本辖区区划树 / the region tree of my place',
    description:
      '县级用户得到全县：root 为县（区），children 为乡镇（街道），其 children 为村（社区）；乡镇用户得到本乡镇，村级用户得到本村。每个节点含 organizations（党组织数）与 users（在岗账号数）。 / ' +
      '{ root: { id, code, name, level, parentId, organizations, users, children: [...] } }',
  })
  @ApiOkResponse({ description: '{ root }' })
  tree(@CurrentUser() user: AuthUser): Promise<{ root: RegionTreeNode }> {
    return this.regions.tree(user);
  }

  @Post()
  @HttpCode(201)
  @Roles('county_org_admin')
  @ApiOperation({
    summary: '新增一个乡镇（街道）或村（社区）/ add one township or village by hand',
    description: '级别与上级由 12 位统计用区划代码决定：后 3 位为 000 是乡镇（街道），否则是村（社区），其乡镇须已存在。 / Level and parent follow from the code.',
  })
  @ApiCreatedResponse({ description: '{ id, code, name, level, parentId, organizations, users }' })
  @ApiBadRequestResponse({ description: '代码有误（REGION_CODE_INVALID）或上级乡镇不存在（REGION_PARENT_NOT_FOUND）/ bad code or missing township' })
  @ApiForbiddenResponse({ description: '仅县委组织部 / county organization department only' })
  @ApiConflictResponse({ description: '代码已被使用（REGION_CODE_TAKEN）或本县代码不是统计用区划代码（COUNTY_CODE_NOT_STATISTICAL）' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateRegionDto): Promise<RegionView> {
    return this.regions.create(user, dto);
  }

  @Get('import/template.xlsx')
  @Roles('county_org_admin')
  @ApiProduces(XLSX_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '区划导入模板（统计用区划代码、名称、级别）/ the division list template' })
  @ApiOkResponse({ description: 'Excel 文件 / the .xlsx file', schema: { type: 'string', format: 'binary' } })
  @ApiForbiddenResponse({ description: '仅县委组织部 / county organization department only' })
  async template(): Promise<StreamableFile> {
    const buffer = await regionTemplate();
    return new StreamableFile(buffer, { type: XLSX_CONTENT_TYPE, disposition: attachmentDisposition('regions-template.xlsx', '区划导入模板.xlsx'), length: buffer.length });
  }

  @Post('import')
  @HttpCode(201)
  @Roles('county_org_admin')
  @UseInterceptors(SpreadsheetUploadInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description:
      '.xlsx 或 .csv（上限同党组织导入：IMPORT_MAX_FILE_MB、IMPORT_MAX_UNCOMPRESSED_MB、IMPORT_MAX_ROWS），首行为表头：统计用区划代码、名称、级别（乡镇、街道、村、社区）；' +
      '英文表头 code, name, level（township, street, village, community）亦可 / an .xlsx or .csv division list with a header row',
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiOperation({
    summary: '导入区划（统计用区划代码表）/ import the division list',
    description:
      '已有代码改名、新代码新增，从不删除区划；文件未列出的本县区划保留并在 notInFile 中列出其党组织、账号和案件数。 / ' +
      'Known codes are renamed, new ones added; nothing is deleted. Answer: { mode, rows, added, renamed: [{ code, before, after }], unchanged, rejected: [{ line, field, reason }], rejectedUnlisted, notInFile: [{ code, name, level, organizations, users, cases }], notInFileUnlisted }',
  })
  @ApiCreatedResponse({ description: '导入结果 / the import result' })
  @ApiBadRequestResponse({ description: '文件有误：IMPORT_INVALID 列出每行的问题（行号、列、原因），未导入任何数据 / every problem listed, nothing imported' })
  @ApiForbiddenResponse({ description: '仅县委组织部 / county organization department only' })
  @ApiConflictResponse({ description: '本县代码不是统计用区划代码（COUNTY_CODE_NOT_STATISTICAL）/ the county has no statistical code' })
  @ApiPayloadTooLargeResponse({ description: '文件、解压后大小或行数超过上限 / over the import caps' })
  import(@CurrentUser() user: AuthUser, @Query() query: ImportRegionsQuery, @UploadedFile() file: UploadedSpreadsheet | undefined): Promise<RegionImportResult> {
    return this.regions.import(user, file, query.mode ?? 'all');
  }

  @Patch(':id')
  @Roles('county_org_admin')
  @Scoped('region', 'id')
  @ApiOperation({ summary: '区划改名 / rename a region' })
  @ApiOkResponse({ description: '{ id, code, name, level, parentId, organizations, users }' })
  @ApiBadRequestResponse({ description: '名称有误 / VALIDATION_FAILED' })
  @ApiForbiddenResponse({ description: '仅县委组织部 / county organization department only' })
  @ApiNotFoundResponse({ description: '区划不存在或不在本县（区）/ REGION_NOT_FOUND' })
  rename(@CurrentUser() user: AuthUser, @Param() params: RegionParams, @Body() dto: RenameRegionDto): Promise<RegionView> {
    return this.regions.rename(user, params.id, dto);
  }
}
