import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ConfigError, loadConfig } from '../../../../libs/config';
import { REGION_LEVEL_LABELS } from '../../../../libs/domain';
import { dataSourceOptions } from '../../../../libs/persistence';
import { runMigrations } from '../../../../libs/persistence/migrate';
import { AdminCommandError, attachCounty, createRegionWithAdmin, type CreatedLevel, type CreatedRegion } from './create-region';

/**
 * `npm run admin -- create-county --name 青禾县 --code 990101000000 --admin-username zzb --admin-name 张三`,
 * or in the production container `node dist/apps/api/src/admin/admin-cli.js create-county …`: the
 * first step of a real county on an empty database (migrations applied, then the county and its first
 * county organization department account). Everything after it is done in the web app.
 *
 * Above the county (issue 17): `create-region --level province|city …` makes a province or a city
 * with its organization department's first account, `create-county … --parent-code` a county under
 * its city (or province), and `attach-county` puts an existing county under a city.
 */

const USAGE = `用法 / usage:
  npm run admin -- create-county --name <县（区）名称> --code <12 位统计用区划代码> --admin-username <用户名> --admin-name <姓名> [--parent-code <所属市（州）或省的代码>]
  npm run admin -- create-region --level province|city --name <名称> --code <12 位统计用区划代码> [--parent-code <所属省的代码，市（州）必填>] --admin-username <用户名> --admin-name <姓名>
  npm run admin -- attach-county --code <县（区）代码> --parent-code <市（州）或省的代码>
  node dist/apps/api/src/admin/admin-cli.js <命令> …   (生产容器中 / in the production container)`;

/** Exit statuses: refused (bad input, region exists) and wrong usage, as sysexits names them. */
const EXIT_REFUSED = 65;
const EXIT_USAGE = 64;

const COMMANDS = {
  'create-county': { options: ['name', 'code', 'parent-code', 'admin-username', 'admin-name'], required: ['name', 'code', 'admin-username', 'admin-name'] },
  'create-region': { options: ['level', 'name', 'code', 'parent-code', 'admin-username', 'admin-name'], required: ['level', 'name', 'code', 'admin-username', 'admin-name'] },
  'attach-county': { options: ['code', 'parent-code'], required: ['code', 'parent-code'] },
} as const;
type Command = keyof typeof COMMANDS;

function isCommand(command: string | undefined): command is Command {
  return command !== undefined && Object.hasOwn(COMMANDS, command);
}

/** What a creation prints: the region, its first account and the one-time password, once. */
function createdLines(created: CreatedRegion): string[] {
  const label = REGION_LEVEL_LABELS[created.region.level];
  const department = { province: '省委组织部', city: '市（州）委组织部', county: '县委组织部' }[created.region.level];
  const next =
    created.region.level === 'county'
      ? '下一步：登录网页，修改密码，然后导入区划、人员、党组织，发布整顿政策，导入节假日安排，设置通知渠道。'
      : created.region.level === 'province'
        ? '下一步：登录网页，修改密码，然后在“区划”中新建所辖市（州）、把县（区）划入市（州），并在“人员”中为各市（州）委组织部建账号。'
        : '下一步：登录网页，修改密码；所辖县（区）用 create-county --parent-code 创建，或由省委组织部（或 attach-county）划入。';
  return [
    `已创建${label}：${created.region.name}（${created.region.code}）${created.parent ? `，上级：${created.parent.name}（${created.parent.code}）` : ''}`,
    `${department}管理员：${created.admin.name}，用户名 ${created.admin.username}`,
    `一次性密码（只显示这一次，首次登录须修改）/ one-time password (shown once, change it at the first sign-in):`,
    `  ${created.oneTimePassword}`,
    next,
  ];
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!isCommand(command)) {
    console.error(command ? `未知命令 / unknown command: ${command}\n${USAGE}` : USAGE);
    return EXIT_USAGE;
  }
  const spec = COMMANDS[command];
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args: rest, options: Object.fromEntries(spec.options.map((o) => [o, { type: 'string' as const }])), strict: true }) as { values: Record<string, string | undefined> });
  } catch (err) {
    console.error(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    return EXIT_USAGE;
  }
  const missing = spec.required.filter((k) => !values[k]);
  if (missing.length > 0) {
    console.error(`缺少参数 / missing: ${missing.map((k) => `--${k}`).join(' ')}\n${USAGE}`);
    return EXIT_USAGE;
  }
  if (command === 'create-region' && values.level !== 'province' && values.level !== 'city') {
    console.error(`--level 应为 province（省）或 city（市、州）；县（区）用 create-county / --level is province or city: ${values.level}\n${USAGE}`);
    return EXIT_USAGE;
  }

  // The command never calls Temporal: the API's configuration is read without requiring its address.
  const config = loadConfig('api', { TEMPORAL_ADDRESS: '127.0.0.1:7233', ...process.env });
  await runMigrations(config.databaseUrl);
  const ds = new DataSource(dataSourceOptions(config.databaseUrl));
  await ds.initialize();
  try {
    if (command === 'attach-county') {
      const attached = await attachCounty(ds, { code: values.code!, parentCode: values['parent-code']! }, command);
      const where = `${attached.parent.name}（${attached.parent.code}，${REGION_LEVEL_LABELS[attached.parent.level]}）`;
      console.log(
        attached.changed
          ? `已将${attached.county.name}（${attached.county.code}）划入${where}${attached.before ? `，原属${attached.before.name}` : ''}`
          : `${attached.county.name}（${attached.county.code}）已在${where}之下，未作改动`,
      );
      return 0;
    }
    const level: CreatedLevel = command === 'create-county' ? 'county' : (values.level as CreatedLevel);
    const created = await createRegionWithAdmin(
      ds,
      {
        level,
        name: values.name!,
        code: values.code!,
        parentCode: values['parent-code'],
        adminUsername: values['admin-username']!,
        adminName: values['admin-name']!,
        hashRounds: config.auth.passwordHashRounds,
      },
      command,
    );
    console.log(createdLines(created).join('\n'));
    return 0;
  } catch (err) {
    if (err instanceof AdminCommandError) {
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
