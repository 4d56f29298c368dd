import type { DataSource } from 'typeorm';
import { ATTACHMENT_SUBJECT_LABELS, CONSULTATION_KIND_LABELS, ORGANIZATIONAL_HANDLING_MEASURE_LABELS, roleLabel, type AttachmentSubjectKind, type CaseState } from '../../../../libs/domain';
import { AttachmentEntity } from '../../../../libs/persistence';
import { typeLabel } from '../attachments/content-type';
import type { CaseRecord, DashboardReadModel, ResolvedScope } from '../dashboard/dashboard-read-model';
import { excelDateTime, type SheetColumn } from './xlsx';

/** 证明材料清单 (issue 20): every attachment of the batch's cases in scope, one a row, beside the record it proves. */

export interface AttachmentRow {
  township: string;
  organizationName: string;
  subjectKind: AttachmentSubjectKind;
  record: string;
  name: string;
  mime: string;
  size: number;
  uploadedByName: string;
  uploadedByRole: string | null;
  uploadedAt: Date;
}

/** The record an attachment proves, in words (a visit's date and place, a problem's description…). */
export function recordLabel(s: CaseState | undefined, kind: AttachmentSubjectKind, key: string): string {
  if (!s) return '';
  switch (kind) {
    case 'visit': {
      const v = s.visits.find((x) => x.id === key);
      return v ? `${v.visitedOn} ${v.place}` : '';
    }
    case 'problem_found':
    case 'problem_closed':
      return s.problems.find((x) => x.id === key)?.description ?? '';
    case 'consultation': {
      const c = s.consultations.find((x) => x.id === key);
      return c ? `${CONSULTATION_KIND_LABELS[c.kind]} ${c.heldOn}` : '';
    }
    case 'measure_progress':
      return s.measures.find((x) => x.id === key)?.description ?? '';
    case 'secretary_appointment':
      return s.secretary.appointment ? `${s.secretary.appointment.name} ${s.secretary.appointment.appointedOn}` : '';
    case 'training': {
      const t = s.secretary.trainings.find((x) => x.id === key);
      return t ? `${t.secretaryName} ${t.session} ${t.attendedOn}` : '';
    }
    case 'project':
      return s.projects.find((x) => x.id === key)?.name ?? '';
    case 'acceptance':
      return s.acceptedAt ? `验收 ${s.acceptedAt.slice(0, 10)}` : '';
    case 'handling': {
      const d = (s.organizationalHandling?.decisions ?? []).find((x) => x.id === key);
      return d ? `${d.subject}（${ORGANIZATIONAL_HANDLING_MEASURE_LABELS[d.measure]}）` : '';
    }
  }
}

/** One query for the attachments (not removed) of the batch's cases in scope, in the cases' order, oldest first. */
export async function attachmentRows(ds: DataSource, readModel: DashboardReadModel, r: ResolvedScope, cases: CaseRecord[], township: (id: string) => string): Promise<AttachmentRow[]> {
  const qb = ds
    .getRepository(AttachmentEntity)
    .createQueryBuilder('a')
    .innerJoin('rectification_case', 'c', 'c.id = a.case_id')
    .select([
      'a.case_id AS case_id',
      'a.subject_kind AS subject_kind',
      'a.subject_key AS subject_key',
      'a.original_name AS name',
      'a.mime AS mime',
      'a.size AS size',
      'a.uploaded_by_name AS uploaded_by_name',
      'a.uploaded_by_role AS uploaded_by_role',
      'a.uploaded_at AS uploaded_at',
    ])
    .where('a.removed_at IS NULL');
  const rows = await readModel
    .restrictCases(qb, r)
    .orderBy('a.uploaded_at', 'ASC')
    .addOrderBy('a.id', 'ASC')
    .getRawMany<{ case_id: string; subject_kind: AttachmentSubjectKind; subject_key: string; name: string; mime: string; size: string; uploaded_by_name: string; uploaded_by_role: string | null; uploaded_at: Date }>();
  const order = new Map(cases.map((c, i) => [c.id, i]));
  const byId = new Map(cases.map((c) => [c.id, c]));
  return rows
    .filter((a) => byId.has(a.case_id))
    .sort((a, b) => order.get(a.case_id)! - order.get(b.case_id)!)
    .map((a) => {
      const c = byId.get(a.case_id)!;
      return {
        township: township(c.townshipId),
        organizationName: c.organizationName,
        subjectKind: a.subject_kind,
        record: recordLabel(c.state, a.subject_kind, a.subject_key),
        name: a.name,
        mime: a.mime,
        size: Number(a.size),
        uploadedByName: a.uploaded_by_name,
        uploadedByRole: a.uploaded_by_role,
        uploadedAt: a.uploaded_at,
      };
    });
}

export const ATTACHMENT_COLUMNS: SheetColumn<AttachmentRow>[] = [
  { header: '乡镇（街道）', value: (r) => r.township },
  { header: '基层党组织', value: (r) => r.organizationName },
  { header: '证明事项', value: (r) => ATTACHMENT_SUBJECT_LABELS[r.subjectKind] ?? '' },
  { header: '所属记录', value: (r) => r.record },
  { header: '文件名', value: (r) => r.name },
  { header: '文件类型', value: (r) => typeLabel(r.mime) },
  { header: '大小（KB）', kind: 'number', value: (r) => Math.max(1, Math.round(r.size / 1024)) },
  { header: '上传人', value: (r) => r.uploadedByName },
  { header: '上传人身份', value: (r) => roleLabel(r.uploadedByRole) },
  { header: '上传时间', kind: 'datetime', value: (r) => excelDateTime(r.uploadedAt) },
];
