-- The fullauth tables after this migration, read by `migrations write` and `check`:
-- fullauth-table refresh_tokens: id user_id token_digest family_id expires_at created_at used_at? revoked_at? user_agent? ip_address?
CREATE TABLE "refresh_tokens" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "token_digest" TEXT NOT NULL,
    "family_id" TEXT NOT NULL,
    "expires_at" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "used_at" TEXT,
    "revoked_at" TEXT,
    "user_agent" TEXT,
    "ip_address" TEXT,
    CONSTRAINT "refresh_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "refresh_tokens_token_digest_key" ON "refresh_tokens" ("token_digest");
CREATE INDEX "refresh_tokens_family_id_idx" ON "refresh_tokens" ("family_id");
CREATE INDEX "refresh_tokens_user_id_idx" ON "refresh_tokens" ("user_id");
