-- The fullauth tables after this migration, read by `migrations write` and `check`:
-- fullauth-table refresh_tokens: id user_id token_digest family_id expires_at created_at used_at? revoked_at? user_agent? ip_address?
CREATE TABLE `refresh_tokens` (
    `id` CHAR(36) NOT NULL PRIMARY KEY,
    `user_id` CHAR(36) NOT NULL,
    `token_digest` VARCHAR(64) NOT NULL,
    `family_id` CHAR(36) NOT NULL,
    `expires_at` DATETIME(6) NOT NULL,
    `created_at` DATETIME(6) NOT NULL,
    `used_at` DATETIME(6),
    `revoked_at` DATETIME(6),
    `user_agent` VARCHAR(512),
    `ip_address` VARCHAR(45),
    CONSTRAINT `refresh_tokens_user_id_fkey` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE UNIQUE INDEX `refresh_tokens_token_digest_key` ON `refresh_tokens` (`token_digest`);
CREATE INDEX `refresh_tokens_family_id_idx` ON `refresh_tokens` (`family_id`);
CREATE INDEX `refresh_tokens_user_id_idx` ON `refresh_tokens` (`user_id`);
