import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpRoutes } from '../shared/resources';

const compiled = httpRoutes.map((route) => ({
  routeKey: `${route.method} ${route.path}`,
  method: route.method as string,
  names: [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string),
  pattern: new RegExp(`^${route.path.replace(/\{\w+\}/g, '([^/]+)')}$`),
}));

/**
 * The route a request takes: the declared one it matches, or API Gateway's catch-all `$default`, which
 * the stack sends to merchant-api as well (infra/constructs/api.ts).
 */
function routeOf(method: string | undefined, path: string) {
  for (const route of compiled) {
    const match = route.method === method ? route.pattern.exec(path) : null;
    if (match) {
      const pathParameters = Object.fromEntries(route.names.map((name, i) => [name, match[i + 1] as string]));
      return { routeKey: route.routeKey, pathParameters };
    }
  }
  return { routeKey: '$default', pathParameters: undefined };
}

/** The event API Gateway (HTTP API, payload 2.0) gives the merchant-api function for a request. */
export function apiGatewayEvent(request: IncomingMessage, url: URL, body: Buffer): APIGatewayProxyEventV2 {
  const { routeKey, pathParameters } = routeOf(request.method, url.pathname);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  // Payload 2.0 moves the Cookie header into `cookies`, one entry per cookie.
  const cookies = headers.cookie
    ?.split(';')
    .map((cookie) => cookie.trim())
    .filter(Boolean);
  delete headers.cookie;
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
    pathParameters,
    body: body.length > 0 ? body.toString('utf8') : undefined,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
  };
}
