-- CreateTable
CREATE TABLE "TrainingRun" (
    "id" TEXT NOT NULL,
    "modelId" TEXT NOT NULL,
    "name" TEXT,
    "description" TEXT,
    "task" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "options" JSONB NOT NULL,
    "datasetSha256" TEXT NOT NULL,
    "datasetName" TEXT,
    "dataset" JSONB NOT NULL,
    "progress" JSONB NOT NULL,
    "curve" JSONB NOT NULL,
    "candidates" JSONB NOT NULL,
    "best" TEXT,
    "errorCode" TEXT,
    "errorMessage" TEXT,
    "errorI18n" JSONB,
    "instanceId" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "cancelRequested" BOOLEAN NOT NULL DEFAULT false,
    "createdById" TEXT,
    "createdByEmail" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "heartbeatAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrainingRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TrainingRun_status_idx" ON "TrainingRun"("status");

-- CreateIndex
CREATE INDEX "TrainingRun_createdAt_idx" ON "TrainingRun"("createdAt");

-- CreateIndex
CREATE INDEX "TrainingRun_modelId_idx" ON "TrainingRun"("modelId");
