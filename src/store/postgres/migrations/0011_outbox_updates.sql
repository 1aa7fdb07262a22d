-- A delivery row is written three times: inserted at accept, claimed (lease), finished (outcome).
-- With full pages (fillfactor 100) the claim and the outcome each put the row's new version on
-- another page: the whole row (its native send, 330-730 bytes) goes to the WAL again and every
-- index gets a new entry. With room left on the page the claim is a HOT update (it changes no
-- indexed column: no index entry, the WAL carries only the changed bytes) and the outcome stays
-- on its page too. Applies to pages written from now on.
ALTER TABLE deliveries SET (fillfactor = 50);
-- The claim orders by (next_attempt_at, id): with id in the index the scan stops at LIMIT instead
-- of sorting every row due at the same instant (a scheduled blast, a batch accepted in one ms).
DROP INDEX deliveries_claim;
CREATE INDEX deliveries_claim ON deliveries (next_attempt_at, id) WHERE state IN ('pending', 'retrying');
