import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { WorkflowNotFoundError } from '@temporalio/client';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '../../../../libs/config';
import { AppUserEntity, OrganizationEntity, RegionEntity } from '../../../../libs/persistence';
import { AuthService } from '../auth/auth.service';
import { caseIdFor, deriveTasks, normalizeUsername, practiceFor, ratingIdFor, startOfShanghaiDay, type Designation } from '../../../../libs/domain';
import { projectCaseChange } from '../../../../libs/read-model';
import { restartRectifyCase } from '../../../../libs/temporal';
import { actorOf } from '../auth/auth-user';
import { PoliciesService } from '../policies/policies.service';
import { TemporalClientService } from '../temporal/temporal.module';
import { demoBatchDates, runDemoHistory, type DemoCast, type DemoCourse } from './demo-history';
import { AppModule } from '../app.module';
import { CasesService } from '../cases/cases.service';
import { CaseException } from '../cases/case.exception';
import { StarRatingsService } from '../star-ratings/star-ratings.service';
import { DEMO_BATCH_YEAR, DEMO_CITY, DEMO_COUNTY, DEMO_DESIGNATIONS, DEMO_OTHER_ORGANIZATIONS, DEMO_PASSWORD, DEMO_PROVINCE, DEMO_RATING_STEPS, DEMO_RATING_YEAR, DEMO_TOWNSHIPS, DEMO_USERS } from './demo-county';

export interface SeedResult {
  regionsCreated: number;
  organizationsCreated: number;
  usersCreated: number;
  casesDesignated: number;
  ratingsStarted: number;
}

/** Inserts a region by code unless it exists; returns it either way. */
async function upsertRegion(ds: DataSource, code: string, name: string, level: RegionEntity['level'], parent: RegionEntity | null) {
  const repo = ds.getRepository(RegionEntity);
  const existing = await repo.findOneBy({ code });
  if (existing) return { region: existing, created: false };
  const region = repo.create({ code, name, level, parentId: parent?.id ?? null, path: '' });
  await repo.save(region);
  region.path = `${parent?.path ?? '/'}${region.id}/`;
  await repo.save(region);
  return { region, created: true };
}

/**
 * Starts a demo case with its past (demo-history.ts) unless its workflow exists: the audit events and
 * the state of that past are written by the projection the workflow's activity uses (keyed, so a
 * second load writes nothing twice), then the case's workflow starts from that state with the
 * `restored` input, as a restart would. Its first sync plans reminders and escalations against today's
 * clock and raises those due, exactly as for any case: the 督办, 通报 and 约谈 of the demo are real.
 * Answers whether it started the case (false: it was there already).
 */
async function startCaseWithHistory(ds: DataSource, temporal: TemporalClientService, designation: Designation, course: DemoCourse, cast: DemoCast): Promise<boolean> {
  try {
    await temporal.client.workflow.getHandle(designation.caseId).describe();
    return false;
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
  const { state, events } = runDemoHistory(designation, course, cast);
  await projectCaseChange(ds, state, events, deriveTasks(state, Date.now()));
  await restartRectifyCase(temporal.client, temporal.taskQueue, state, {
    by: cast.countyAdmin,
    reason: '演示县载入：案件按认定以来的整顿进度开始运行（演示数据）',
    previousRunStatus: 'DEMO_HISTORY',
  });
  // The run's first sync has written the case anew (one version on) with its notices: wait for it.
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const [row]: { version: number }[] = await ds.query('SELECT version FROM rectification_case WHERE id = $1', [designation.caseId]);
    if (row && row.version > state.version) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`demo case ${designation.caseId} did not start within 30 s (is the worker running?)`);
}

/**
 * Loads the demo county unless it is already there: regions and organizations by code, then the
 * cases — those with a past through the case's rules on a past clock (startCaseWithHistory), the late
 * additions through the same service the API uses (a case that exists is left alone).
 */
export async function seedDemoCounty(app: INestApplicationContext, options: { ratings?: boolean } = {}): Promise<SeedResult> {
  const ds = app.get(DataSource);
  const cases = app.get(CasesService);
  const auth = app.get(AuthService);
  const policies = app.get(PoliciesService);
  const temporal = app.get(TemporalClientService);
  const ratings = options.ratings === false ? undefined : app.get(StarRatingsService);
  const result: SeedResult = { regionsCreated: 0, organizationsCreated: 0, usersCreated: 0, casesDesignated: 0, ratingsStarted: 0 };
  const orgRepo = ds.getRepository(OrganizationEntity);
  const county = await upsertRegion(ds, DEMO_COUNTY.code, DEMO_COUNTY.name, 'county', null);
  result.regionsCreated += Number(county.created);
  // The province and city above it (issue 17): the county keeps its own path and names the city as parent.
  const province = await upsertRegion(ds, DEMO_PROVINCE.code, DEMO_PROVINCE.name, 'province', null);
  const city = await upsertRegion(ds, DEMO_CITY.code, DEMO_CITY.name, 'city', province.region);
  result.regionsCreated += Number(province.created) + Number(city.created);
  if (county.region.parentId !== city.region.id) await ds.getRepository(RegionEntity).update({ id: county.region.id }, { parentId: city.region.id });
  const orgIdByVillageCode = new Map<string, string>();
  for (const t of DEMO_TOWNSHIPS) {
    const township = await upsertRegion(ds, t.code, t.name, 'township', county.region);
    result.regionsCreated += Number(township.created);
    for (const v of t.villages) {
      const village = await upsertRegion(ds, v.code, v.name, 'village', township.region);
      result.regionsCreated += Number(village.created);
      const orgCode = `ORG-${v.code}`;
      let org = await orgRepo.findOneBy({ code: orgCode });
      if (!org) {
        org = await orgRepo.save(
          orgRepo.create({
            code: orgCode,
            name: `${t.name}${v.name}党${v.domain === 'community' ? '委' : '支部'}`,
            domain: v.domain,
            regionId: village.region.id,
            townshipId: township.region.id,
            countyId: county.region.id,
            secretaryName: v.secretaryName,
          }),
        );
        result.organizationsCreated += 1;
      }
      orgIdByVillageCode.set(v.code, org.id);
    }
  }
  // A school (and any other kind) sits in a community's region, its township and county above it.
  for (const o of DEMO_OTHER_ORGANIZATIONS) {
    const region = await ds.getRepository(RegionEntity).findOneByOrFail({ code: o.regionCode });
    let org = await orgRepo.findOneBy({ code: `ORG-${o.code}` });
    if (!org) {
      org = await orgRepo.save(orgRepo.create({ code: `ORG-${o.code}`, name: o.name, domain: o.domain, regionId: region.id, townshipId: region.parentId!, countyId: county.region.id, secretaryName: o.secretaryName }));
      result.organizationsCreated += 1;
    }
    orgIdByVillageCode.set(o.code, org.id);
  }
  const userRepo = ds.getRepository(AppUserEntity);
  const regionRepo = ds.getRepository(RegionEntity);
  for (const u of DEMO_USERS) {
    if (await userRepo.existsBy({ username: normalizeUsername(u.username) })) continue;
    const region = await regionRepo.findOneByOrFail({ code: u.regionCode });
    await userRepo.save(
      userRepo.create({
        username: normalizeUsername(u.username),
        displayName: u.displayName,
        title: u.title,
        role: u.role,
        regionId: region.id,
        passwordHash: await auth.hashPassword(DEMO_PASSWORD),
        active: true,
      }),
    );
    result.usersCreated += 1;
  }
  const admin = await auth.toAuthUser(await userRepo.findOneByOrFail({ username: 'zzb_admin' }));

  const byUsername = async (username: string) => auth.toAuthUser(await userRepo.findOneByOrFail({ username: normalizeUsername(username) }));
  const { designatedOn } = demoBatchDates();
  const inspector = actorOf(await byUsername('ducha'));
  for (const d of DEMO_DESIGNATIONS) {
    const organizationId = orgIdByVillageCode.get(d.villageCode);
    if (!organizationId) throw new Error(`demo designation names unknown village ${d.villageCode}`);
    if (d.course) {
      const org = await orgRepo.findOneByOrFail({ id: organizationId });
      const secretary = DEMO_USERS.find((u) => u.role === 'township_party_secretary' && d.villageCode.startsWith(u.regionCode));
      if (!secretary || !d.leader) throw new Error(`demo case of ${d.villageCode} needs its township secretary and contact leader among the demo users`);
      const leader = await byUsername(d.leader);
      const policy = await policies.currentPolicy(org.countyId);
      const designation: Designation = {
        caseId: caseIdFor(org.id, DEMO_BATCH_YEAR),
        organization: { id: org.id, name: org.name, townshipId: org.townshipId, countyId: org.countyId, regionId: org.regionId, domain: org.domain },
        batchYear: DEMO_BATCH_YEAR,
        reasons: [...d.reasons].sort(),
        note: d.note,
        designatedBy: actorOf(admin),
        designatedAt: new Date(startOfShanghaiDay(designatedOn) + 10 * 3600_000).toISOString(),
        policy,
        // What the county's policy gives the kind, as for a case designated today: its steps inspected, its acceptance scored.
        practice: practiceFor(policy, org.domain),
      };
      const cast: DemoCast = {
        countyAdmin: actorOf(admin),
        townshipSecretary: actorOf(await byUsername(secretary.username)),
        contactLeader: { ...actorOf(leader), title: leader.title ?? '县级领导' },
        inspector,
        branchSecretary: org.secretaryName ?? '周新书',
      };
      if (await startCaseWithHistory(ds, temporal, designation, d.course, cast)) result.casesDesignated += 1;
      continue;
    }
    try {
      await cases.designate(admin, { organizationId, batchYear: DEMO_BATCH_YEAR, reasons: d.reasons, note: d.note });
      result.casesDesignated += 1;
    } catch (err) {
      if (err instanceof CaseException && err.getStatus() === 409) continue;
      throw new Error(`designating demo case ${caseIdFor(organizationId, DEMO_BATCH_YEAR)} failed: ${String(err)}`);
    }
  }
  if (ratings) await seedDemoRatings(ds, ratings, auth, admin, orgIdByVillageCode, result);
  return result;
}

/**
 * The year-end star rating of the demo county: launched for all (idempotent), then a few
 * applications and evaluations, each taken only while the rating still waits for it.
 */
async function seedDemoRatings(
  ds: DataSource,
  ratings: StarRatingsService,
  auth: AuthService,
  admin: Awaited<ReturnType<AuthService['toAuthUser']>>,
  orgIdByVillageCode: Map<string, string>,
  result: SeedResult,
): Promise<void> {
  result.ratingsStarted = (await ratings.launch(admin, { year: DEMO_RATING_YEAR })).started;
  const userRepo = ds.getRepository(AppUserEntity);
  const townshipUser = async (villageCode: string) => {
    const username = villageCode.startsWith('990101001') ? 'hefeng_shuji' : 'qingshi_shuji';
    return auth.toAuthUser(await userRepo.findOneByOrFail({ username }));
  };
  for (const step of DEMO_RATING_STEPS) {
    const organizationId = orgIdByVillageCode.get(step.villageCode);
    if (!organizationId) throw new Error(`demo rating names unknown village ${step.villageCode}`);
    const id = ratingIdFor(organizationId, DEMO_RATING_YEAR);
    const by = step.by === 'county' ? admin : await townshipUser(step.villageCode);
    const { record } = await ratings.get(admin, id);
    if (record?.stage === 'applying') await ratings.step(by, id, 'applyForRating', step.application);
    if (step.evaluation && (record?.stage === 'applying' || record?.stage === 'evaluating')) await ratings.step(by, id, 'evaluateRating', step.evaluation);
  }
}

if (require.main === module) {
  (async () => {
    const config = loadConfigOrExit('api');
    if (config.nodeEnv === 'production') {
      // The demo users' password is published in the README: never load them where real data lives.
      console.error('[seed] refusing to load the demo county in production (NODE_ENV=production): its users share the published demo password / 生产环境不加载演示数据');
      process.exit(78);
    }
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
    try {
      const result = await seedDemoCounty(app);
      console.log(
        result.regionsCreated + result.organizationsCreated + result.usersCreated + result.casesDesignated + result.ratingsStarted === 0
          ? `[seed] demo county ${DEMO_COUNTY.name} already loaded`
          : `[seed] demo county ${DEMO_COUNTY.name}: ${result.regionsCreated} regions, ${result.organizationsCreated} organizations, ${result.usersCreated} users, ${result.casesDesignated} cases designated, ${result.ratingsStarted} star ratings started`,
      );
    } finally {
      await app.close();
    }
  })().catch((err) => {
    console.error('[seed] failed:', err);
    process.exit(1);
  });
}
