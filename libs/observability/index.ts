export * from './logger';
export * from './metrics-server';
export * from './temporal-logger';
export * from './tracing';
