DROP INDEX "refresh_tokens_family_live_idx";
