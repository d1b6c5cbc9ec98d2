// @ts-check
const dev = process.env.NODE_ENV === "development";

// Every response but the HTML pages: proxy.ts replaces this header on pages with the same policy plus a per-response
// nonce (lib/api/csp.ts) — the key is lower-case so that replacement hits the same entry. No inline scripts
// anywhere ('unsafe-eval' only for `next dev`'s React debugging).
const csp = require("./lib/api/csp-directives.json")
  .map((/** @type {string} */ d) => (d.startsWith("script-src ") && dev ? `${d} 'unsafe-eval'` : d))
  .join("; ");

const securityHeaders = [
  { key: "content-security-policy", value: csp },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "Permissions-Policy", value: "camera=(), geolocation=(), microphone=(self)" },
];

// HSTS only on responses the browser received over https: lib/boot/peer-stamp.ts sets this request header from the
// TLS socket or from X-Forwarded-Proto sent by a peer in PARETO_TRUSTED_PROXIES (whatever a client sends under that
// name is removed first). Browsers ignore HSTS received over http anyway; this keeps http deployments clean.
const hsts = { key: "Strict-Transport-Security", value: "max-age=31536000" };

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
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/:path*", has: [{ type: "header", key: "x-pareto-https", value: "1" }], headers: [hsts] },
    ];
  },
};

module.exports = nextConfig;
