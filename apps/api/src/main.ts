import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfigOrExit } from '../../../libs/config';
import { AppModule } from './app.module';
import { configureApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfigOrExit('api');
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), { bodyParser: true });
  configureApp(app);
  await app.listen(config.api.port, config.api.host);
  console.log(`[api] listening on http://${config.api.host}:${config.api.port}/api`);
}

main().catch((err) => {
  console.error('[api] fatal:', err);
  process.exit(1);
});
