import type { Client } from '@temporalio/client';
import type { DataSource, EntityManager } from 'typeorm';
import { DEADLINE_KIND_LABELS, NOTICE_RUNG_LABELS, type PlannedNotice, type RaiseNoticesInput, type Recipient, type ResolveEscalationsInput } from '../libs/domain';
import { preparedQuery, type DeliveryNotice, type EscalationRecipients } from '../libs/persistence';
import { signalDeliveryDispatcher } from '../libs/temporal/deliver-notices.client';

export interface NoticeDeps {
  dataSource: DataSource;
  /** To start or signal the delivery workflows; absent in tests that deliver nothing outbound. */
  temporal?: { client: Client; taskQueue: string };
}

interface ResolvedUser {
  id: string;
  display_name: string;
}

/** What one raiseNotices call wrote (rows inserted; a retry inserts none) and which channels it signalled. */
interface RaiseNoticesResult {
  notifications: number;
  escalations: number;
  deliveries: number;
  channelIds: string[];
}

const truncate = (s: string, max: number) => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/** The users a recipient names: the named person if active, else every active holder of the role bound to exactly that region. */
async function resolveRecipient(tx: EntityManager, r: Recipient): Promise<ResolvedUser[]> {
  if (r.userId) {
    return tx.query(`SELECT id, display_name FROM app_user WHERE id::text = $1 AND active ORDER BY id`, [r.userId]);
  }
  return tx.query(`SELECT id, display_name FROM app_user WHERE role = $1 AND region_id::text = $2 AND active ORDER BY id`, [r.role, r.regionId]);
}

/** The inbox title and body of a notice, in Chinese. */
export function inboxText(notice: PlannedNotice, organizationName: string): { title: string; body: string } {
  const label = NOTICE_RUNG_LABELS[notice.rung];
  return {
    title: truncate(`【${label}】${organizationName}：${notice.title}`, 300),
    body: `${notice.reason}\n事项类别：${DEADLINE_KIND_LABELS[notice.kind] ?? notice.kind}\n截止日期：${notice.dueOn}`,
  };
}

/**
 * Raises a case's due notices (inbox notifications, escalation records, outbound deliveries) and
 * resolves escalations whose work is done. Both are idempotent: every row has a natural unique key.
 */
export function createNoticeActivities(deps: NoticeDeps) {
  const { dataSource } = deps;

  async function raise(input: RaiseNoticesInput): Promise<RaiseNoticesResult> {
    const { caseId, organizationName, countyId, townshipId, notices } = input;
    const result: RaiseNoticesResult = { notifications: 0, escalations: 0, deliveries: 0, channelIds: [] };

    await dataSource.transaction(async (tx) => {
      const channels: { id: string }[] = await tx.query(
        `SELECT id FROM notification_channel WHERE township_id::text = $1 AND enabled AND deleted_at IS NULL ORDER BY created_at, id`,
        [townshipId],
      );
      result.channelIds = channels.map((c) => c.id);
      const resolved = new Map<string, ResolvedUser[]>();
      const usersOf = async (r: Recipient) => {
        const key = JSON.stringify([r.userId ?? null, r.role, r.regionId]);
        let users = resolved.get(key);
        if (!users) resolved.set(key, (users = await resolveRecipient(tx, r)));
        return users;
      };

      for (const notice of notices) {
        const users = new Map<string, ResolvedUser>();
        for (const r of notice.recipients) for (const u of await usersOf(r)) users.set(u.id, u);
        const recipients = [...users.values()];
        const { title, body } = inboxText(notice, organizationName);

        // One inbox entry per person.
        if (recipients.length > 0) {
          const inserted: unknown[] = await tx.query(
            `INSERT INTO notification (key, user_id, case_id, notice_key, deadline_key, kind, rung, title, body)
             SELECT $1 || ':' || u, u, $2, $1, $3, $4, $5, $6, $7 FROM unnest($8::uuid[]) AS u
             ON CONFLICT (key) DO NOTHING RETURNING id`,
            [notice.key, caseId, notice.deadlineKey, notice.kind, notice.rung, title, body, recipients.map((u) => u.id)],
          );
          result.notifications += inserted.length;
        }

        // The escalation ledger: every rung but the reminder.
        if (notice.rung !== 'reminder') {
          const recorded: EscalationRecipients = { recipients: notice.recipients, userIds: recipients.map((u) => u.id) };
          const inserted: unknown[] = await tx.query(
            `INSERT INTO escalation (key, case_id, county_id, township_id, organization_name, deadline_key, kind, rung, title, reason, deadline, days_overdue, recipients)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb)
             ON CONFLICT (key) DO NOTHING RETURNING id`,
            [
              notice.key,
              caseId,
              countyId,
              townshipId,
              truncate(organizationName, 100),
              notice.deadlineKey,
              notice.kind,
              notice.rung,
              truncate(notice.title, 300),
              notice.reason,
              notice.dueOn,
              notice.offsetDays,
              JSON.stringify(recorded),
            ],
          );
          result.escalations += inserted.length;
        }

        // One delivery per enabled channel of the case's township.
        if (channels.length > 0) {
          const payload: DeliveryNotice = {
            key: notice.key,
            caseId,
            organizationName,
            countyId,
            townshipId,
            deadlineKey: notice.deadlineKey,
            kind: notice.kind,
            rung: notice.rung,
            rungLabel: NOTICE_RUNG_LABELS[notice.rung],
            title: notice.title,
            reason: notice.reason,
            dueOn: notice.dueOn,
            offsetDays: notice.offsetDays,
            recipientNames: recipients.map((u) => u.display_name),
          };
          const inserted: unknown[] = await tx.query(
            `INSERT INTO delivery (key, channel_id, case_id, notice)
             SELECT $1 || ':' || c, c, $2, $3::jsonb FROM unnest($4::uuid[]) AS c
             ON CONFLICT (key) DO NOTHING RETURNING id`,
            [notice.key, caseId, JSON.stringify(payload), channels.map((c) => c.id)],
          );
          result.deliveries += inserted.length;
        }
      }
    });

    // After commit: each channel's dispatcher runs and knows. A retry of this activity signals again
    // (harmless), so a crash between commit and signal delays nothing for long.
    if (deps.temporal) {
      for (const channelId of result.channelIds) await signalDeliveryDispatcher(deps.temporal.client, deps.temporal.taskQueue, channelId);
    }
    return result;
  }

  return {
    /**
     * In one transaction: resolves each notice's recipients (a named user if active; else every active
     * holder of the role bound exactly to the region), puts the notice in each of their inboxes, records
     * escalation rungs (督办、通报、约谈) in the escalation ledger, and queues one delivery per enabled
     * channel of the case's township — all keyed, ON CONFLICT DO NOTHING, so a retry duplicates nothing.
     * Then signals (or starts) each channel's dispatcher workflow.
     */
    async raiseNotices(input: RaiseNoticesInput): Promise<void> {
      if (input.notices.length === 0) return;
      await raise(input);
    },

    /** Closes the open escalations of the met deadlines (or of the whole case): sets resolved_at once. Idempotent. */
    async resolveEscalations(input: ResolveEscalationsInput): Promise<void> {
      const at = new Date(input.at);
      const when = Number.isNaN(at.getTime()) ? new Date() : at;
      // Prepared: most actions of a case meet a deadline.
      if (input.deadlineKeys === 'all') {
        await preparedQuery(dataSource, `UPDATE escalation SET resolved_at = $2 WHERE case_id = $1 AND resolved_at IS NULL`, [input.caseId, when]);
      } else if (input.deadlineKeys.length > 0) {
        await preparedQuery(dataSource, `UPDATE escalation SET resolved_at = $3 WHERE case_id = $1 AND deadline_key = ANY($2::text[]) AND resolved_at IS NULL`, [
          input.caseId,
          input.deadlineKeys,
          when,
        ]);
      }
      for (const [key, note] of Object.entries(input.notes ?? {})) {
        await dataSource.query(`UPDATE escalation SET resolution_note = $3 WHERE case_id = $1 AND deadline_key = $2 AND resolution_note IS NULL`, [input.caseId, key, note.slice(0, 500)]);
      }
    },
  };
}
