import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * delivery.last_error is now a short reason (`Webhook 应答 HTTP 500`, `无法连接渠道：连接被拒绝`,
 * `目标地址不允许`), never what the peer answered: the sender used to keep up to 300 characters of the
 * answer, and connection errors with the address tried — which GET /api/deliveries showed, so a
 * channel pointed inside the network read its services' answers back. Existing rows lose those parts;
 * the reason before them stays. Nothing to restore on down.
 */
export class SanitizedDeliveryErrors1764760000000 implements MigrationInterface {
  name = 'SanitizedDeliveryErrors1764760000000';

  public async up(q: QueryRunner): Promise<void> {
    // Each old shape as (pattern, replacement); the peer's text was always the tail of the message.
    const rewrites: [string, string][] = [
      ['(应答 HTTP [0-9]{3})：.*$', '\\1'],
      ['(应答格式不正确)：.*$', '\\1'],
      ['(拒绝消息：errcode [-0-9]+)，.*$', '\\1'],
      ['(渠道地址无效)：.*$', '\\1'],
      ['(无法连接渠道（[A-Z0-9_]+）)：.*$', '\\1'],
      ['连接中断（[^）]*[^A-Z0-9_）][^）]*）', '连接中断'],
      ['读取渠道应答时中断（[^）]*）', '读取渠道应答时中断'],
    ];
    for (const [pattern, replacement] of rewrites) {
      await q.query(`UPDATE delivery SET last_error = regexp_replace(last_error, $1, $2) WHERE last_error ~ $1`, [pattern, replacement]);
    }
  }

  public async down(): Promise<void> {
    // The removed text is gone for good.
  }
}
