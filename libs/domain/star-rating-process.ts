// Moved to ./star-rating (a directory of one file per step); kept while importers move.
export * from './star-rating';
