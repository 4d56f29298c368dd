export * from './case-projection';
export * from './county-secretary-task';
