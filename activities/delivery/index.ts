export * from './delivery-activities';
