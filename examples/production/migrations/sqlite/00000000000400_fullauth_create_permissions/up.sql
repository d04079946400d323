-- The fullauth tables after this migration, read by `migrations write` and `check`:
-- fullauth-table permissions: id name created_at
CREATE TABLE "permissions" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "permissions_name_key" ON "permissions" ("name");
