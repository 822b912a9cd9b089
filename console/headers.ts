/**
 * The Content-Security-Policy the console runs under, in CloudFront and under `npm start` alike, so
 * the browser tests prove the built console keeps to it.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  // antd writes its styles into <style> elements as components mount (CSS-in-JS); a nonce would need
  // a server to make one per page, and the console is static files.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** The headers every console file is served with (HSTS only where it is served over HTTPS). */
export const securityHeaders = {
  'content-security-policy': contentSecurityPolicy,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'strict-origin-when-cross-origin',
};
