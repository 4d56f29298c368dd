import { Body, Controller, Delete, Get, Header, HttpCode, Param, Post, Req, StreamableFile } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnprocessableEntityResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { ATTACHMENT_SUBJECT_KINDS, USER_ROLES } from '../../../../libs/domain';
import type { AttachmentView } from '../../../../libs/http';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import type { AuthUser } from '../auth/auth-user';
import { attachmentDisposition } from '../exports/xlsx';
import { Scoped } from '../scope/scoped.decorator';
import { AttachmentsService } from './attachments.service';
import { AttachmentParams, RemoveAttachmentDto } from './dto/attachment.dto';

/** Everyone who works a case may attach evidence; the inspector only reads. */
const UPLOADERS = USER_ROLES.filter((r) => r !== 'inspector');

const asciiName = (name: string) => name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_') || 'attachment';

@ApiTags('附件 attachments')
@ApiBearerAuth()
@Controller('cases/:id/attachments')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get()
  @Scoped('case', 'id')
  @ApiOperation({ summary: '案件的附件（未移除的），按上传先后 / the case\'s attachments, oldest first' })
  @ApiOkResponse({ description: 'AttachmentView[]' })
  @ApiNotFoundResponse({ description: '案件不存在或不在辖区内 / no such case in your region' })
  list(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<AttachmentView[]> {
    return this.attachments.list(user, id);
  }

  @Post()
  @HttpCode(201)
  @Roles(...UPLOADERS)
  @Scoped('case', 'id')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    description:
      '字段 subjectKind、subjectKey 在前，文件 file 在后。类型按内容识别：照片（JPEG、PNG、WebP）、PDF、Word、Excel、PowerPoint；照片重新编码（去除定位等元数据）并生成缩略图。' +
      '单个文件 ≤ ATTACHMENT_MAX_FILE_MB（默认 20 MB），每个案件合计 ≤ ATTACHMENT_MAX_CASE_MB（默认 500 MB） / ' +
      'the fields first, then the file; its type is read from the content; photos are re-encoded without their metadata and get a thumbnail',
    schema: {
      type: 'object',
      required: ['subjectKind', 'subjectKey', 'file'],
      properties: {
        subjectKind: { type: 'string', enum: [...ATTACHMENT_SUBJECT_KINDS] },
        subjectKey: { type: 'string', minLength: 1, maxLength: 150 },
        file: { type: 'string', format: 'binary' },
      },
    },
  })
  @ApiOperation({ summary: '上传附件（证明材料） / attach a file to a record of the case' })
  @ApiBadRequestResponse({ description: '字段有误或缺文件 / VALIDATION_FAILED, ATTACHMENT_FILE_MISSING, ATTACHMENT_NOT_MULTIPART' })
  @ApiNotFoundResponse({ description: '案件或记录不存在 / CASE_NOT_FOUND, ATTACHMENT_SUBJECT_NOT_FOUND' })
  @ApiPayloadTooLargeResponse({ description: '超过单个文件或案件合计上限 / PAYLOAD_TOO_LARGE, ATTACHMENT_CASE_QUOTA_EXCEEDED' })
  @ApiUnprocessableEntityResponse({ description: '文件类型不允许（按内容识别）或照片损坏 / ATTACHMENT_TYPE_NOT_ALLOWED, ATTACHMENT_IMAGE_UNREADABLE' })
  upload(@CurrentUser() user: AuthUser, @Param('id') id: string, @Req() req: Request): Promise<AttachmentView> {
    return this.attachments.upload(user, id, req);
  }

  @Get(':attachmentId')
  @Scoped('case', 'id')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, no-store')
  @ApiOperation({ summary: '下载附件 / download an attachment' })
  @ApiOkResponse({ description: '文件内容 / the file' })
  @ApiNotFoundResponse({ description: '附件不存在或已移除 / ATTACHMENT_NOT_FOUND' })
  async download(@CurrentUser() user: AuthUser, @Param() params: AttachmentParams): Promise<StreamableFile> {
    const { row, content } = await this.attachments.open(user, params.id, params.attachmentId);
    return new StreamableFile(content, { type: row.mime, length: row.size, disposition: attachmentDisposition(asciiName(row.originalName), row.originalName) });
  }

  @Get(':attachmentId/thumbnail')
  @Scoped('case', 'id')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'private, max-age=86400')
  @ApiOperation({ summary: '照片缩略图（JPEG，最长边 320 像素） / a photo\'s thumbnail (JPEG, 320 px)' })
  @ApiOkResponse({ description: 'image/jpeg' })
  @ApiNotFoundResponse({ description: '附件不存在、已移除或不是照片 / ATTACHMENT_NOT_FOUND' })
  async thumbnail(@CurrentUser() user: AuthUser, @Param() params: AttachmentParams): Promise<StreamableFile> {
    const image = await this.attachments.thumbnail(user, params.id, params.attachmentId);
    return new StreamableFile(image, { type: 'image/jpeg', length: image.length, disposition: 'inline' });
  }

  @Delete(':attachmentId')
  @HttpCode(204)
  @Roles(...UPLOADERS)
  @Scoped('case', 'id')
  @ApiOperation({ summary: '移除附件（写明原因，记入审计；上传人或县委组织部） / remove an attachment, with a reason (uploader or county)' })
  @ApiNoContentResponse({ description: '已移除 / removed' })
  @ApiForbiddenResponse({ description: '不是上传人或县委组织部 / ATTACHMENT_REMOVAL_NOT_ALLOWED' })
  @ApiNotFoundResponse({ description: '附件不存在 / ATTACHMENT_NOT_FOUND' })
  @ApiConflictResponse({ description: '已移除 / ATTACHMENT_ALREADY_REMOVED' })
  remove(@CurrentUser() user: AuthUser, @Param() params: AttachmentParams, @Body() dto: RemoveAttachmentDto): Promise<void> {
    return this.attachments.remove(user, params.id, params.attachmentId, dto);
  }
}
