import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '../../../libs/config';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { answerClientErrorsInErrorShape, rejectUnsafeUrl } from './common/unsafe-input';
import { createValidationPipe } from './common/validation';
import { APP_CONFIG } from './config/config.module';
import { serveWebApp } from './web/web-app';

/** Everything main.ts applies to the app, shared with the tests so they exercise the same pipeline. */
export function configureApp(app: INestApplication): void {
  app.setGlobalPrefix('api');
  // A NUL character in the URL (PostgreSQL cannot compare it) and requests Node's parser refuses, in the error shape.
  app.use(rejectUnsafeUrl);
  answerClientErrorsInErrorShape(app.getHttpServer());
  // Which proxies' X-Forwarded-For names the client (req.ip, counted by the sign-in limit); none by default.
  app.getHttpAdapter().getInstance().set('trust proxy', app.get<AppConfig>(APP_CONFIG).api.trustProxy);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('软弱涣散基层党组织整顿 API')
      .setDescription('Rectification of weak and lax grassroots Party organizations: cases, tracks, tasks.')
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  // The county dashboard (dist/web) at /, with the browser's routes falling back to its index.html.
  serveWebApp(app);
}
