// The security headers of every page. A <meta> CSP (Astro's, with the hashes of
// its scripts and styles) cannot carry frame-ancestors, and HSTS and the rest
// are headers only. One list for both ways a page leaves: the build writes it
// into dist/_headers for the files Pages serves itself (src/lib/site/integrations.ts),
// and the dated pages, which a Function serves and `_headers` does not reach,
// set it themselves (src/server/dated-pages.ts).
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "frame-ancestors 'none'; object-src 'none'; base-uri 'self'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'Cross-Origin-Opener-Policy': 'same-origin',
};

/** The `_headers` file: every path gets them. */
export const headersFile = () =>
  `/*\n${Object.entries(PAGE_HEADERS)
    .map(([k, v]) => `  ${k}: ${v}`)
    .join('\n')}\n`;
