import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { queryCaseState } from '../../libs/temporal';
import type { WebhookReceiver } from '../support/webhook-receiver';
import type { ScriptedBatch } from './scripted-batch';

/**
 * Everything a case left in PostgreSQL, with its own ids taken out (case id → "<case>", users → their
 * role), so two runs of the same script on different organizations compare equal when they did the same.
 */
export interface CaseFootprint {
  stage: string;
  version: number;
  /** The read model's row: the same stage and version as the workflow. */
  record: { stage: string; version: number } | null;
  /** "seq action" of every audit row, in order: a step applied twice shows as an extra row. */
  audit: string[];
  /** "key status" of every task. */
  tasks: string[];
  /** "notice key → recipient role" of every inbox entry. */
  notifications: string[];
  /** "deadline rung open|resolved" of every escalation record. */
  escalations: string[];
  /** The notice key of every delivery row (its status is compared apart: a crash may leave it 'unknown'). */
  deliveries: string[];
}

const sorted = (xs: string[]) => [...xs].sort();

export async function footprintOf(client: Client, ds: DataSource, caseId: string): Promise<CaseFootprint> {
  const strip = (s: string) => s.split(caseId).join('<case>');
  const state = await queryCaseState(client, caseId);
  if (!state) throw new Error(`no workflow for ${caseId}`);
  const [record] = await ds.query(`SELECT stage, version FROM rectification_case WHERE id = $1`, [caseId]);
  const audit: { idempotency_key: string; action: string }[] = await ds.query(`SELECT idempotency_key, action FROM audit_entry WHERE case_id = $1`, [caseId]);
  const tasks: { key: string; status: string }[] = await ds.query(`SELECT key, status FROM task WHERE case_id = $1`, [caseId]);
  const notifications: { notice_key: string; role: string }[] = await ds.query(
    `SELECT n.notice_key, u.role FROM notification n JOIN app_user u ON u.id = n.user_id WHERE n.case_id = $1`,
    [caseId],
  );
  const escalations: { deadline_key: string; rung: string; resolved: boolean }[] = await ds.query(
    `SELECT deadline_key, rung, resolved_at IS NOT NULL AS resolved FROM escalation WHERE case_id = $1`,
    [caseId],
  );
  const deliveries: { key: string }[] = await ds.query(`SELECT notice->>'key' AS key FROM delivery WHERE case_id = $1`, [caseId]);
  const seq = (key: string) => Number(key.slice(key.lastIndexOf(':e') + 2));
  return {
    stage: state.stage,
    version: state.version,
    record: record ? { stage: record.stage, version: Number(record.version) } : null,
    audit: audit.map((a) => ({ n: seq(a.idempotency_key), a })).sort((x, y) => x.n - y.n).map(({ n, a }) => `${n} ${a.action}`),
    tasks: sorted(tasks.map((t) => `${strip(t.key)} ${t.status}`)),
    notifications: sorted(notifications.map((n) => `${strip(n.notice_key)} → ${n.role}`)),
    escalations: sorted(escalations.map((e) => `${e.deadline_key} ${e.rung} ${e.resolved ? 'resolved' : 'open'}`)),
    deliveries: sorted(deliveries.map((d) => strip(d.key))),
  };
}

/** Footprints of a batch's cases, by case number. */
export async function footprintsOf(client: Client, ds: DataSource, batch: ScriptedBatch): Promise<CaseFootprint[]> {
  const out: CaseFootprint[] = [];
  for (const caseId of batch.caseIds) out.push(await footprintOf(client, ds, caseId));
  return out;
}

/** Totals over a batch: what a person counting rows would see. */
export function totalsOf(footprints: CaseFootprint[]) {
  const count = (pick: (f: CaseFootprint) => string[], by: (s: string) => string) => {
    const out: Record<string, number> = {};
    for (const f of footprints) for (const s of pick(f)) out[by(s)] = (out[by(s)] ?? 0) + 1;
    return out;
  };
  const last = (s: string) => s.slice(s.lastIndexOf(' ') + 1);
  return {
    stages: count((f) => [f.stage], (s) => s),
    tasks: count((f) => f.tasks, last),
    audit: footprints.reduce((n, f) => n + f.audit.length, 0),
    notifications: footprints.reduce((n, f) => n + f.notifications.length, 0),
    escalations: count((f) => f.escalations, last),
    deliveries: footprints.reduce((n, f) => n + f.deliveries.length, 0),
  };
}

/**
 * Waits until the batch is at rest: no case has an activity or workflow task pending and each read-model
 * row shows its workflow's version; the channel's dispatcher has nothing pending and no delivery is
 * waiting or being sent. Checked twice in a row, a second apart.
 */
export async function settle(client: Client, ds: DataSource, batch: ScriptedBatch, timeoutMs = 180_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let why = '';
  /** What it waited for, with the seconds since the wait began (for the test's log). */
  const waitedFor: string[] = [];
  const started = Date.now();
  while (quiet < 2) {
    if (Date.now() > deadline) throw new Error(`the batch did not settle within ${timeoutMs / 1000} s: ${why}`);
    why = await busyReason(client, ds, batch);
    const kind = why.replace(/^case-\S+: /, '');
    if (why && !waitedFor.some((w) => w.endsWith(kind))) waitedFor.push(`${Math.round((Date.now() - started) / 1000)}s ${kind}`);
    quiet = why ? 0 : quiet + 1;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return waitedFor;
}

async function busyReason(client: Client, ds: DataSource, batch: ScriptedBatch): Promise<string> {
  try {
    for (const caseId of batch.caseIds) {
      const d = await client.workflow.getHandle(caseId).describe();
      if (d.raw.pendingActivities?.length) return `${caseId}: activity ${d.raw.pendingActivities[0].activityType?.name} pending`;
      if (d.raw.pendingWorkflowTask) return `${caseId}: workflow task pending`;
      const state = await queryCaseState(client, caseId);
      const [row] = await ds.query(`SELECT version FROM rectification_case WHERE id = $1`, [caseId]);
      if (!state || !row || Number(row.version) !== state.version) return `${caseId}: read model at ${row?.version}, workflow at ${state?.version}`;
    }
    const dispatcher = await client.workflow.getHandle(batch.dispatcherId).describe();
    if (dispatcher.raw.pendingActivities?.length) return `dispatcher: activity pending`;
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM delivery WHERE channel_id = $1 AND status IN ('pending', 'sending')`, [batch.county.channelId]);
    if (Number(n) > 0) return `${n} deliveries pending or sending`;
    return '';
  } catch (err) {
    return `not reachable: ${String(err)}`;
  }
}

/** The deliveries of a batch by status, and what its webhook received: each notice at most once. */
export async function deliveryOutcome(ds: DataSource, receiver: WebhookReceiver, hookName: string, channelId: string) {
  const rows: { status: string; n: number }[] = await ds.query(`SELECT status, count(*)::int AS n FROM delivery WHERE channel_id = $1 GROUP BY status`, [channelId]);
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  const received = receiver
    .accepted('webhook', hookName)
    .flatMap((r) => ((r.body as { notices?: { key: string }[] })?.notices ?? []).map((n) => n.key));
  const seen = new Set<string>();
  const duplicates = received.filter((k) => (seen.has(k) ? true : (seen.add(k), false)));
  const sentKeys: { key: string }[] = await ds.query(`SELECT notice->>'key' AS key FROM delivery WHERE channel_id = $1 AND status = 'sent'`, [channelId]);
  const sentButNotReceived = sentKeys.map((r) => r.key).filter((k) => !seen.has(k));
  return { byStatus, received: received.length, duplicates, sentButNotReceived };
}
