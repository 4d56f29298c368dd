import type { AttachmentView } from '@contract';
import type { AttachmentSubjectKind } from '../../../../libs/domain/labels';
import { ApiError, api, session } from './client';

/** The attachments of a case (issue 20): evidence files on its records, read and sent with the user's token. */

const base = (caseId: string) => `/api/cases/${encodeURIComponent(caseId)}/attachments`;

export const listAttachments = (caseId: string) => api<AttachmentView[]>('GET', base(caseId));

async function failure(res: Response): Promise<ApiError> {
  const body = (await res.json().catch(() => ({}))) as { code?: string; message?: string; messageEn?: string; details?: unknown };
  return new ApiError(res.status, body.code ?? `HTTP_${res.status}`, body.message ?? `请求失败（${res.status}）`, body.messageEn, body.details);
}

async function authorized(path: string, init: RequestInit = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '无法连接服务器，请检查网络后重试');
  }
  if (!res.ok) throw await failure(res);
  return res;
}

/** Uploads one file as evidence of a record: the fields first, then the file (the API reads them in that order). */
export async function uploadAttachment(caseId: string, subjectKind: AttachmentSubjectKind, subjectKey: string, file: File): Promise<AttachmentView> {
  const form = new FormData();
  form.append('subjectKind', subjectKind);
  form.append('subjectKey', subjectKey);
  form.append('file', file, file.name);
  return (await (await authorized(base(caseId), { method: 'POST', body: form })).json()) as AttachmentView;
}

export const removeAttachment = (caseId: string, id: string, reason: string) => api<void>('DELETE', `${base(caseId)}/${id}`, { reason });

/** An attachment's content (or its thumbnail) as an object URL for <img> or a new tab; the caller revokes it. */
export async function attachmentUrl(caseId: string, id: string, thumbnail = false): Promise<string> {
  const res = await authorized(`${base(caseId)}/${id}${thumbnail ? '/thumbnail' : ''}`);
  return URL.createObjectURL(await res.blob());
}
