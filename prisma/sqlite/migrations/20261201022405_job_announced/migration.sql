-- AlterTable
ALTER TABLE "Job" ADD COLUMN "announcedAt" DATETIME;
