DROP TABLE page_access;
