-- AlterTable
ALTER TABLE "QuotaCounter" ADD COLUMN     "leasedComputeMs" DOUBLE PRECISION NOT NULL DEFAULT 0,
ADD COLUMN     "leasedRequests" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "QuotaLease" (
    "id" TEXT NOT NULL,
    "instanceId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "computeMs" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "QuotaLease_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "QuotaLease_instanceId_idx" ON "QuotaLease"("instanceId");

-- CreateIndex
CREATE INDEX "QuotaLease_subject_period_idx" ON "QuotaLease"("subject", "period");
