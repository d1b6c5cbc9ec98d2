-- AlterTable
ALTER TABLE "QuotaCounter" ADD COLUMN "lastReservationId" TEXT;

-- CreateTable
CREATE TABLE "InstanceLease" (
    "instanceId" TEXT NOT NULL PRIMARY KEY,
    "startedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "InstanceLease_expiresAt_idx" ON "InstanceLease"("expiresAt");
