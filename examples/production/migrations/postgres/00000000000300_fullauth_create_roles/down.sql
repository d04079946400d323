DROP TABLE "roles";
