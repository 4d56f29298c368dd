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
import { CreateCityDto, CreateRegionDto, ImportRegionsQuery, PlaceCountyDto, RegionParams, RenameRegionDto } from './dto/region.dto';
import { regionTemplate } from './region-import';
import { RegionsService, type RegionImportResult, type RegionTreeNode, type RegionView, type UnplacedCounty } from './regions.service';
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
      '县级用户得到全县：root 为县（区），children 为乡镇（街道），其 children 为村（社区）；乡镇用户得到本乡镇，村级用户得到本村。' +
      '省、市（州）委组织部得到本省（市）：省的 children 为所辖市（州）和省直管县，市（州）的 children 为所辖县（区），不含乡镇和村。' +
      '每个节点含 organizations（党组织数，省、市为所辖各县之和）与 users（在岗账号数）。 / ' +
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

  @Post('cities')
  @HttpCode(201)
  @Roles('province_org_admin')
  @ApiOperation({
    summary: '省委组织部新建所辖市（州）/ the province creates one of its cities',
    description:
      '代码须为市级统计用区划代码（第 3–4 位不为 00、后 8 位为 0），并以本省的 2 位代码开头。市（州）委组织部的账号随后在“人员”中建立（POST /api/users，role=city_org_admin）。 / ' +
      'The code must be a city code inside the province. Answer: { id, code, name, level, parentId, organizations, users }',
  })
  @ApiCreatedResponse({ description: '{ id, code, name, level, parentId, organizations, users }' })
  @ApiBadRequestResponse({ description: '代码有误：不是市级代码或不在本省（REGION_CODE_INVALID）/ not a city code of the province' })
  @ApiForbiddenResponse({ description: '仅省委组织部 / province organization department only' })
  @ApiConflictResponse({ description: '代码已被使用（REGION_CODE_TAKEN）或本省代码不是统计用区划代码（UPPER_CODE_NOT_STATISTICAL）' })
  createCity(@CurrentUser() user: AuthUser, @Body() dto: CreateCityDto): Promise<RegionView> {
    return this.regions.createCity(user, dto);
  }

  @Get('unplaced-counties')
  @Roles('province_org_admin')
  @ApiOperation({
    summary: '本省尚未划入任何市（州）或省的县（区）/ the counties of the province\'s code that no city or province holds yet',
    description: '代码以本省 2 位代码开头、尚无上级的县（区）（由 create-county 单独建立）。 / { items: [{ id, code, name }] }',
  })
  @ApiOkResponse({ description: '{ items: [{ id, code, name }] }' })
  @ApiForbiddenResponse({ description: '仅省委组织部 / province organization department only' })
  unplacedCounties(@CurrentUser() user: AuthUser): Promise<{ items: UnplacedCounty[] }> {
    return this.regions.unplacedCounties(user);
  }

  @Post(':id/counties')
  @HttpCode(200)
  @Roles('province_org_admin')
  @Scoped('region', 'id')
  @ApiOperation({
    summary: '把已有的县（区）划入本省的一个市（州）或本省（省直管县）/ place an existing county under one of the province\'s cities, or right under the province',
    description:
      ':id 为本省或本省的市（州）；县（区）按统计用区划代码指定，其代码须以该市（州）的 4 位（或本省的 2 位）代码开头，且尚无上级或直属本省。' +
      '已属其他市（州）或省的县（区）答复 409，区划调整由系统管理员用 attach-county 命令办理。已在该处时原样答复，不重复记录。此后该市（州）委组织部在汇总看板中看到该县。 / ' +
      'The county must lie inside the target by code and be on its own or right under the province. Answer: the county { id, code, name, level, parentId, organizations, users }',
  })
  @ApiOkResponse({ description: '该县（区）/ the county, with its new parentId' })
  @ApiBadRequestResponse({ description: '代码有误或不在该市（州）内（REGION_CODE_INVALID），:id 不是本省或本省的市（州）（REGION_NOT_A_PARENT）' })
  @ApiForbiddenResponse({ description: '仅省委组织部 / province organization department only' })
  @ApiNotFoundResponse({ description: ':id 不在本省（REGION_NOT_FOUND）或该代码的县（区）尚未建立（REGION_NOT_FOUND）' })
  @ApiConflictResponse({ description: '该县已属其他市（州）或省（COUNTY_ATTACHED_ELSEWHERE），或上级代码不是统计用区划代码（UPPER_CODE_NOT_STATISTICAL）' })
  placeCounty(@CurrentUser() user: AuthUser, @Param() params: RegionParams, @Body() dto: PlaceCountyDto): Promise<RegionView> {
    return this.regions.placeCounty(user, params.id, dto);
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
