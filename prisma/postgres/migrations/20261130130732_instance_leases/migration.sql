-- AlterTable
ALTER TABLE "QuotaCounter" ADD COLUMN     "lastReservationId" TEXT;

-- CreateTable
CREATE TABLE "InstanceLease" (
    "instanceId" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InstanceLease_pkey" PRIMARY KEY ("instanceId")
);

-- CreateIndex
CREATE INDEX "InstanceLease_expiresAt_idx" ON "InstanceLease"("expiresAt");
