ALTER TABLE "users" DROP COLUMN "phone";
