export * from './outbound-url';
export * from './outbound-http';
export * from './channel-senders';
