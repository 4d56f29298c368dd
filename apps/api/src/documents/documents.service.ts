import { createHash } from 'node:crypto';
import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import {
  DEADLINE_KIND_LABELS,
  DOCUMENT_KIND_LABELS,
  ESCALATION_RUNG_LABELS,
  ESCALATION_STATUS_LABELS,
  shanghaiDateOf,
  type DeadlineKind,
  type EscalationRung,
} from '../../../../libs/domain';
import type { CountyDocumentKind, Letterhead } from '../../../../libs/http';
import { CountyLetterheadEntity, DocumentNumberEntity, EscalationEntity, RegionEntity } from '../../../../libs/persistence';
import { recordAudit } from '../audit/audit-writer';
import { actorOf, type AuthUser } from '../auth/auth-user';
import { ApiException } from '../common/api.exception';
import { attachmentDisposition } from '../exports/xlsx';
import { ScopeService } from '../scope/scope.service';
import { bulletinDocx, interviewNoticeDocx, supervisionOrderDocx, type DocumentEscalation, type DocumentHead } from './docx-builder';
import type { BulletinDto } from './dto/bulletin.dto';
import { MAX_BULLETIN_ITEMS } from './dto/bulletin.dto';
import type { LetterheadDto } from './dto/letterhead.dto';
import { DocumentException } from './document.exception';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Row {
  id: string;
  case_id: string;
  county_id: string;
  township_id: string;
  township_name: string | null;
  organization_name: string;
  organization_secretary: string | null;
  kind: DeadlineKind;
  rung: EscalationRung;
  title: string;
  reason: string;
  deadline: string;
  days_overdue: number;
  raised_at: Date;
  acknowledged_at: Date | null;
  resolved_at: Date | null;
}

export interface IssuedDocument {
  buffer: Buffer;
  disposition: string;
  numberText: string;
}

/** The number as printed: "×组通〔2026〕3号". */
export function numberText(prefix: string, year: number, n: number): string {
  return `${prefix}〔${year}〕${n}号`;
}

/** Defaults from the county's name until the county organization department saves its own. */
function defaultLetterhead(countyName: string): Pick<Letterhead, 'issuingBody' | 'numberPrefix' | 'redHeaderTitle' | 'contactPerson' | 'contactPhone'> {
  const body = /[县区市旗]$/.test(countyName) ? `${countyName}委组织部` : `${countyName}组织部`;
  return { issuingBody: body, numberPrefix: `${[...countyName][0] ?? '县'}组通`, redHeaderTitle: null, contactPerson: null, contactPhone: null };
}

function toDocumentEscalation(r: Row): DocumentEscalation {
  const status = r.resolved_at ? 'resolved' : r.acknowledged_at ? 'acknowledged' : 'open';
  return {
    organizationName: r.organization_name,
    townshipName: r.township_name ?? '',
    rungLabel: ESCALATION_RUNG_LABELS[r.rung] ?? r.rung,
    kindLabel: DEADLINE_KIND_LABELS[r.kind] ?? r.kind,
    title: r.title,
    reason: r.reason.replace(/[。；;，,\s]+$/u, ''),
    deadline: r.deadline,
    daysOverdue: Number(r.days_overdue),
    raisedOn: shanghaiDateOf(new Date(r.raised_at).getTime()),
    statusLabel: ESCALATION_STATUS_LABELS[status],
  };
}

/**
 * The county's documents (issue 18 item 4): 督办单, 通报 and 约谈通知书 generated from the escalation
 * records with the county's letterhead and a document number. A number is given once per subject and
 * kept (downloading again prints the same number and date); numbers of one county, kind and year
 * count up from 1 and are never shared (an advisory lock per county and kind, and the unique keys).
 */
@Injectable()
export class DocumentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scope: ScopeService,
  ) {}

  private async countyName(countyId: string, m: EntityManager = this.dataSource.manager): Promise<string> {
    return (await m.getRepository(RegionEntity).findOneBy({ id: countyId }))?.name ?? '';
  }

  async letterhead(user: AuthUser, m: EntityManager = this.dataSource.manager): Promise<Letterhead> {
    const [row, countyName] = await Promise.all([m.getRepository(CountyLetterheadEntity).findOneBy({ countyId: user.countyId }), this.countyName(user.countyId, m)]);
    const fields = row ?? defaultLetterhead(countyName);
    const year = Number(shanghaiDateOf(Date.now()).slice(0, 4));
    return {
      countyName,
      issuingBody: fields.issuingBody,
      numberPrefix: fields.numberPrefix,
      redHeaderTitle: fields.redHeaderTitle,
      contactPerson: fields.contactPerson,
      contactPhone: fields.contactPhone,
      updatedAt: row ? row.updatedAt.toISOString() : null,
      updatedByName: row?.updatedByName ?? null,
      numberExample: numberText(fields.numberPrefix, year, 1),
    };
  }

  /** PUT /api/documents/letterhead: the county organization department replaces its letterhead; audited. */
  async updateLetterhead(user: AuthUser, dto: LetterheadDto): Promise<Letterhead> {
    const clean = (v: string | null | undefined) => (v?.trim() ? v.trim() : null);
    return this.dataSource.transaction(async (m) => {
      const before = await this.letterhead(user, m);
      const after = {
        countyId: user.countyId,
        issuingBody: dto.issuingBody.trim(),
        numberPrefix: dto.numberPrefix.trim(),
        redHeaderTitle: clean(dto.redHeaderTitle),
        contactPerson: clean(dto.contactPerson),
        contactPhone: clean(dto.contactPhone),
        updatedAt: new Date(),
        updatedByName: user.name,
      };
      await m.getRepository(CountyLetterheadEntity).save(after);
      const { countyName: _n, updatedAt: _u, updatedByName: _b, numberExample: _e, ...was } = before;
      await recordAudit(m, {
        actor: actorOf(user),
        action: 'letterhead.updated',
        payload: { countyId: user.countyId, before: was, issuingBody: after.issuingBody, numberPrefix: after.numberPrefix, redHeaderTitle: after.redHeaderTitle, contactPerson: after.contactPerson, contactPhone: after.contactPhone },
      });
      return this.letterhead(user, m);
    });
  }

  /** Escalations by id in the user's region, with township and organization; 404 if any is missing. */
  private async rows(user: AuthUser, ids: string[], m: EntityManager = this.dataSource.manager): Promise<Row[]> {
    if (ids.some((id) => !UUID.test(id))) throw DocumentException.escalationNotFound(ids.map((id) => id.slice(0, 100)));
    const rows = await this.select(user, m).andWhere('e.id IN (:...ids)', { ids }).getRawMany<Row>();
    if (rows.length !== new Set(ids).size) throw DocumentException.escalationNotFound(ids.filter((id) => !rows.some((r) => r.id === id)));
    return rows;
  }

  private select(user: AuthUser, m: EntityManager = this.dataSource.manager) {
    const qb = m
      .getRepository(EscalationEntity)
      .createQueryBuilder('e')
      .leftJoin(RegionEntity, 'tw', 'tw.id = e.township_id')
      .leftJoin('rectification_case', 'c', 'c.id = e.case_id')
      .leftJoin('organization', 'o', 'o.id = c.organization_id')
      .select([
        'e.id AS id',
        'e.case_id AS case_id',
        'e.county_id AS county_id',
        'e.township_id AS township_id',
        'tw.name AS township_name',
        'e.organization_name AS organization_name',
        'o.secretary_name AS organization_secretary',
        'e.kind AS kind',
        'e.rung AS rung',
        'e.title AS title',
        'e.reason AS reason',
        `to_char(e.deadline, 'YYYY-MM-DD') AS deadline`,
        'e.days_overdue AS days_overdue',
        'e.raised_at AS raised_at',
        'e.acknowledged_at AS acknowledged_at',
        'e.resolved_at AS resolved_at',
      ]);
    return this.scope.restrictTasks(qb, user, 'e');
  }

  /**
   * The number of the subject's document: the one given before, or the next of the county's sequence
   * for this year. One sequence for every kind: they share the county's one number prefix, so a 督办单
   * and a 通报 numbered apart would both print 〔2026〕1号. Audits the issuing (first or again) in the same transaction.
   */
  private async issue(m: EntityManager, user: AuthUser, kind: CountyDocumentKind, rows: Row[], nowMs: number): Promise<DocumentHead> {
    const ids = rows.map((r) => r.id).sort();
    const subjectKey = ids.length === 1 ? ids[0] : `set:${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 60)}`;
    const countyId = user.countyId;
    // One allocator per county at a time: the next number is read and taken in one step.
    await m.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`document_number:${countyId}`]);
    const repo = m.getRepository(DocumentNumberEntity);
    let numbered = await repo.findOneBy({ countyId, kind, subjectKey });
    const reissued = !!numbered;
    if (!numbered) {
      const year = Number(shanghaiDateOf(nowMs).slice(0, 4));
      const [{ next }] = await m.query(`SELECT COALESCE(MAX(number), 0) + 1 AS next FROM document_number WHERE county_id = $1 AND year = $2`, [countyId, year]);
      numbered = await repo.save(repo.create({ countyId, kind, year, number: Number(next), subjectKey, escalationIds: ids, issuedAt: new Date(nowMs), issuedByName: user.name }));
    }
    const letterhead = await this.letterhead(user, m);
    const text = numberText(letterhead.numberPrefix, numbered.year, numbered.number);
    const caseIds = [...new Set(rows.map((r) => r.case_id))];
    await recordAudit(m, {
      caseId: caseIds.length === 1 ? caseIds[0] : null,
      actor: actorOf(user),
      action: 'document.issued',
      payload: {
        countyId,
        kind,
        numberText: text,
        year: numbered.year,
        number: numbered.number,
        escalationIds: ids,
        organizationNames: [...new Set(rows.map((r) => r.organization_name))],
        reissued,
      },
    });
    return { letterhead, numberText: text, issuedOn: shanghaiDateOf(numbered.issuedAt.getTime()) };
  }

  private fileName(kind: CountyDocumentKind, head: DocumentHead, about: string): string {
    return `${DOCUMENT_KIND_LABELS[kind]}-${about}-${head.numberText}.docx`;
  }

  /** POST …/escalations/:id/supervision-order.docx and …/interview-notice.docx: one escalation of the right rung. */
  async single(user: AuthUser, id: string, kind: 'supervision_order' | 'interview_notice', nowMs = Date.now()): Promise<IssuedDocument> {
    return this.dataSource.transaction(async (m) => {
      const [row] = await this.rows(user, [id], m);
      const wanted: EscalationRung = kind === 'supervision_order' ? 'supervision' : 'interview';
      if (row.rung !== wanted) throw DocumentException.wrongRung(id, kind, row.rung);
      const head = await this.issue(m, user, kind, [row], nowMs);
      const e = toDocumentEscalation(row);
      const buffer = kind === 'supervision_order' ? await supervisionOrderDocx(head, e) : await interviewNoticeDocx(head, e, await this.interviewParties(m, row));
      const ascii = kind === 'supervision_order' ? 'supervision-order.docx' : 'interview-notice.docx';
      return { buffer, numberText: head.numberText, disposition: attachmentDisposition(ascii, this.fileName(kind, head, row.organization_name)) };
    });
  }

  /** Who a 约谈 summons (the township's party secretary, the organization's secretary) and who holds it. */
  private async interviewParties(m: EntityManager, row: Row): Promise<{ summoned: string[]; heldBy: string | null }> {
    const people: { display_name: string; title: string; role: string }[] = await m.query(
      `SELECT display_name, title, role FROM app_user
        WHERE active AND ((role = 'township_party_secretary' AND region_id = $1) OR (role = 'county_party_secretary' AND region_id = $2))
        ORDER BY created_at, id`,
      [row.township_id, row.county_id],
    );
    const township = row.township_name ?? '';
    const secretaries = people.filter((p) => p.role === 'township_party_secretary').map((p) => `${township}党委书记 ${p.display_name}`);
    const summoned = [...(secretaries.length ? secretaries : [`${township}党委书记`]), ...(row.organization_secretary ? [`${row.organization_name}书记 ${row.organization_secretary}`] : [])];
    const holder = people.find((p) => p.role === 'county_party_secretary');
    return { summoned, heldBy: holder ? `${holder.title || '县委书记'} ${holder.display_name}` : null };
  }

  /** POST /api/documents/bulletin: a 通报 of the escalations named, or of the filter's (open ones by default). */
  async bulletin(user: AuthUser, dto: BulletinDto, nowMs = Date.now()): Promise<IssuedDocument> {
    return this.dataSource.transaction(async (m) => {
      let rows: Row[];
      if (dto.escalationIds?.length) {
        rows = await this.rows(user, [...new Set(dto.escalationIds)], m);
      } else {
        const qb = this.select(user, m);
        if (dto.rung) qb.andWhere('e.rung = :rung', { rung: dto.rung });
        if (dto.kind) qb.andWhere('e.kind = :kind', { kind: dto.kind });
        if (dto.townshipId) qb.andWhere('e.township_id = :townshipId', { townshipId: dto.townshipId });
        if (dto.status === 'open') qb.andWhere('e.resolved_at IS NULL AND e.acknowledged_at IS NULL');
        else if (dto.status === 'acknowledged') qb.andWhere('e.resolved_at IS NULL AND e.acknowledged_at IS NOT NULL');
        else if (dto.status === 'resolved') qb.andWhere('e.resolved_at IS NOT NULL');
        else qb.andWhere('e.resolved_at IS NULL');
        rows = await qb.orderBy('e.raised_at', 'DESC').addOrderBy('e.id', 'DESC').limit(MAX_BULLETIN_ITEMS + 1).getRawMany<Row>();
        if (rows.length > MAX_BULLETIN_ITEMS) {
          throw new ApiException(
            HttpStatus.UNPROCESSABLE_ENTITY,
            'DOCUMENT_TOO_MANY',
            `符合条件的督办问责记录超过${MAX_BULLETIN_ITEMS}条，请缩小范围（如按乡镇、问责层级筛选）`,
            `More than ${MAX_BULLETIN_ITEMS} escalations match: narrow the filter`,
            { max: MAX_BULLETIN_ITEMS },
          );
        }
      }
      if (rows.length === 0) throw DocumentException.nothingToList();
      rows.sort((a, b) => (a.township_name ?? '').localeCompare(b.township_name ?? '', 'zh') || a.organization_name.localeCompare(b.organization_name, 'zh') || a.deadline.localeCompare(b.deadline));
      const head = await this.issue(m, user, 'bulletin', rows, nowMs);
      const buffer = await bulletinDocx(head, rows.map(toDocumentEscalation));
      const orgs = new Set(rows.map((r) => r.organization_name));
      const about = orgs.size === 1 ? rows[0].organization_name : `${orgs.size}个基层党组织`;
      return { buffer, numberText: head.numberText, disposition: attachmentDisposition('bulletin.docx', this.fileName('bulletin', head, about)) };
    });
  }
}
