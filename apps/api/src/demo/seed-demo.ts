import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '../../../../libs/config';
import { AppUserEntity, OrganizationEntity, RegionEntity } from '../../../../libs/persistence';
import { AuthService } from '../auth/auth.service';
import { caseIdFor } from '../../../../libs/domain';
import { AppModule } from '../app.module';
import { CasesService } from '../cases/cases.service';
import { CaseException } from '../cases/case.exception';
import { DEMO_BATCH_YEAR, DEMO_COUNTY, DEMO_DESIGNATIONS, DEMO_PASSWORD, DEMO_TOWNSHIPS, DEMO_USERS } from './demo-county';

export interface SeedResult {
  regionsCreated: number;
  organizationsCreated: number;
  usersCreated: number;
  casesDesignated: number;
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
export async function seedDemoCounty(ds: DataSource, cases: CasesService, auth: AuthService): Promise<SeedResult> {
  const result: SeedResult = { regionsCreated: 0, organizationsCreated: 0, usersCreated: 0, casesDesignated: 0 };
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
    if (await userRepo.existsBy({ username: u.username })) continue;
    const region = await regionRepo.findOneByOrFail({ code: u.regionCode });
    await userRepo.save(
      userRepo.create({
        username: u.username,
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
  return result;
}

if (require.main === module) {
  (async () => {
    const config = loadConfigOrExit('api');
    const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: ['error', 'warn'] });
    try {
      const result = await seedDemoCounty(app.get(DataSource), app.get(CasesService), app.get(AuthService));
      console.log(
        result.regionsCreated + result.organizationsCreated + result.usersCreated + result.casesDesignated === 0
          ? `[seed] demo county ${DEMO_COUNTY.name} already loaded`
          : `[seed] demo county ${DEMO_COUNTY.name}: ${result.regionsCreated} regions, ${result.organizationsCreated} organizations, ${result.usersCreated} users, ${result.casesDesignated} cases designated`,
      );
    } finally {
      await app.close();
    }
  })().catch((err) => {
    console.error('[seed] failed:', err);
    process.exit(1);
  });
}
