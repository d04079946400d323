-- The fullauth tables after this migration, read by `migrations write` and `check`:
-- fullauth-table users: id email hashed_password? is_active is_verified is_superuser created_at display_name
CREATE TABLE "users" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "email" TEXT NOT NULL,
    "hashed_password" TEXT,
    "is_active" BOOLEAN NOT NULL DEFAULT 1,
    "is_verified" BOOLEAN NOT NULL DEFAULT 0,
    "is_superuser" BOOLEAN NOT NULL DEFAULT 0,
    "created_at" TEXT NOT NULL,
    "display_name" TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX "users_email_key" ON "users" ("email");
