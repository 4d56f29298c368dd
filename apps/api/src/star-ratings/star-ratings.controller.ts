import { Body, Controller, Get, HttpCode, Param, Post, Query, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { Scoped } from '../scope/scoped.decorator';
import {
  ApplyForRatingDto,
  DowngradeRatingDto,
  EvaluateRatingDto,
  LaunchRatingsDto,
  ListRatingsQuery,
  ObjectionParams,
  RaiseObjectionDto,
  RatingParams,
  ResolveObjectionDto,
  StartRatingDto,
} from './dto/star-rating.dto';
import { XLSX_CONTENT_TYPE } from '../exports/xlsx';
import { ratingWorkbook } from './star-rating-export';
import { StarRatingsService } from './star-ratings.service';

const STEP_ERRORS = '参数有误 VALIDATION_FAILED / RATING_INVALID_INPUT / RATING_REASON_REQUIRED';
const STEP_CONFLICTS = '当前阶段不允许 RATING_STAGE_DOES_NOT_ALLOW，或四星级、五星级须县委组织部考核 RATING_FOUR_FIVE_STARS_BY_COUNTY';

@ApiTags('星级评定 star ratings')
@ApiBearerAuth()
@Controller('star-ratings')
export class StarRatingsController {
  constructor(private readonly ratings: StarRatingsService) {}

  @Post()
  @HttpCode(201)
  @Roles('county_org_admin')
  @ApiOperation({ summary: '启动一个基层党组织的年度星级评定 / start one organization\'s rating of a year' })
  @ApiBadRequestResponse({ description: '参数有误 / VALIDATION_FAILED' })
  @ApiNotFoundResponse({ description: '基层党组织不存在或不在本县 / ORGANIZATION_NOT_FOUND' })
  @ApiConflictResponse({ description: '该年度已启动 / STAR_RATING_ALREADY_STARTED' })
  start(@CurrentUser() user: AuthUser, @Body() dto: StartRatingDto) {
    return this.ratings.start(user, dto);
  }

  @Post('launch')
  @HttpCode(200)
  @Roles('county_org_admin')
  @ApiOperation({ summary: '为全县（或一个乡镇）尚未启动的基层党组织启动年度星级评定 / start the year\'s rating for every organization not yet started' })
  @ApiNotFoundResponse({ description: '乡镇不存在或不在本县 / TOWNSHIP_NOT_FOUND' })
  launch(@CurrentUser() user: AuthUser, @Body() dto: LaunchRatingsDto) {
    return this.ratings.launch(user, dto);
  }

  @Get()
  @ApiOperation({ summary: '年度星级评定列表与汇总 / a year\'s ratings with counts by stage and stars' })
  list(@CurrentUser() user: AuthUser, @Query() query: ListRatingsQuery) {
    return this.ratings.list(user, query);
  }

  @Get('export.xlsx')
  @ApiProduces(XLSX_CONTENT_TYPE)
  @ApiOperation({ summary: '导出星级评定（与列表相同的筛选和顺序，不分页） / the ratings as listed, with the same filters and order, as .xlsx' })
  @ApiOkResponse({ description: 'Excel 文件（.xlsx） / the .xlsx file', schema: { type: 'string', format: 'binary' } })
  @ApiBadRequestResponse({ description: '查询参数有误 / VALIDATION_FAILED' })
  async export(@CurrentUser() user: AuthUser, @Query() query: ListRatingsQuery): Promise<StreamableFile> {
    const { buffer, disposition } = await ratingWorkbook(query.year, await this.ratings.all(user, query));
    return new StreamableFile(buffer, { type: XLSX_CONTENT_TYPE, disposition, length: buffer.length });
  }

  @Get(':id')
  @Scoped('star_rating', 'id')
  @ApiOperation({ summary: '星级评定详情（读模型与工作流实时状态） / one rating, its row and live state' })
  @ApiNotFoundResponse({ description: 'STAR_RATING_NOT_FOUND' })
  get(@CurrentUser() user: AuthUser, @Param() params: RatingParams) {
    return this.ratings.get(user, params.id);
  }

  @Get(':id/audit')
  @Scoped('star_rating', 'id')
  @ApiOperation({ summary: '星级评定操作记录 / the rating\'s audit trail' })
  @ApiNotFoundResponse({ description: 'STAR_RATING_NOT_FOUND' })
  audit(@CurrentUser() user: AuthUser, @Param() params: RatingParams) {
    return this.ratings.auditTrail(user, params.id);
  }

  @Post(':id/application')
  @Scoped('star_rating', 'id')
  @HttpCode(200)
  @Roles('township_party_secretary', 'county_org_admin')
  @ApiOperation({ summary: '自查申报 / the application after self-check (申报)' })
  @ApiBadRequestResponse({ description: STEP_ERRORS })
  @ApiForbiddenResponse({ description: '无权操作 / not allowed' })
  @ApiNotFoundResponse({ description: 'STAR_RATING_NOT_FOUND' })
  @ApiConflictResponse({ description: STEP_CONFLICTS })
  apply(@CurrentUser() user: AuthUser, @Param() params: RatingParams, @Body() dto: ApplyForRatingDto) {
    return this.ratings.step(user, params.id, 'applyForRating', dto);
  }

  @Post(':id/evaluation')
  @Scoped('star_rating', 'id')
  @HttpCode(200)
  @Roles('township_party_secretary', 'county_org_admin')
  @ApiOperation({ summary: '考核评分（一至三星级乡镇考核，四、五星级县委组织部考核），随后公示 / evaluate with a score; the public notice follows' })
  @ApiBadRequestResponse({ description: STEP_ERRORS })
  @ApiForbiddenResponse({ description: '无权操作 / not allowed' })
  @ApiNotFoundResponse({ description: 'STAR_RATING_NOT_FOUND' })
  @ApiConflictResponse({ description: STEP_CONFLICTS })
  evaluate(@CurrentUser() user: AuthUser, @Param() params: RatingParams, @Body() dto: EvaluateRatingDto) {
    return this.ratings.step(user, params.id, 'evaluateRating', { score: dto.score, opinion: dto.opinion, ...(dto.disqualifiers ? { disqualifiers: { ...dto.disqualifiers } } : {}) });
  }

  @Post(':id/objections')
  @Scoped('star_rating', 'id')
  @HttpCode(200)
  @Roles('township_party_secretary', 'county_org_admin')
  @ApiOperation({ summary: '登记公示期间的异议（公示暂停） / record an objection to the public notice (pauses it)' })
  @ApiBadRequestResponse({ description: STEP_ERRORS })
  @ApiNotFoundResponse({ description: 'STAR_RATING_NOT_FOUND' })
  @ApiConflictResponse({ description: `${STEP_CONFLICTS}；本次评定的异议已达上限 RATING_LIMIT_REACHED` })
  object(@CurrentUser() user: AuthUser, @Param() params: RatingParams, @Body() dto: RaiseObjectionDto) {
    return this.ratings.step(user, params.id, 'raiseObjection', dto);
  }

  @Post(':id/objections/:objectionId/resolution')
  @Scoped('star_rating', 'id')
  @HttpCode(200)
  @Roles('township_party_secretary', 'county_org_admin')
  @ApiOperation({ summary: '处理异议：成立则重新考核，不成立则恢复公示 / resolve an objection' })
  @ApiBadRequestResponse({ description: STEP_ERRORS })
  @ApiNotFoundResponse({ description: 'STAR_RATING_NOT_FOUND' })
  @ApiConflictResponse({ description: `${STEP_CONFLICTS}；异议不存在或已处理 RATING_OBJECTION_NOT_FOUND / RATING_OBJECTION_RESOLVED` })
  resolve(@CurrentUser() user: AuthUser, @Param() params: ObjectionParams, @Body() dto: ResolveObjectionDto) {
    return this.ratings.step(user, params.id, 'resolveObjection', { objectionId: params.objectionId, upheld: dto.upheld, resolution: dto.resolution });
  }

  @Post(':id/downgrade')
  @Scoped('star_rating', 'id')
  @HttpCode(200)
  @Roles('county_org_admin')
  @ApiOperation({ summary: '动态调整：降低已命名的星级（须写明理由；降为一星级即认定为软弱涣散党组织） / downgrade a named grade' })
  @ApiBadRequestResponse({ description: STEP_ERRORS })
  @ApiForbiddenResponse({ description: '仅县委组织部 / county organization department only' })
  @ApiNotFoundResponse({ description: 'STAR_RATING_NOT_FOUND' })
  @ApiConflictResponse({ description: '未命名或未降低星级 / RATING_STAGE_DOES_NOT_ALLOW, RATING_DOWNGRADE_MUST_LOWER' })
  downgrade(@CurrentUser() user: AuthUser, @Param() params: RatingParams, @Body() dto: DowngradeRatingDto) {
    return this.ratings.step(user, params.id, 'downgradeRating', dto);
  }
}
