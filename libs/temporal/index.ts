export * from './rectify-case.client';
export * from './star-rating.client';
export * from './client-connection';
