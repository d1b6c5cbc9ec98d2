-- AlterTable
ALTER TABLE "RoutingDecision" ADD COLUMN     "reasonMessage" JSONB;
