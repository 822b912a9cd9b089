import { Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { httpRoutes } from '../../shared/resources';

// HTTP API variables only; the route key, not the path, so members' phone numbers stay out of the logs.
const accessLogFormat = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    sourceIp: '$context.identity.sourceIp',
    routeKey: '$context.routeKey',
    status: '$context.status',
    responseLatency: '$context.responseLatency',
    responseLength: '$context.responseLength',
    integrationError: '$context.integrationErrorMessage',
  }),
);

export interface MerchantApiProps {
  handler: IFunction;
}

/** The merchant HTTP API: every declared route, and any other path, goes to the one merchant-api function. */
export class MerchantApi extends Construct {
  readonly url: string;

  constructor(scope: Construct, id: string, props: MerchantApiProps) {
    super(scope, id);
    const integration = new HttpLambdaIntegration('MerchantApi', props.handler);
    // The default stage HttpApi creates takes no throttling or access logs, so we add our own. A path
    // no route declares goes to the function too ($default), so it is refused as every other error is:
    // with a `code`, where API Gateway would answer {"message":"Not Found"}.
    const api = new HttpApi(this, 'HttpApi', { createDefaultStage: false, defaultIntegration: integration });
    const stage = api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { burstLimit: 100, rateLimit: 50 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(
          new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH }),
        ),
        format: accessLogFormat,
      },
    });
    for (const route of httpRoutes) {
      api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
    }
    Validations.of(api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'The merchant-api function authenticates every request by API key (stored hashed in the Directory ' +
        'table) and derives the tenant from the key; an API Gateway authorizer would duplicate that lookup. ' +
        'The one public route, GET /v1/openapi.json, serves the API description and no merchant data.',
    });
    this.url = stage.url;
  }
}
