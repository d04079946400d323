-- The fullauth tables after this migration, read by `migrations write` and `check`:
-- fullauth-table permissions: id name created_at
CREATE TABLE "permissions" (
    "id" UUID NOT NULL PRIMARY KEY,
    "name" VARCHAR(100) NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX "permissions_name_key" ON "permissions" ("name");
