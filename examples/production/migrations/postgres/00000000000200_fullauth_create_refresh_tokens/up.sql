-- The fullauth tables after this migration, read by `migrations write` and `check`:
-- fullauth-table refresh_tokens: id user_id token_digest family_id expires_at created_at used_at? revoked_at? user_agent? ip_address?
CREATE TABLE "refresh_tokens" (
    "id" UUID NOT NULL PRIMARY KEY,
    "user_id" UUID NOT NULL,
    "token_digest" VARCHAR(64) NOT NULL,
    "family_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL,
    "used_at" TIMESTAMPTZ,
    "revoked_at" TIMESTAMPTZ,
    "user_agent" VARCHAR(512),
    "ip_address" VARCHAR(45),
    CONSTRAINT "refresh_tokens_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE
);
CREATE UNIQUE INDEX "refresh_tokens_token_digest_key" ON "refresh_tokens" ("token_digest");
CREATE INDEX "refresh_tokens_family_id_idx" ON "refresh_tokens" ("family_id");
CREATE INDEX "refresh_tokens_user_id_idx" ON "refresh_tokens" ("user_id");
