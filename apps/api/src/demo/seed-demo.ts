import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '../../../../libs/config';
import { AppUserEntity, OrganizationEntity, RegionEntity } from '../../../../libs/persistence';
import { AuthService } from '../auth/auth.service';
import { caseIdFor, normalizeUsername, ratingIdFor } from '../../../../libs/domain';
import { AppModule } from '../app.module';
import { CasesService } from '../cases/cases.service';
import { CaseException } from '../cases/case.exception';
import { StarRatingsService } from '../star-ratings/star-ratings.service';
import { DEMO_BATCH_YEAR, DEMO_COUNTY, DEMO_DESIGNATIONS, DEMO_PASSWORD, DEMO_RATING_STEPS, DEMO_RATING_YEAR, DEMO_TOWNSHIPS, DEMO_USERS } from './demo-county';

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
 * Loads the demo county unless it is already there: regions and organizations by code, then the
 * designated cases through the same service the API uses (a case that exists is left alone).
 */
export async function seedDemoCounty(ds: DataSource, cases: CasesService, auth: AuthService, ratings?: StarRatingsService): Promise<SeedResult> {
  const result: SeedResult = { regionsCreated: 0, organizationsCreated: 0, usersCreated: 0, casesDesignated: 0, ratingsStarted: 0 };
  const orgRepo = ds.getRepository(OrganizationEntity);
  const county = await upsertRegion(ds, DEMO_COUNTY.code, DEMO_COUNTY.name, 'county', null);
  result.regionsCreated += Number(county.created);
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

  for (const d of DEMO_DESIGNATIONS) {
    const organizationId = orgIdByVillageCode.get(d.villageCode);
    if (!organizationId) throw new Error(`demo designation names unknown village ${d.villageCode}`);
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
      const result = await seedDemoCounty(app.get(DataSource), app.get(CasesService), app.get(AuthService), app.get(StarRatingsService));
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
