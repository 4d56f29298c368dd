import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../../../../libs/config';
import { dataSourceOptions } from '../../../../libs/persistence';
import { runMigrations } from '../../../../libs/persistence/migrate';
import { createCounty, CreateCountyError } from './create-county';

/**
 * `npm run admin -- create-county --name 青禾县 --code 990101000000 --admin-username zzb --admin-name 张三`,
 * or in the production container `node dist/apps/api/src/admin/admin-cli.js create-county …`: the
 * first step of a real county on an empty database (migrations applied, then the county and its first
 * county organization department account). Everything after it is done in the web app.
 */

const USAGE = `用法 / usage:
  npm run admin -- create-county --name <县（区）名称> --code <12 位统计用区划代码> --admin-username <用户名> --admin-name <姓名>
  node dist/apps/api/src/admin/admin-cli.js create-county …   (生产容器中 / in the production container)`;

/** Exit statuses: refused (bad input, county exists) and wrong usage, as sysexits names them. */
const EXIT_REFUSED = 65;
const EXIT_USAGE = 64;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'create-county') {
    console.error(command ? `未知命令 / unknown command: ${command}\n${USAGE}` : USAGE);
    return EXIT_USAGE;
  }
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { name: { type: 'string' }, code: { type: 'string' }, 'admin-username': { type: 'string' }, 'admin-name': { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const missing = ['name', 'code', 'admin-username', 'admin-name'].filter((k) => !values[k]);
  if (missing.length > 0) {
    console.error(`缺少参数 / missing: ${missing.map((k) => `--${k}`).join(' ')}\n${USAGE}`);
    return EXIT_USAGE;
  }

  // The command never calls Temporal: the API's configuration is read without requiring its address.
  const config = loadConfig('api', { TEMPORAL_ADDRESS: '127.0.0.1:7233', ...process.env });
  await runMigrations(config.databaseUrl);
  const ds = new DataSource(dataSourceOptions(config.databaseUrl));
  await ds.initialize();
  try {
    const created = await createCounty(ds, {
      name: values.name!,
      code: values.code!,
      adminUsername: values['admin-username']!,
      adminName: values['admin-name']!,
      hashRounds: config.auth.passwordHashRounds,
    });
    console.log(
      [
        `已创建县（区）：${created.county.name}（${created.county.code}）`,
        `县委组织部管理员：${created.admin.name}，用户名 ${created.admin.username}`,
        `一次性密码（只显示这一次，首次登录须修改）/ one-time password (shown once, change it at the first sign-in):`,
        `  ${created.oneTimePassword}`,
        `下一步：登录网页，修改密码，然后导入区划、人员、党组织，发布整顿政策，导入节假日安排，设置通知渠道。`,
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    if (err instanceof CreateCountyError) {
      console.error(`[admin] ${err.zh}\n[admin] ${err.en}`);
      return EXIT_REFUSED;
    }
    throw err;
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      if (err instanceof ConfigError) {
        console.error(`[admin] ${err.message}`);
        process.exit(78);
      }
      console.error('[admin] failed:', err);
      process.exit(1);
    },
  );
}
