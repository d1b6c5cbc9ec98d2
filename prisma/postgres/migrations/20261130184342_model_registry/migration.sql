-- AlterTable
ALTER TABLE "Model" ADD COLUMN     "builtIn" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "createdByEmail" TEXT,
ADD COLUMN     "createdById" TEXT,
ADD COLUMN     "sticky" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "ModelBenchmark" ADD COLUMN     "version" TEXT;

-- AlterTable
ALTER TABLE "UsageEvent" ADD COLUMN     "modelVersion" TEXT;

-- AlterTable
ALTER TABLE "UsageRollup" ADD COLUMN     "modelVersion" TEXT;

-- CreateTable
CREATE TABLE "ModelVersion" (
    "id" TEXT NOT NULL,
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
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ModelVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ModelBlob" (
    "sha256" TEXT NOT NULL,
    "bytes" INTEGER NOT NULL,
    "storage" TEXT NOT NULL,
    "complete" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ModelBlob_pkey" PRIMARY KEY ("sha256")
);

-- CreateTable
CREATE TABLE "ModelBlobChunk" (
    "sha256" TEXT NOT NULL,
    "idx" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "ModelBlobChunk_pkey" PRIMARY KEY ("sha256","idx")
);

-- CreateIndex
CREATE UNIQUE INDEX "ModelVersion_modelId_version_key" ON "ModelVersion"("modelId", "version");

-- AddForeignKey
ALTER TABLE "ModelVersion" ADD CONSTRAINT "ModelVersion_modelId_fkey" FOREIGN KEY ("modelId") REFERENCES "Model"("id") ON DELETE CASCADE ON UPDATE CASCADE;
