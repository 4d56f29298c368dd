import { Body, Controller, Get, HttpCode, Param, Post, Put, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Letterhead } from '../../../../libs/http';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { DOCX_CONTENT_TYPE } from './docx-builder';
import { DocumentsService, type IssuedDocument } from './documents.service';
import { BulletinDto } from './dto/bulletin.dto';
import { LetterheadDto } from './dto/letterhead.dto';

const DOCX_OK = { description: 'Word 文件（.docx），文件名为中文、含文号 / the .docx file, its Chinese name carries the number', schema: { type: 'string', format: 'binary' } };

function file(doc: IssuedDocument): StreamableFile {
  return new StreamableFile(doc.buffer, { type: DOCX_CONTENT_TYPE, disposition: doc.disposition, length: doc.buffer.length });
}

/**
 * The county's documents from its escalation records (issue 18 item 4): issued by the county
 * organization department with its letterhead and a document number; every issuing is audited, so the
 * documents are POSTs (a GET writes nothing), each answering the .docx.
 */
@ApiTags('文书 documents')
@ApiBearerAuth()
@Controller('documents')
@Roles('county_org_admin')
export class DocumentsController {
  constructor(private readonly documents: DocumentsService) {}

  @Get('letterhead')
  @ApiOperation({ summary: '本县文书版头：发文机关、文号前缀、红头、联系人（未设置时为默认值） / the county letterhead (defaults until saved)' })
  @ApiOkResponse({ description: '{ countyName, issuingBody, numberPrefix, redHeaderTitle, contactPerson, contactPhone, updatedAt, updatedByName, numberExample }' })
  letterhead(@CurrentUser() user: AuthUser): Promise<Letterhead> {
    return this.documents.letterhead(user);
  }

  @Put('letterhead')
  @ApiOperation({ summary: '修改本县文书版头（记入审计） / replace the county letterhead; audited' })
  @ApiOkResponse({ description: '修改后的版头 / the letterhead as saved' })
  @ApiBadRequestResponse({ description: '字段有误 / invalid field' })
  updateLetterhead(@CurrentUser() user: AuthUser, @Body() dto: LetterheadDto): Promise<Letterhead> {
    return this.documents.updateLetterhead(user, dto);
  }

  @Post('escalations/:id/supervision-order.docx')
  @HttpCode(200)
  @ApiProduces(DOCX_CONTENT_TYPE)
  @ApiOperation({ summary: '督办单（.docx）：一条督办记录，带版头与文号；再次下载文号不变；记入审计 / the 督办单 of a supervision escalation; the same number every time; audited' })
  @ApiOkResponse(DOCX_OK)
  @ApiNotFoundResponse({ description: '督办问责记录不存在或不在辖区内（ESCALATION_NOT_FOUND） / no such escalation in your region' })
  @ApiConflictResponse({ description: '该记录不是督办（DOCUMENT_WRONG_RUNG） / not a supervision escalation' })
  async supervisionOrder(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<StreamableFile> {
    return file(await this.documents.single(user, id, 'supervision_order'));
  }

  @Post('escalations/:id/interview-notice.docx')
  @HttpCode(200)
  @ApiProduces(DOCX_CONTENT_TYPE)
  @ApiOperation({ summary: '约谈通知书（.docx）：一条约谈记录，约谈时间、地点留空手填；再次下载文号不变；记入审计 / the 约谈通知书 of an interview escalation; audited' })
  @ApiOkResponse(DOCX_OK)
  @ApiNotFoundResponse({ description: '督办问责记录不存在或不在辖区内（ESCALATION_NOT_FOUND） / no such escalation in your region' })
  @ApiConflictResponse({ description: '该记录不是约谈（DOCUMENT_WRONG_RUNG） / not an interview escalation' })
  async interviewNotice(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<StreamableFile> {
    return file(await this.documents.single(user, id, 'interview_notice'));
  }

  @Post('bulletin')
  @HttpCode(200)
  @ApiProduces(DOCX_CONTENT_TYPE)
  @ApiOperation({
    summary: '通报（.docx）：所列督办问责记录，或按筛选条件（默认未办结）选出的记录；同一组记录文号不变；记入审计 / a 通报 of the escalations named or filtered (unresolved by default); audited',
  })
  @ApiOkResponse(DOCX_OK)
  @ApiBadRequestResponse({ description: '字段有误 / invalid field' })
  @ApiNotFoundResponse({ description: '所列记录有的不存在或不在辖区内（ESCALATION_NOT_FOUND），或没有符合筛选条件的记录（DOCUMENT_NOTHING_TO_LIST） / an escalation named is not in your region, or none matches' })
  @ApiUnprocessableEntityResponse({ description: '符合条件的记录超过 200 条（DOCUMENT_TOO_MANY） / too many to list' })
  async bulletin(@CurrentUser() user: AuthUser, @Body() dto: BulletinDto): Promise<StreamableFile> {
    return file(await this.documents.bulletin(user, dto));
  }
}
