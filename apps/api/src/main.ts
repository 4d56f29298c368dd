import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { loadConfigOrExit } from '../../../libs/config';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap';
import { demoAccountsRefusal, demoAccountsWithPublishedPassword } from './demo/demo-accounts';

async function main(): Promise<void> {
  const config = loadConfigOrExit('api');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: true });
  if (config.nodeEnv === 'production') {
    const demoAccounts = await demoAccountsWithPublishedPassword(app.get(DataSource));
    if (demoAccounts.length > 0) {
      console.error(`[api] ${demoAccountsRefusal(demoAccounts)}`);
      await app.close();
      process.exit(78);
    }
  }
  configureApp(app);
  await app.listen(config.api.port, config.api.host);
  console.log(`[api] listening on http://${config.api.host}:${config.api.port}/api`);
}

main().catch((err) => {
  console.error('[api] fatal:', err);
  process.exit(1);
});
