-- CreateTable
CREATE TABLE "UsageRollup" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "day" DATETIME NOT NULL,
    "userId" TEXT,
    "apiKeyId" TEXT,
    "modelId" TEXT,
    "source" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "errorCode" TEXT,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "computeMs" REAL NOT NULL,
    "units" REAL NOT NULL,
    "okRequests" INTEGER NOT NULL,
    "okLatencyMs" REAL NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "UsageRollup_userId_day_idx" ON "UsageRollup"("userId", "day");

-- CreateIndex
CREATE INDEX "UsageRollup_apiKeyId_day_idx" ON "UsageRollup"("apiKeyId", "day");

-- CreateIndex
CREATE INDEX "UsageRollup_modelId_day_idx" ON "UsageRollup"("modelId", "day");

-- CreateIndex
CREATE INDEX "UsageRollup_day_idx" ON "UsageRollup"("day");
