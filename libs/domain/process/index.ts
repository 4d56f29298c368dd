// The command kit both processes (the case, the star rating) are built on.
export * from './rules';
export * from './commands';
export * from './checks';
