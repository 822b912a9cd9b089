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
 * The event API Gateway (HTTP API, payload 2.0) gives the merchant-api function for a request,
 * or undefined when no declared route matches, as API Gateway answers 404 itself.
 */
export function apiGatewayEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
): APIGatewayProxyEventV2 | undefined {
  for (const route of compiled) {
    const match = route.pattern.exec(url.pathname);
    if (!match || route.method !== request.method) continue;
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
      routeKey: route.routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      ...(cookies?.length ? { cookies } : {}),
      headers,
      queryStringParameters: url.search ? Object.fromEntries(url.searchParams) : undefined,
      pathParameters: Object.fromEntries(route.names.map((name, i) => [name, match[i + 1] as string])),
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
        routeKey: route.routeKey,
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
      },
    };
  }
  return undefined;
}
