/**
 * The one declaration of every table, bucket, queue, topic, bus, schedule group, function and HTTP
 * route, a file for each kind, and of the environment a function gets from them. The CDK app (infra/)
 * turns it into CloudFormation; the local runtime (local/) turns it into DynamoDB Local tables, local
 * queues and the same environment variables, so what runs locally is what deploys.
 */

export * from './buckets';
export * from './environment';
export * from './functions';
export * from './http-routes';
export * from './messaging';
export * from './schedules';
export * from './tables';
