export * from './statutory-calendar';
