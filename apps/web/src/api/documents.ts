import { DOCUMENT_KIND_LABELS } from '../../../../libs/domain/labels';
import { api, download, get, qs } from './client';
import type { EscalationItem, LeagueColumn, LeagueTable, Letterhead, TownshipRecordList } from './types';

/**
 * The county's documents (督办单、通报、约谈通知书, .docx with its letterhead and number) and the
 * township's record and league table (issue 18 items 4 and 5).
 */
export { DOCUMENT_KIND_LABELS };

/** The document one escalation row offers: 督办单 for a 督办, 约谈通知书 for a 约谈; any rung may be put in a 通报. */
export function documentOf(e: Pick<EscalationItem, 'rung'>): 'supervision_order' | 'interview_notice' | null {
  return e.rung === 'supervision' ? 'supervision_order' : e.rung === 'interview' ? 'interview_notice' : null;
}

export function downloadEscalationDocument(e: Pick<EscalationItem, 'id' | 'rung' | 'organizationName'>): Promise<string> {
  const kind = documentOf(e);
  if (!kind) return downloadBulletin({ escalationIds: [e.id] }, e.organizationName);
  const file = kind === 'supervision_order' ? 'supervision-order' : 'interview-notice';
  // A POST: issuing gives the number (once) and is audited.
  return download(`/api/documents/escalations/${e.id}/${file}.docx`, `${DOCUMENT_KIND_LABELS[kind]}-${e.organizationName}.docx`, {});
}

export interface BulletinSelection {
  escalationIds?: string[];
  rung?: string;
  status?: string;
  townshipId?: string;
}

export function downloadBulletin(selection: BulletinSelection, about = '督办事项'): Promise<string> {
  return download('/api/documents/bulletin', `通报-${about}.docx`, selection);
}

export const getLetterhead = () => get<Letterhead>('/api/documents/letterhead');
export const saveLetterhead = (body: Pick<Letterhead, 'issuingBody' | 'numberPrefix' | 'redHeaderTitle' | 'contactPerson' | 'contactPhone'>) => api<Letterhead>('PUT', '/api/documents/letterhead', body);

export const getTownshipRecords = (year: number, townshipId?: string) => get<TownshipRecordList>(`/api/township-records${qs({ year, townshipId })}`);
export const getLeague = (year: number) => get<LeagueTable>(`/api/township-records/league${qs({ year })}`);
export const setLeaguePublication = (year: number, published: boolean, columns: LeagueColumn[]) =>
  api<LeagueTable>('PUT', '/api/township-records/league/publication', { year, published, columns });
export const downloadTownshipRecords = (year: number) => download(`/api/township-records/export.xlsx${qs({ year })}`, `乡镇整顿实绩-${year}.xlsx`);
