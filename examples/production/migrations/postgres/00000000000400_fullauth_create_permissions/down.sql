DROP TABLE "permissions";
