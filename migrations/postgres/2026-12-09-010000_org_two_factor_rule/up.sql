-- An org whose owners require two-factor sign-in of every member: a member without it can do
-- nothing in the org until they turn it on.
ALTER TABLE organizations ADD COLUMN require_two_factor BOOLEAN NOT NULL DEFAULT FALSE;
