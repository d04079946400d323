-- The fullauth tables after this migration, read by `migrations write` and `check`:
-- fullauth-table permissions: id name created_at
CREATE TABLE `permissions` (
    `id` CHAR(36) NOT NULL PRIMARY KEY,
    `name` VARCHAR(100) NOT NULL,
    `created_at` DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE UNIQUE INDEX `permissions_name_key` ON `permissions` (`name`);
