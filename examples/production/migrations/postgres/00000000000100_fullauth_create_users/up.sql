-- The fullauth tables after this migration, read by `migrations write` and `check`:
-- fullauth-table users: id email hashed_password? is_active is_verified is_superuser created_at display_name
CREATE TABLE "users" (
    "id" UUID NOT NULL PRIMARY KEY,
    "email" VARCHAR(320) NOT NULL,
    "hashed_password" TEXT,
    "is_active" BOOLEAN NOT NULL DEFAULT TRUE,
    "is_verified" BOOLEAN NOT NULL DEFAULT FALSE,
    "is_superuser" BOOLEAN NOT NULL DEFAULT FALSE,
    "created_at" TIMESTAMPTZ NOT NULL,
    "display_name" VARCHAR(100) NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX "users_email_key" ON "users" ("email");
