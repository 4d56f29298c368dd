import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reminders and escalations reach people: the in-app inbox (notification), the escalation ledger
 * (escalation: 督办、通报、约谈 with who acknowledged and when it was resolved), each township's outbound
 * channels (DingTalk / WeCom group robots, generic webhooks) and one delivery row per notice and
 * channel. Every natural key is unique so a retried activity writes each row once.
 */
export class Notifications1764300000000 implements MigrationInterface {
  name = 'Notifications1764300000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notification (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key varchar(300) NOT NULL,
        user_id uuid NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
        case_id varchar(100) NOT NULL,
        notice_key varchar(250) NOT NULL,
        deadline_key varchar(150) NOT NULL,
        kind varchar(32) NOT NULL,
        rung varchar(20) NOT NULL CHECK (rung IN ('reminder', 'supervision', 'public_notice', 'interview')),
        title varchar(300) NOT NULL,
        body text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        read_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_notification_key" ON notification (key)`);
    // The inbox: unread first, newest first.
    await q.query(`CREATE INDEX "IDX_notification_inbox" ON notification (user_id, (read_at IS NULL) DESC, created_at DESC, id DESC)`);
    await q.query(`CREATE INDEX "IDX_notification_case" ON notification (case_id)`);

    await q.query(`
      CREATE TABLE escalation (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key varchar(250) NOT NULL,
        case_id varchar(100) NOT NULL,
        county_id uuid NOT NULL REFERENCES region(id),
        township_id uuid NOT NULL REFERENCES region(id),
        organization_name varchar(100) NOT NULL,
        deadline_key varchar(150) NOT NULL,
        kind varchar(32) NOT NULL,
        rung varchar(20) NOT NULL CHECK (rung IN ('supervision', 'public_notice', 'interview')),
        title varchar(300) NOT NULL,
        reason text NOT NULL,
        deadline date NOT NULL,
        days_overdue int NOT NULL,
        recipients jsonb NOT NULL,
        raised_at timestamptz NOT NULL DEFAULT now(),
        acknowledged_by_id uuid REFERENCES app_user(id),
        acknowledged_by_name varchar(50),
        acknowledged_at timestamptz,
        acknowledgement_note varchar(500),
        resolved_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_escalation_key" ON escalation (key)`);
    await q.query(`CREATE INDEX "IDX_escalation_case" ON escalation (case_id, deadline_key)`);
    await q.query(`CREATE INDEX "IDX_escalation_county_raised" ON escalation (county_id, raised_at DESC, id DESC)`);
    await q.query(`CREATE INDEX "IDX_escalation_township_raised" ON escalation (township_id, raised_at DESC, id DESC)`);
    await q.query(`CREATE INDEX "IDX_escalation_open" ON escalation (case_id) WHERE resolved_at IS NULL`);

    await q.query(`
      CREATE TABLE notification_channel (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        county_id uuid NOT NULL REFERENCES region(id),
        township_id uuid NOT NULL REFERENCES region(id),
        kind varchar(16) NOT NULL CHECK (kind IN ('dingtalk', 'wecom', 'webhook')),
        name varchar(100) NOT NULL,
        url varchar(1000) NOT NULL,
        secret varchar(300),
        enabled boolean NOT NULL DEFAULT true,
        max_per_minute int NOT NULL CHECK (max_per_minute BETWEEN 1 AND 600),
        batch_size int NOT NULL DEFAULT 10 CHECK (batch_size BETWEEN 1 AND 100),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await q.query(`CREATE INDEX "IDX_channel_township" ON notification_channel (township_id) WHERE deleted_at IS NULL`);

    await q.query(`
      CREATE TABLE delivery (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        key varchar(300) NOT NULL,
        channel_id uuid NOT NULL REFERENCES notification_channel(id),
        case_id varchar(100) NOT NULL,
        notice jsonb NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'unknown')),
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        batch_id uuid,
        message_id varchar(200),
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX "UQ_delivery_key" ON delivery (key)`);
    await q.query(`CREATE INDEX "IDX_delivery_channel_status" ON delivery (channel_id, status, created_at, id)`);
    await q.query(`CREATE INDEX "IDX_delivery_batch" ON delivery (batch_id)`);
    await q.query(`CREATE INDEX "IDX_delivery_status_created" ON delivery (status, created_at DESC, id DESC)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE delivery`);
    await q.query(`DROP TABLE notification_channel`);
    await q.query(`DROP TABLE escalation`);
    await q.query(`DROP TABLE notification`);
  }
}
