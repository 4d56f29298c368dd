import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayUnique, IsArray, IsOptional, IsUUID } from 'class-validator';
import { ATTACHMENT_IDS_MAX } from '../../../../../../libs/domain';

/**
 * 附件: attachments of the case a 销号 or an acceptance names; the API checks each is the case's, not
 * removed and of the step's kind (422 otherwise), and the workflow refuses none where the policy requires one.
 */
export function AttachmentIds(description: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description, type: [String], format: 'uuid', maxItems: ATTACHMENT_IDS_MAX }),
    IsOptional(),
    IsArray(),
    ArrayMaxSize(ATTACHMENT_IDS_MAX),
    ArrayUnique(),
    IsUUID('all', { each: true }),
  );
}
