export * from './channel-senders';
export * from './delivery-activities';
export * from './dispatcher-client';
