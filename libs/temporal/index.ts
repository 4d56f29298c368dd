export * from './rectify-case.client';
export * from './star-rating.client';
export * from './deliver-notices.client';
export * from './client-connection';
