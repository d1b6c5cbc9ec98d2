-- AlterTable
ALTER TABLE "ModelBenchmark" ADD COLUMN "version" TEXT;

-- AlterTable
ALTER TABLE "UsageEvent" ADD COLUMN "modelVersion" TEXT;

-- AlterTable
ALTER TABLE "UsageRollup" ADD COLUMN "modelVersion" TEXT;

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "modelId" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "files" JSONB NOT NULL,
    "signature" JSONB NOT NULL,
    "options" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'validating',
    "statusReason" TEXT,
    "trafficPercent" INTEGER NOT NULL DEFAULT 0,
    "evalSha256" TEXT,
    "evalMetric" TEXT,
    "createdById" TEXT,
    "createdByEmail" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "ModelVersion_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ModelBlob" (
    "sha256" TEXT NOT NULL PRIMARY KEY,
    "bytes" INTEGER NOT NULL,
    "storage" TEXT NOT NULL,
    "complete" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "ModelBlobChunk" (
    "sha256" TEXT NOT NULL,
    "idx" INTEGER NOT NULL,
    "data" BLOB NOT NULL,

    PRIMARY KEY ("sha256", "idx")
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Model" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "family" TEXT NOT NULL,
    "task" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "variant" TEXT NOT NULL,
    "displayName" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "license" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "files" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "state" TEXT NOT NULL DEFAULT 'UNLOADED',
    "stateReason" TEXT,
    "inputSchema" JSONB NOT NULL,
    "outputSchema" JSONB NOT NULL,
    "options" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "builtIn" BOOLEAN NOT NULL DEFAULT true,
    "sticky" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT,
    "createdByEmail" TEXT
);
INSERT INTO "new_Model" ("createdAt", "description", "displayName", "enabled", "family", "files", "id", "inputSchema", "isDefault", "license", "options", "outputSchema", "source", "state", "stateReason", "task", "updatedAt", "variant", "version") SELECT "createdAt", "description", "displayName", "enabled", "family", "files", "id", "inputSchema", "isDefault", "license", "options", "outputSchema", "source", "state", "stateReason", "task", "updatedAt", "variant", "version" FROM "Model";
DROP TABLE "Model";
ALTER TABLE "new_Model" RENAME TO "Model";
CREATE INDEX "Model_task_idx" ON "Model"("task");
CREATE INDEX "Model_family_version_idx" ON "Model"("family", "version");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_modelId_version_key" ON "ModelVersion"("modelId", "version");
