-- How a service is shown on the public page: always, only while it is not operational, or
-- never (a service the team tracks for itself).
ALTER TABLE services ADD COLUMN display TEXT NOT NULL DEFAULT 'always'
    CHECK (display IN ('always', 'when_not_operational', 'hidden'));
