import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '../../../../libs/config';
import { OrganizationEntity, RegionEntity } from '../../../../libs/persistence';
import { caseIdFor } from '../../../../libs/domain';
import { AppModule } from '../app.module';
import { CasesService } from '../cases/cases.service';
import { CaseException } from '../cases/case.exception';
import { DEMO_BATCH_YEAR, DEMO_COUNTY, DEMO_DESIGNATIONS, DEMO_DESIGNATOR, DEMO_TOWNSHIPS } from './demo-county';

export interface SeedResult {
  regionsCreated: number;
  organizationsCreated: number;
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
export async function seedDemoCounty(ds: DataSource, cases: CasesService): Promise<SeedResult> {
  const result: SeedResult = { regionsCreated: 0, organizationsCreated: 0, casesDesignated: 0 };
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
  for (const d of DEMO_DESIGNATIONS) {
    const organizationId = orgIdByVillageCode.get(d.villageCode);
    if (!organizationId) throw new Error(`demo designation names unknown village ${d.villageCode}`);
    try {
      await cases.designate({ organizationId, batchYear: DEMO_BATCH_YEAR, reasons: d.reasons, note: d.note, designatedBy: DEMO_DESIGNATOR });
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
      const result = await seedDemoCounty(app.get(DataSource), app.get(CasesService));
      console.log(
        result.regionsCreated + result.organizationsCreated + result.casesDesignated === 0
          ? `[seed] demo county ${DEMO_COUNTY.name} already loaded`
          : `[seed] demo county ${DEMO_COUNTY.name}: ${result.regionsCreated} regions, ${result.organizationsCreated} organizations, ${result.casesDesignated} cases designated`,
      );
    } finally {
      await app.close();
    }
  })().catch((err) => {
    console.error('[seed] failed:', err);
    process.exit(1);
  });
}
