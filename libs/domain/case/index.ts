export * from './types';
export * from './rules';
export * from './commands';
export * from './acceptance';
export * from './machine';
export * from './clock';
export * from './tasks';
export * from './limits';
