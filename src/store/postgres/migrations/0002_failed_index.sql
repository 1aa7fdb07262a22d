-- Listing and counting deliveries by state only matters for the ones that need an operator:
-- dead-lettered and expired. Partial indexes on those replace the index on every row's state,
-- which each accept (three deliveries) and each outcome had to maintain. One per state: SQLite
-- uses a partial index only when the query repeats its condition exactly.
DROP INDEX deliveries_state;
CREATE INDEX deliveries_dead_lettered ON deliveries (id) WHERE state = 'dead-lettered';
CREATE INDEX deliveries_expired ON deliveries (id) WHERE state = 'expired';
