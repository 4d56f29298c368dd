export * from './rectify-case.client';
