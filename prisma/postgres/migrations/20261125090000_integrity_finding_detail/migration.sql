-- AlterTable
ALTER TABLE "IntegrityFinding" ADD COLUMN     "detail" JSONB;

