-- The fullauth tables after this migration, read by `migrations write` and `check`:
-- fullauth-table users: id email hashed_password? is_active is_verified is_superuser created_at display_name phone
ALTER TABLE "users" ADD COLUMN "phone" TEXT NOT NULL DEFAULT '';
