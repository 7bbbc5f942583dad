// The renderer's Content-Security-Policy, sent as a header by the app protocol and written as a
// meta tag into index.html. xterm and React style attributes need inline styles; nothing else is inline.
export const APP_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
