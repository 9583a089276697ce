-- A person who deleted their account stays as a row with nothing personal in it (no name, no
-- address, no password), so what they wrote keeps an author: "a former member".
ALTER TABLE users ADD COLUMN erased_at TIMESTAMP;
