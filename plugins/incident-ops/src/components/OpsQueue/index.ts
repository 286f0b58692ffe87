export { OpsQueue, type OpsQueueProps } from './OpsQueue';
export { OpsQueuePage } from './OpsQueuePage';
export { EntityOpsContent } from './EntityOpsContent';
