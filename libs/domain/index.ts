// Pure domain types and rules. Imported by workflows too, so nothing here may do I/O or use Node built-ins.
export * from './designation';
export * from './organization';
export * from './case-stage';
export * from './roles';
export * from './policy';
export * from './policy-floors';
export * from './shanghai-time';
export * from './case';
export * from './notices';
export * from './working-calendar';
export * from './dashboard';
export * from './outlook';
export * from './labels';
export * from './audit-sentence';
export * from './star-rating';
export * from './username';
export * from './practice';
