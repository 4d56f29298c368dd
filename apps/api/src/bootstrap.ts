import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import type { Express } from 'express';
import type { AppConfig } from '../../../libs/config';
import { AuthService } from './auth/auth.service';
import { ApiExceptionFilter } from './common/api-exception.filter';
import { requireSignIn } from './common/docs-access';
import { methodNotAllowed } from './common/method-not-allowed';
import { RefuseUnexpectedBody } from './common/no-body.guard';
import { createOpenApiDocument } from './common/openapi';
import { gzipJsonInOneGo } from './common/json-answers';
import { compressAnswers, securityHeaders } from './common/security-headers';
import { answerClientErrorsInErrorShape, rejectUnsafeUrl } from './common/unsafe-input';
import { createValidationPipe } from './common/validation';
import { observeRequests } from './observability/observe-requests';
import { APP_CONFIG } from './config/config.module';
import { serveWebApp } from './web/web-app';

/** Everything main.ts applies to the app, shared with the tests so they exercise the same pipeline. */
export function configureApp(app: INestApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const production = config.nodeEnv === 'production';
  // First: every request gets its id, its access-log line and its place in the request histogram.
  app.use(observeRequests(app));
  // No X-Powered-By: Express (it tells an attacker which exploits to try).
  (app.getHttpAdapter().getInstance() as Express).disable('x-powered-by');
  app.setGlobalPrefix('api');
  app.use(securityHeaders(production));
  app.use(compressAnswers());
  app.use(gzipJsonInOneGo());
  // A NUL character in the URL (PostgreSQL cannot compare it) and requests Node's parser refuses, in the error shape.
  app.use(rejectUnsafeUrl);
  answerClientErrorsInErrorShape(app.getHttpServer());
  // Which proxies' X-Forwarded-For names the client (req.ip, counted by the sign-in limit); none by default.
  app.getHttpAdapter().getInstance().set('trust proxy', config.api.trustProxy);
  app.useGlobalPipes(createValidationPipe());
  // After AuthGuard (an APP_GUARD, registered when the app was created): sign-in and scope are judged first.
  app.useGlobalGuards(new RefuseUnexpectedBody());
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();
  // The document's schemas come from the DTOs' class-validator rules, so it promises what the pipe enforces.
  const document = createOpenApiDocument(app);
  // An undeclared method on a declared path: 405 with Allow (Nest alone would answer 404).
  app.use(methodNotAllowed(document));
  // In production the API's map is for signed-in users only.
  if (production) app.use(['/api/docs', '/api/docs-json'], requireSignIn(app.get(AuthService)));
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  // The county dashboard (dist/web) at /, with the browser's routes falling back to its index.html.
  serveWebApp(app);
}
