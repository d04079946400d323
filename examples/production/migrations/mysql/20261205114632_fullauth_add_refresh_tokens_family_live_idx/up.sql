CREATE INDEX `refresh_tokens_family_live_idx` ON `refresh_tokens` (`family_id`, `used_at`, `revoked_at`, `expires_at`);
