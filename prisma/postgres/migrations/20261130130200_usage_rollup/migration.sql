-- CreateTable
CREATE TABLE "UsageRollup" (
    "id" TEXT NOT NULL,
    "day" TIMESTAMP(3) NOT NULL,
    "userId" TEXT,
    "apiKeyId" TEXT,
    "modelId" TEXT,
    "source" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "errorCode" TEXT,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "computeMs" DOUBLE PRECISION NOT NULL,
    "units" DOUBLE PRECISION NOT NULL,
    "okRequests" INTEGER NOT NULL,
    "okLatencyMs" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "UsageRollup_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UsageRollup_userId_day_idx" ON "UsageRollup"("userId", "day");

-- CreateIndex
CREATE INDEX "UsageRollup_apiKeyId_day_idx" ON "UsageRollup"("apiKeyId", "day");

-- CreateIndex
CREATE INDEX "UsageRollup_modelId_day_idx" ON "UsageRollup"("modelId", "day");

-- CreateIndex
CREATE INDEX "UsageRollup_day_idx" ON "UsageRollup"("day");
