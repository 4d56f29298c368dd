export * from './types';
export * from './deadlines';
