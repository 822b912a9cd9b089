import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';

/** A function's ARN in the local runtime: what a local schedule targets and an invocation reports. */
export const localFunctionArn = (functionName: string) =>
  `arn:aws:lambda:local:000000000000:function:${functionName}`;

/** The Lambda context a handler gets, for a local invocation with the declared timeout. */
export function lambdaContext(functionName: string, timeoutSeconds: number): Context {
  const deadline = Date.now() + timeoutSeconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: localFunctionArn(functionName),
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
