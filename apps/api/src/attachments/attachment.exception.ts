import { HttpStatus } from '@nestjs/common';
import { ApiException, CommonErrorCode } from '../common/api.exception';

export enum AttachmentErrorCode {
  NotFound = 'ATTACHMENT_NOT_FOUND',
  SubjectNotFound = 'ATTACHMENT_SUBJECT_NOT_FOUND',
  NotMultipart = 'ATTACHMENT_NOT_MULTIPART',
  FileMissing = 'ATTACHMENT_FILE_MISSING',
  /** The content is not one of the kinds accepted (photos, PDF, Office), whatever its name says. */
  TypeNotAllowed = 'ATTACHMENT_TYPE_NOT_ALLOWED',
  /** A photo that cannot be read as the image its bytes announce. */
  ImageUnreadable = 'ATTACHMENT_IMAGE_UNREADABLE',
  /** The same code as any other body over its limit. */
  FileTooLarge = 'PAYLOAD_TOO_LARGE',
  CaseQuotaExceeded = 'ATTACHMENT_CASE_QUOTA_EXCEEDED',
  AlreadyRemoved = 'ATTACHMENT_ALREADY_REMOVED',
  RemovalNotAllowed = 'ATTACHMENT_REMOVAL_NOT_ALLOWED',
  /** An id a 销号 or an acceptance names that is not an attachment of that step of this case. */
  NotOfStep = 'ATTACHMENT_NOT_OF_STEP',
}

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

/** Errors of the attachments of a case (issue 20). */
export class AttachmentException extends ApiException {
  static notFound(attachmentId: string): AttachmentException {
    return new AttachmentException(HttpStatus.NOT_FOUND, AttachmentErrorCode.NotFound, '附件不存在或不在您的辖区内', 'No such attachment in your region', { attachmentId });
  }

  static notOfStep(ids: string[], label: string): AttachmentException {
    return new AttachmentException(
      HttpStatus.UNPROCESSABLE_ENTITY,
      AttachmentErrorCode.NotOfStep,
      `附件（attachmentIds）须是本案${label}的附件且未被移除，以下编号不是：${ids.join('、')}`,
      `Not attachments of this case's ${label} step, or removed: ${ids.join(', ')} (attachmentIds)`,
      { field: 'attachmentIds', attachmentIds: ids },
    );
  }

  static subjectNotFound(subjectKind: string, subjectKey: string, label: string): AttachmentException {
    return new AttachmentException(
      HttpStatus.NOT_FOUND,
      AttachmentErrorCode.SubjectNotFound,
      `案件中没有这条${label}记录（subjectKey），附件须附在已登记的记录上`,
      `The case has no ${subjectKind} record "${subjectKey}" (subjectKey)`,
      { field: 'subjectKey', subjectKind, subjectKey },
    );
  }

  static notMultipart(): AttachmentException {
    return new AttachmentException(
      HttpStatus.BAD_REQUEST,
      AttachmentErrorCode.NotMultipart,
      '请以 multipart/form-data 上传附件（字段 subjectKind、subjectKey 在前，文件字段 file 在后）',
      'Upload as multipart/form-data: the fields subjectKind and subjectKey first, then the file in the field "file"',
    );
  }

  static fileMissing(): AttachmentException {
    return new AttachmentException(HttpStatus.BAD_REQUEST, AttachmentErrorCode.FileMissing, '请选择要上传的文件（字段 file）', 'Upload the file in the multipart field "file"', { field: 'file' });
  }

  static typeNotAllowed(fileName: string, detected: string | null): AttachmentException {
    const what = detected ? `实为 ${detected} 文件` : '无法识别其类型';
    return new AttachmentException(
      HttpStatus.UNPROCESSABLE_ENTITY,
      AttachmentErrorCode.TypeNotAllowed,
      `「${fileName}」${what}，附件只能是照片（JPEG、PNG、WebP）、PDF 或 Office 文件（Word、Excel、PowerPoint）`,
      `"${fileName}" is ${detected ? `a ${detected} file` : 'of no known type'}; attachments are photos (JPEG, PNG, WebP), PDF or Office files`,
      { fileName, detected },
    );
  }

  static heic(fileName: string): AttachmentException {
    return new AttachmentException(
      HttpStatus.UNPROCESSABLE_ENTITY,
      AttachmentErrorCode.TypeNotAllowed,
      `「${fileName}」是 HEIC 照片，请转为 JPEG 后上传（苹果手机：设置 → 相机 → 格式 → 兼容性最佳）`,
      `"${fileName}" is a HEIC photo; convert it to JPEG`,
      { fileName, detected: 'heic' },
    );
  }

  static imageUnreadable(fileName: string, why: string): AttachmentException {
    return new AttachmentException(HttpStatus.UNPROCESSABLE_ENTITY, AttachmentErrorCode.ImageUnreadable, `照片「${fileName}」已损坏，无法读取`, `The photo cannot be read: ${why}`, { fileName });
  }

  static fileTooLarge(limitBytes: number): AttachmentException {
    return new AttachmentException(
      HttpStatus.PAYLOAD_TOO_LARGE,
      AttachmentErrorCode.FileTooLarge,
      `附件超过单个文件 ${megabytes(limitBytes)} 上限（ATTACHMENT_MAX_FILE_MB），未保存`,
      `The file is larger than the limit of ${megabytes(limitBytes)}; nothing was saved`,
      { limitBytes },
    );
  }

  static caseQuotaExceeded(limitBytes: number, usedBytes: number): AttachmentException {
    return new AttachmentException(
      HttpStatus.PAYLOAD_TOO_LARGE,
      AttachmentErrorCode.CaseQuotaExceeded,
      `本案件附件合计将超过 ${megabytes(limitBytes)} 上限（ATTACHMENT_MAX_CASE_MB，已用 ${megabytes(usedBytes)}），未保存`,
      `The case's attachments would pass ${megabytes(limitBytes)} (${megabytes(usedBytes)} used); nothing was saved`,
      { limitBytes, usedBytes },
    );
  }

  static alreadyRemoved(attachmentId: string): AttachmentException {
    return new AttachmentException(HttpStatus.CONFLICT, AttachmentErrorCode.AlreadyRemoved, '附件已被移除', 'The attachment was already removed', { attachmentId });
  }

  static removalNotAllowed(): AttachmentException {
    return new AttachmentException(
      HttpStatus.FORBIDDEN,
      AttachmentErrorCode.RemovalNotAllowed,
      '只有上传人或县委组织部可以移除附件',
      'Only the uploader or the county organization department may remove an attachment',
    );
  }

  static malformed(why: string): ApiException {
    return new ApiException(HttpStatus.BAD_REQUEST, CommonErrorCode.ValidationFailed, '上传内容不完整或格式有误，请重新上传', `The multipart body is malformed: ${why}`);
  }
}
