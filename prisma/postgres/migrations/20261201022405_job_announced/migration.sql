-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "announcedAt" TIMESTAMP(3);
