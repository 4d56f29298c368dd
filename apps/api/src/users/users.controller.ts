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
import { CreateUserDto, ImportUsersQuery, ListUsersQuery, UpdateUserDto, UserParams } from './dto/user.dto';
import { userTemplate } from './user-import';
import { UsersService, type CreatedUser, type UserImportResult, type UserSummary, type UserView } from './users.service';

export type { UserSummary, UserView } from './users.service';

/**
 * People (人员). Listing serves anyone who picks a person (a contact leader, an assignee) within their
 * region; managing serves the county organization department (its county) and a township Party
 * secretary (the team leaders and members of their township), and above the county the province's and
 * city's organization departments (their own department's accounts; a province also its cities').
 */
@ApiTags('用户 users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Roles('province_org_admin', 'city_org_admin', 'county_org_admin', 'township_party_secretary', 'inspector')
  @ApiOperation({
    summary: '本辖区人员（可按角色、关键字、区划筛选）/ people of my region, by role, text or region',
    description:
      '最多 500 条，按角色、姓名排序。省委组织部看到本省和所辖市（州）的账号，市（州）委组织部看到本市（州）的账号。省、市（州）、县委组织部和乡镇党委书记另见用户名、手机号、职级、是否在岗、区划名称和代码、oneTimeCredential（仍为一次性密码）；includeInactive=true 含已停用账号。 / ' +
      '{ total, items: [{ id, name, title, role, regionId, username?, phone?, cadreRank?, active?, regionName?, regionCode?, oneTimeCredential? }] }',
  })
  @ApiOkResponse({ description: '{ total, items }' })
  @ApiForbiddenResponse({ description: '仅县委组织部、乡镇党委书记、督查 / county department, township secretaries, inspectors' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListUsersQuery): Promise<{ total: number; items: (UserSummary | UserView)[] }> {
    return this.users.list(user, query);
  }

  @Post()
  @HttpCode(201)
  @Roles('province_org_admin', 'city_org_admin', 'county_org_admin', 'township_party_secretary')
  @ApiOperation({
    summary: '新建账号（一次性密码，首次登录须修改）/ create an account with a one-time password',
    description: '答复 { user, oneTimePassword }：一次性密码只在此答复中出现一次。乡镇党委书记只能在本乡镇的村（社区）建整建队伍队长、队员；省委组织部可建本省委组织部和所辖市（州）委组织部的账号，市（州）委组织部可建本市（州）委组织部的账号。 / The one-time password appears in this answer only.',
  })
  @ApiCreatedResponse({ description: '{ user, oneTimePassword }' })
  @ApiBadRequestResponse({ description: '参数有误（VALIDATION_FAILED、USERNAME_INVALID、PHONE_INVALID）或角色与区划层级不符（ROLE_REGION_MISMATCH）' })
  @ApiForbiddenResponse({ description: '无权授予该角色或不在本人辖区（USER_GRANT_FORBIDDEN）/ role above yours or outside your region' })
  @ApiNotFoundResponse({ description: '区划不存在或不在本县（REGION_NOT_FOUND）' })
  @ApiConflictResponse({ description: '用户名已被使用（USERNAME_TAKEN）' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateUserDto): Promise<CreatedUser> {
    return this.users.create(user, dto);
  }

  @Get('import/template.xlsx')
  @Roles('county_org_admin', 'township_party_secretary')
  @ApiProduces(XLSX_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: '人员导入模板（姓名、用户名、手机号、角色、所在区划代码、职务、职级）/ the people template' })
  @ApiOkResponse({ description: 'Excel 文件 / the .xlsx file', schema: { type: 'string', format: 'binary' } })
  async template(): Promise<StreamableFile> {
    const buffer = await userTemplate();
    return new StreamableFile(buffer, { type: XLSX_CONTENT_TYPE, disposition: attachmentDisposition('people-template.xlsx', '人员导入模板.xlsx'), length: buffer.length });
  }

  @Post('import')
  @HttpCode(201)
  @Roles('county_org_admin', 'township_party_secretary')
  @UseInterceptors(SpreadsheetUploadInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description:
      '.xlsx 或 .csv（上限同党组织导入），首行为表头：姓名、用户名、手机号（可选）、角色（中文或代码）、所在区划代码、职务（可选）、职级（县处级/科级/科级以下，或 是/否 科级；可选）；' +
      '英文表头 name, username, phone, role, regionCode, title, cadreRank 亦可 / an .xlsx or .csv people list with a header row',
    schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } },
  })
  @ApiOperation({
    summary: '批量导入人员 / import people',
    description:
      '答复 { mode, rows, imported, created: [{ line, username, name, oneTimePassword }], rejected: [{ line, field, reason }], rejectedUnlisted }；一次性密码只在此答复中出现一次。 / ' +
      'The one-time passwords appear in this answer only.',
  })
  @ApiCreatedResponse({ description: '导入结果 / the import result' })
  @ApiBadRequestResponse({ description: '文件有误：IMPORT_INVALID 列出每行的问题（行号、列、原因），未导入任何数据' })
  @ApiForbiddenResponse({ description: '仅县委组织部、乡镇党委书记' })
  @ApiConflictResponse({ description: '导入期间用户名被占用（USERNAME_TAKEN），未导入任何数据' })
  @ApiPayloadTooLargeResponse({ description: '文件、解压后大小或行数超过上限 / over the import caps' })
  import(@CurrentUser() user: AuthUser, @Query() query: ImportUsersQuery, @UploadedFile() file: UploadedSpreadsheet | undefined): Promise<UserImportResult> {
    return this.users.import(user, file, query.mode ?? 'all');
  }

  @Patch(':id')
  @Roles('province_org_admin', 'city_org_admin', 'county_org_admin', 'township_party_secretary')
  @ApiOperation({
    summary: '修改账号：姓名、职务、手机号、角色、调往区划、职级、停用或恢复 / edit, move, deactivate or reactivate an account',
    description:
      '调往其他区划立即生效；调动、改角色或停用时，本人已认领未办结的任务退回待认领，并逐条记入审计（交接）。不能停用本县最后一名在岗的县委组织部账号。 / ' +
      'A move takes effect at once; the person\'s claimed open tasks go back to the pool (audited). Answer: the account and releasedTasks.',
  })
  @ApiOkResponse({ description: '账号及 releasedTasks（退回的任务数）/ the account and releasedTasks' })
  @ApiBadRequestResponse({ description: '参数有误或角色与区划层级不符（ROLE_REGION_MISMATCH）' })
  @ApiForbiddenResponse({ description: '无权授予该角色或管理此人（USER_GRANT_FORBIDDEN）' })
  @ApiNotFoundResponse({ description: '人员或区划不存在或不在本人辖区（USER_NOT_FOUND、REGION_NOT_FOUND）' })
  @ApiConflictResponse({ description: '本县（或本省、市）最后一名组织部账号（LAST_COUNTY_ADMIN）' })
  update(@CurrentUser() user: AuthUser, @Param() params: UserParams, @Body() dto: UpdateUserDto): Promise<UserView & { releasedTasks: number }> {
    return this.users.update(user, params.id, dto);
  }

  @Post(':id/password-reset')
  @HttpCode(201)
  @Roles('province_org_admin', 'city_org_admin', 'county_org_admin', 'township_party_secretary')
  @ApiOperation({
    summary: '重置为一次性密码（此人已登录的会话失效，首次登录须修改）/ reset to a one-time password',
    description: '答复 { oneTimePassword }，只出现这一次。 / The one-time password appears in this answer only.',
  })
  @ApiCreatedResponse({ description: '{ oneTimePassword }' })
  @ApiForbiddenResponse({ description: '无权管理此人（USER_GRANT_FORBIDDEN）' })
  @ApiNotFoundResponse({ description: '人员不存在或不在本人辖区（USER_NOT_FOUND）' })
  resetPassword(@CurrentUser() user: AuthUser, @Param() params: UserParams): Promise<{ oneTimePassword: string }> {
    return this.users.resetPassword(user, params.id);
  }
}
