import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository, SelectQueryBuilder } from 'typeorm';
import { auditActionLabel, auditSentence, endOfShanghaiDay, startOfShanghaiDay, type UserRole } from '../../../../libs/domain';
import type { AuditItem, AuditPage } from '../../../../libs/http';
import { AppUserEntity, AuditEntryEntity, RectificationCaseEntity, RegionEntity } from '../../../../libs/persistence';
import type { AuthUser } from '../auth/auth-user';
import { ScopeService } from '../scope/scope.service';
import { CURSOR_PATTERNS, instantToMicros, microsToInstant } from '../common/keyset-cursor';
import { AuditException } from './audit.exception';
import type { ListAuditQuery, ListCaseAuditQuery } from './dto/list-audit.query';

/** Roles that may read the entries of other people of their region subtree. */
export const AUDIT_READER_ROLES: readonly UserRole[] = ['county_org_admin', 'inspector'];

export type { AuditItem, AuditPage };

interface RawAuditRow {
  id: string;
  occurred_at: Date;
  occurred_key: string;
  action: string;
  payload: Record<string, unknown> | null;
  case_id: string | null;
  organization_name: string | null;
  actor: string;
  actor_id: string | null;
  actor_role: string | null;
}

/** (occurred_at as an exact UTC text with microseconds, id) of the last row. */
type Cursor = [string, string];

function encodeCursor(c: Cursor): string {
  return `${instantToMicros(c[0])}~${c[1]}`;
}

function decodeCursor(raw: string): Cursor {
  if (!CURSOR_PATTERNS.instantSerial.test(raw)) throw AuditException.invalidCursor();
  const [micros, id] = raw.split('~');
  return [microsToInstant(micros), id];
}

/** The path prefix of the user's region subtree ("/<county>/[<township>/[<village>/]]"). */
function subtreePrefix(user: AuthUser): string {
  return `/${[user.countyId, user.townshipId, user.villageId].filter(Boolean).join('/')}/`;
}

@Injectable()
export class AuditService {
  constructor(
    @InjectRepository(AuditEntryEntity) private readonly entries: Repository<AuditEntryEntity>,
    @InjectRepository(AppUserEntity) private readonly users: Repository<AppUserEntity>,
    private readonly scope: ScopeService,
  ) {}

  /** GET /cases/:id/audit — the case's trail, for anyone who may see the case (else 404). */
  async listForCase(user: AuthUser, caseId: string, query: ListCaseAuditQuery): Promise<AuditPage> {
    await this.scope.assertCaseInScope(user, caseId);
    const qb = this.entries.createQueryBuilder('a').where('a.case_id = :caseId', { caseId });
    return this.page(qb, query);
  }

  /**
   * GET /audit — entries by one person (actorId; yourself by default). Anyone may list their own;
   * the county organization department and inspectors also anyone's of their region subtree, and
   * without actorId everyone's of it.
   */
  async listForActor(user: AuthUser, query: ListAuditQuery): Promise<AuditPage> {
    const reader = AUDIT_READER_ROLES.includes(user.role);
    const actorId = query.actorId ?? (reader ? undefined : user.id);
    const qb = this.entries.createQueryBuilder('a');
    if (actorId === user.id) {
      qb.where('a.actor_id = :actorId', { actorId });
    } else {
      if (!reader) throw AuditException.forbidden(actorId ?? '');
      const prefix = subtreePrefix(user);
      if (actorId) {
        const actor = await this.users
          .createQueryBuilder('u')
          .innerJoin(RegionEntity, 'ur', 'ur.id = u.region_id')
          .where('u.id = :actorId', { actorId })
          .andWhere('starts_with(ur.path, :prefix)', { prefix })
          .getExists();
        if (!actor) throw AuditException.actorNotFound(actorId);
        qb.where('a.actor_id = :actorId', { actorId });
      }
      // Entries by people whose region lies in the reader's subtree.
      qb.innerJoin(AppUserEntity, 'u', 'u.id::text = a.actor_id')
        .innerJoin(RegionEntity, 'ur', 'ur.id = u.region_id')
        .andWhere('starts_with(ur.path, :prefix)', { prefix });
    }
    return this.page(qb, query);
  }

  private async page(qb: SelectQueryBuilder<AuditEntryEntity>, query: ListCaseAuditQuery): Promise<AuditPage> {
    if (query.from && query.to && query.from > query.to) throw AuditException.invalidDateRange(query.from, query.to);
    const limit = query.limit ?? 20;
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.from) qb.andWhere('a.occurred_at >= :fromAt', { fromAt: new Date(startOfShanghaiDay(query.from)) });
    if (query.to) qb.andWhere('a.occurred_at < :toAt', { toAt: new Date(endOfShanghaiDay(query.to)) });
    if (cursor) {
      qb.andWhere('(a.occurred_at, a.id) < (CAST(:cursorAt AS timestamptz), CAST(:cursorId AS bigint))', { cursorAt: cursor[0], cursorId: cursor[1] });
    }
    const rows = await qb
      .leftJoin(RectificationCaseEntity, 'c', 'c.id = a.case_id')
      .select([
        'a.id AS id',
        'a.occurred_at AS occurred_at',
        `to_char(a.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS occurred_key`,
        'a.action AS action',
        'a.payload AS payload',
        'a.case_id AS case_id',
        'c.organization_name AS organization_name',
        'a.actor AS actor',
        'a.actor_id AS actor_id',
        'a.actor_role AS actor_role',
      ])
      .orderBy('a.occurred_at', 'DESC')
      .addOrderBy('a.id', 'DESC')
      .limit(limit + 1)
      .getRawMany<RawAuditRow>();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r): AuditItem => {
        const occurredAt = new Date(r.occurred_at).toISOString();
        const payload = r.payload ?? {};
        const actor = { id: r.actor_id, name: r.actor, role: r.actor_role };
        return {
          id: String(r.id),
          occurredAt,
          action: r.action,
          actionLabel: auditActionLabel(r.action),
          sentence: auditSentence({ occurredAt, action: r.action, payload, actor, organizationName: r.organization_name }),
          payload,
          caseId: r.case_id,
          organizationName: r.organization_name,
          actor,
        };
      }),
      nextCursor: rows.length > limit && last ? encodeCursor([last.occurred_key, String(last.id)]) : null,
    };
  }
}
