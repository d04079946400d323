DROP TABLE `roles`;
