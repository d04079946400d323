-- The fullauth tables after this migration, read by `migrations write` and `check`:
-- fullauth-table roles: id name created_at
CREATE TABLE "roles" (
    "id" UUID NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX "roles_name_key" ON "roles" ("name");
