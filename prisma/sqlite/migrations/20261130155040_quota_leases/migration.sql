-- AlterTable (ADD COLUMN instead of the table rebuild prisma would write: same columns, no copy of the counters)
ALTER TABLE "QuotaCounter" ADD COLUMN "leasedRequests" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "QuotaCounter" ADD COLUMN "leasedComputeMs" REAL NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "QuotaLease" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "instanceId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "computeMs" REAL NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "QuotaLease_instanceId_idx" ON "QuotaLease"("instanceId");

-- CreateIndex
CREATE INDEX "QuotaLease_subject_period_idx" ON "QuotaLease"("subject", "period");
