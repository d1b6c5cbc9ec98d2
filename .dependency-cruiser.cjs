/**
 * Layers only point down (issue 10). `npm run lint` runs this through dependency-cruiser, so an import that points
 * up, a database client used outside lib/db, or onnxruntime-node loaded outside lib/runtime fails CI.
 *
 * Each tier may import itself and the tiers listed before it; modules sharing a tier (keys/auth/metering;
 * selection/admin/registry) may import each other. docs/architecture.md draws the same picture.
 */

/** Lowest first. `path` is a regular expression on the path relative to the project root. */
const TIERS = [
  // Leaves: configuration, logging, message catalogs (lib/i18n/server.ts reads next/headers only), statistics.
  { name: "base", path: "^lib/(config/|log\\.ts$|i18n/|stats)" },
  // Pure domain: catalog types, pre- and post-processing, domain errors.
  { name: "models", path: "^lib/models/" },
  { name: "db", path: "^lib/db/" },
  { name: "runtime", path: "^lib/runtime/" },
  { name: "services", path: "^lib/(keys|auth|metering)/" },
  { name: "features", path: "^lib/(selection|admin|registry|training|jobs|webhooks)/" },
  // Start-up, shutdown and readiness compose everything below them.
  { name: "boot", path: "^lib/(boot/|startup\\.ts$|shutdown\\.ts$|health\\.ts$)" },
  { name: "api", path: "^lib/api/" },
  { name: "app", path: "^app/" },
];

const upward = TIERS.slice(0, -1).map((tier, i) => ({
  name: `layer-${tier.name}`,
  comment: `${tier.name} may import only itself and the layers below it (${TIERS.slice(0, i).map((t) => t.name).join(", ") || "none"}).`,
  severity: "error",
  from: { path: tier.path },
  to: { path: TIERS.slice(i + 1).map((t) => t.path) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    ...upward,
    {
      name: "lib-not-to-app",
      comment: "lib/ is imported by app/, never the other way round.",
      severity: "error",
      from: { path: "^lib/" },
      to: { path: "^app/" },
    },
    {
      name: "database-only-in-lib-db",
      comment: "All Prisma and SQL live in lib/db: no other module loads a database driver or a generated client.",
      severity: "error",
      from: { path: "^(lib|app)/", pathNot: "^lib/db/" },
      to: { path: ["^lib/db/generated/", "node_modules/(@prisma/|prisma/|pg/|pg-[a-z-]+/|better-sqlite3/)"] },
    },
    {
      name: "db-client-only-in-lib-db",
      comment:
        "Queries go through lib/db's functions, not the client. Boot may import it to disconnect on shutdown " +
        "(and, until it has a lib/db function for it, for the readiness ping).",
      severity: "error",
      from: { path: "^(lib|app)/", pathNot: "^lib/(db/|boot/|shutdown\\.ts$|health\\.ts$)" },
      to: { path: "^lib/db/client\\.ts$" },
    },
    {
      name: "onnxruntime-only-in-runtime",
      comment: "lib/runtime is the only importer of onnxruntime-node (pipelines describe tensors with typed arrays).",
      severity: "error",
      from: { path: "^(lib|app)/", pathNot: "^lib/runtime/" },
      to: { path: "node_modules/onnxruntime-(node|common)/" },
    },
    {
      name: "no-circular",
      comment: "Modules that import each other in a ring cannot be understood (or tested) one at a time.",
      severity: "error",
      from: { path: "^(lib|app)/" },
      to: { circular: true },
    },
  ],
  options: {
    // Generated Prisma clients are large: kept as nodes (so the rules above see imports of them), not crawled.
    doNotFollow: { path: ["node_modules", "^lib/db/generated/"] },
    exclude: { path: ["^\\.next/", "^build/"] },
    // `import type` counts too: a type from a higher layer still ties the lower one to it.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
