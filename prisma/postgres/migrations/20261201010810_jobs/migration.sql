-- AlterTable
ALTER TABLE "User" ADD COLUMN     "webhookSecret" TEXT;

-- CreateTable
CREATE TABLE "Job" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "apiKeyId" TEXT,
    "source" TEXT NOT NULL,
    "task" TEXT NOT NULL,
    "entryId" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "modelVersion" TEXT,
    "requestedModel" TEXT NOT NULL,
    "selection" JSONB,
    "options" JSONB NOT NULL,
    "quota" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "done" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "total" DOUBLE PRECISION,
    "cursor" INTEGER NOT NULL DEFAULT 0,
    "state" JSONB,
    "fileName" TEXT,
    "format" TEXT NOT NULL,
    "fileBytes" INTEGER NOT NULL,
    "inputSha256" TEXT NOT NULL,
    "webhookUrl" TEXT,
    "metadata" JSONB,
    "result" JSONB,
    "errorType" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "errorI18n" JSONB,
    "computeMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "expiresAt" TIMESTAMP(3),

    CONSTRAINT "Job_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "JobUnit" (
    "jobId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "result" JSONB NOT NULL,
    "units" DOUBLE PRECISION NOT NULL,
    "computeMs" DOUBLE PRECISION NOT NULL,
    "attempt" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobUnit_pkey" PRIMARY KEY ("jobId","index")
);

-- CreateTable
CREATE TABLE "JobBlobChunk" (
    "jobId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "JobBlobChunk_pkey" PRIMARY KEY ("jobId","index")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "event" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "log" JSONB NOT NULL,
    "nextAttemptAt" TIMESTAMP(3),
    "lockedBy" TEXT,
    "lockedUntil" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Job_userId_createdAt_idx" ON "Job"("userId", "createdAt");

-- CreateIndex
CREATE INDEX "Job_status_createdAt_idx" ON "Job"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Job_expiresAt_idx" ON "Job"("expiresAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_jobId_idx" ON "WebhookDelivery"("jobId");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_nextAttemptAt_idx" ON "WebhookDelivery"("status", "nextAttemptAt");
