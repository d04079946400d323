DROP TABLE `permissions`;
