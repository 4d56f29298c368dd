import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';

/**
 * The import direction of STYLE.md, as `npm run lint` enforces it (eslint.config.js): apps → workflows /
 * activities → libs; a workflow's contract lives in libs/contracts and nobody outside workflows/ loads a
 * workflow body; libs/ imports neither workflows/ nor activities/; apps/api imports no activities/; no
 * import cycles. Snippets are linted in memory as if they stood at the given path.
 */
const root = path.resolve(__dirname, '../..');
const DIRECTION_RULES = new Set(['no-restricted-imports', 'import-x/no-cycle']);

// The config is loaded by Jest's require (ESLint would import() it, which Jest's VM cannot).
const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: require('../../eslint.config.js'),
  ruleFilter: ({ ruleId }) => DIRECTION_RULES.has(ruleId),
});

async function violations(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
  const fatal = result.messages.filter((m) => m.fatal);
  if (fatal.length > 0) throw new Error(`${filePath}: ${fatal.map((m) => m.message).join('; ')}`);
  return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const noRestrictedImport = expect.stringMatching(/^no-restricted-imports: /);

describe('import direction (eslint.config.js)', () => {
  it('libs/ may import neither a workflow body nor activities', async () => {
    expect(await violations('libs/temporal/probe.ts', `import { rectifyCase } from '../../workflows/rectify-case';\nexport const x = rectifyCase;\n`)).toEqual([
      expect.stringContaining('libs/contracts'),
    ]);
    expect(await violations('libs/domain/probe.ts', `export * from '../../workflows';\n`)).toEqual([noRestrictedImport]);
    expect(await violations('libs/persistence/probe.ts', `import { createActivities } from '../../activities';\nexport const x = createActivities;\n`)).toEqual([
      expect.stringContaining('Only the worker loads activities/'),
    ]);
    expect(await violations('libs/temporal/probe.ts', `import type { Activities } from '../../activities';\nexport type X = Activities;\n`)).toEqual([noRestrictedImport]);
  });

  it('libs/ may import the contracts and its own modules', async () => {
    expect(
      await violations(
        'libs/temporal/probe.ts',
        `import { caseUpdates } from '../contracts/rectify-case';\nimport { DEFAULT_SENDERS } from '../outbound';\nexport const x = [caseUpdates, DEFAULT_SENDERS];\n`,
      ),
    ).toEqual([]);
  });

  it('apps/api imports no activities and no workflow body, only contracts and libs', async () => {
    const file = 'apps/api/src/cases/probe.ts';
    expect(await violations(file, `import { createCaseProjectionActivities } from '../../../../activities/case-projection';\nexport const x = createCaseProjectionActivities;\n`)).toEqual([
      noRestrictedImport,
    ]);
    expect(await violations(file, `import { signalDeliveryDispatcher } from '../../../../activities/delivery';\nexport const x = signalDeliveryDispatcher;\n`)).toEqual([noRestrictedImport]);
    expect(await violations(file, `import { getCaseStateQuery } from '../../../../workflows/rectify-case';\nexport const x = getCaseStateQuery;\n`)).toEqual([noRestrictedImport]);
    expect(await violations(file, `import { getCaseStateQuery } from '../../../../libs/contracts';\nimport { signalDeliveryDispatcher } from '../../../../libs/temporal';\nexport const x = [getCaseStateQuery, signalDeliveryDispatcher];\n`)).toEqual([]);
  });

  it('the worker, activities and tests may load activities but no workflow body', async () => {
    expect(await violations('apps/worker/src/probe.ts', `import { createActivities } from '../../../activities';\nexport const x = createActivities;\n`)).toEqual([]);
    expect(await violations('apps/worker/src/probe.ts', `import { rectifyCase } from '../../../workflows/rectify-case';\nexport const x = rectifyCase;\n`)).toEqual([noRestrictedImport]);
    expect(await violations('activities/probe.ts', `import { deliverNotices } from '../workflows/deliver-notices';\nexport const x = deliverNotices;\n`)).toEqual([noRestrictedImport]);
    expect(await violations('test/integration/probe.test.ts', `import { caseUpdates } from '../../workflows/rectify-case';\nexport const x = caseUpdates;\n`)).toEqual([noRestrictedImport]);
  });

  it('a workflow names its activities by type only', async () => {
    expect(await violations('workflows/probe.ts', `import type { Activities } from '../activities';\nexport type X = Activities;\n`)).toEqual([]);
    expect(await violations('workflows/probe.ts', `import { createActivities } from '../activities';\nexport const x = createActivities;\n`)).toEqual([noRestrictedImport]);
  });

  it('an import cycle fails the lint', async () => {
    // libs/contracts/index.ts re-exports ./rectify-case: the contract importing its own barrel closes a circle.
    expect(await violations('libs/contracts/rectify-case.ts', `import { CountyIdAttribute } from './index';\nexport const x = CountyIdAttribute;\n`)).toEqual([
      expect.stringMatching(/^import-x\/no-cycle: /),
    ]);
  });

  it('the tree as it is keeps the direction and has no cycle', async () => {
    // lintFiles would import() its globber, which Jest's VM cannot: the files are listed here instead.
    const files = ['libs', 'workflows', 'activities', 'apps/api', 'apps/worker', 'test']
      .flatMap((dir) => readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)))
      .filter((f) => f.endsWith('.ts') && !f.startsWith(path.join('test', 'fixtures')));
    expect(files).toContain(path.join('libs', 'temporal', 'rectify-case.client.ts'));
    const found: string[] = [];
    for (const file of files) found.push(...(await violations(file, readFileSync(path.join(root, file), 'utf8'))).map((v) => `${file}: ${v}`));
    expect(found).toEqual([]);
  }, 600_000);
});
