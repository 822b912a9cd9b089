import type { TestProject } from 'vitest/node';
import { startDynamoDBLocal } from '../../local/dynamodb-local';
import { createTables } from '../../local/tables';
import { Env } from '../../shared/env';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
  }
}

/** Starts DynamoDB Local (in memory) with every declared table for the run, and stops it after. */
export default async function setup(project: TestProject) {
  const dynamo = await startDynamoDBLocal();
  await createTables(new Env({ AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint }).dynamoClient());
  project.provide('dynamoEndpoint', dynamo.endpoint);
  return dynamo.stop;
}
