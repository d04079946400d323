-- The fullauth tables after this migration, read by `migrations write` and `check`:
-- fullauth-table roles: id name created_at
CREATE TABLE "roles" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);
CREATE UNIQUE INDEX "roles_name_key" ON "roles" ("name");
