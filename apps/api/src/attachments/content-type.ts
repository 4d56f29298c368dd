import { fromBuffer } from 'file-type';

/** How much of an upload is read before its type is decided: enough for file-type to walk an Office zip's first entries. */
export const SAMPLE_BYTES = 256 * 1024;

export interface AttachmentType {
  mime: string;
  ext: string;
  /** A photo: re-encoded (EXIF orientation applied, metadata such as GPS dropped) and given a thumbnail. */
  image: boolean;
  /** Label in Chinese, for lists and the ledger. */
  label: string;
}

const t = (mime: string, ext: string, label: string, image = false): AttachmentType => ({ mime, ext, image, label });

/** The kinds accepted, by what file-type detects from the content. */
const BY_DETECTED: Record<string, AttachmentType> = {
  'image/jpeg': t('image/jpeg', 'jpg', '照片', true),
  'image/png': t('image/png', 'png', '图片', true),
  'image/webp': t('image/webp', 'webp', '图片', true),
  'application/pdf': t('application/pdf', 'pdf', 'PDF'),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': t('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx', 'Word 文档'),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': t('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx', 'Excel 表格'),
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': t('application/vnd.openxmlformats-officedocument.presentationml.presentation', 'pptx', 'PowerPoint 演示文稿'),
};

/** Office 97–2003 files are all one container (CFB): which one it is, the name tells. */
const LEGACY_OFFICE: Record<string, AttachmentType> = {
  doc: t('application/msword', 'doc', 'Word 文档'),
  xls: t('application/vnd.ms-excel', 'xls', 'Excel 表格'),
  ppt: t('application/vnd.ms-powerpoint', 'ppt', 'PowerPoint 演示文稿'),
};

export type Detection = { ok: true; type: AttachmentType } | { ok: false; detected: string | null };

/** The type of an upload from its first bytes (never from its name, except to tell old Office files apart). */
export async function detectType(head: Buffer, fileName: string): Promise<Detection> {
  const found = await fromBuffer(head);
  if (!found) return { ok: false, detected: null };
  const known = BY_DETECTED[found.mime];
  if (known) return { ok: true, type: known };
  if (found.ext === 'cfb') {
    const ext = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
    const legacy = LEGACY_OFFICE[ext];
    if (legacy) return { ok: true, type: legacy };
  }
  return { ok: false, detected: found.ext };
}

export function typeLabel(mime: string): string {
  return Object.values(BY_DETECTED).find((x) => x.mime === mime)?.label ?? Object.values(LEGACY_OFFICE).find((x) => x.mime === mime)?.label ?? '文件';
}
