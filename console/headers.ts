/**
 * The Content-Security-Policy the console runs under, in CloudFront and under `npm start` alike, so
 * the browser tests prove the built console keeps to it. `uploadOrigins`: where the console sends
 * import files, straight to the bucket by the URL the API signed (another origin than the console's).
 */
export function contentSecurityPolicy(uploadOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // antd writes its styles into <style> elements as components mount (CSS-in-JS); a nonce would need
    // a server to make one per page, and the console is static files.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    ["connect-src 'self'", ...uploadOrigins].join(' '),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The headers every console file is served with (HSTS only where it is served over HTTPS). */
export function securityHeaders(uploadOrigins: readonly string[]) {
  return {
    'content-security-policy': contentSecurityPolicy(uploadOrigins),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
  };
}
