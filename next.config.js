// @ts-check
const dev = process.env.NODE_ENV === "development";

// Next's runtime injects inline scripts, hence 'unsafe-inline'; everything else is same-origin only.
const csp = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: csp },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), geolocation=(), microphone=(self)" },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native addons must be loaded by Node at run time, never bundled.
  serverExternalPackages: ["onnxruntime-node", "sharp", "better-sqlite3", "@node-rs/argon2", "pg"],
  poweredByHeader: false,
  reactStrictMode: true,
  typedRoutes: false,
  // forbidden() renders app/forbidden.tsx with a real 403 status for signed-in non-admins.
  experimental: { authInterrupts: true },
  // `npm test` runs `tsc --noEmit` over the whole project before building; it sets this to skip the repeat.
  typescript: { ignoreBuildErrors: process.env.PARETO_SKIP_TYPECHECK === "1" },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

module.exports = nextConfig;
