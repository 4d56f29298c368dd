export * from './rectify-case.client';
export * from './star-rating.client';
