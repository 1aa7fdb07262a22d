-- The user's feed (docs/clients.md, "The feed"): one row per accepted notification, written in
-- the accept transaction. `id` is the notification's id; `removed` marks an item a later POST
-- with the same appNotificationId replaced (kept so a delta can report it gone). `change_seq`
-- orders every change for delta links; `version` is the ETag.
CREATE TABLE feed_items (
  id                TEXT NOT NULL,
  uns_id            TEXT NOT NULL,
  target_host_name  TEXT NOT NULL,
  created_at        INTEGER NOT NULL,
  expires_at        INTEGER NOT NULL,
  modified_at       INTEGER NOT NULL,
  read_state        TEXT NOT NULL CHECK (read_state IN ('unread', 'read')),
  user_action_state TEXT NOT NULL CHECK (user_action_state IN ('noInteraction', 'activated', 'dismissed', 'snoozed')),
  version           INTEGER NOT NULL,
  change_seq        INTEGER NOT NULL,
  removed           INTEGER NOT NULL DEFAULT 0,
  -- Stored in list order (newest first per user and host): the one B-tree an accept writes at a
  -- place chosen by the user; the two indexes below grow at their right edge (time-ordered ids,
  -- increasing sequence numbers), so an accept dirties one page at random instead of three.
  PRIMARY KEY (uns_id, target_host_name, created_at, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX feed_items_id ON feed_items (id);
-- One sequence for the whole table (SQLite has one writer): the next is MAX + 1 at the right edge.
CREATE INDEX feed_items_changes ON feed_items (change_seq);

-- Sync pushes are deliveries with purpose 'feed-sync'. SQLite cannot change a CHECK constraint
-- in place: the table is rebuilt with the same columns and indexes (sqlite.org/lang_altertable.html).
CREATE TABLE deliveries_new (
  id                  TEXT PRIMARY KEY,
  notification_id     TEXT NOT NULL REFERENCES notifications (id),
  platform            TEXT NOT NULL,
  purpose             TEXT NOT NULL CHECK (purpose IN ('primary', 'windows-raw', 'ios-fallback-alert', 'feed-sync')),
  send                TEXT NOT NULL,
  state               TEXT NOT NULL CHECK (state IN
                        ('pending', 'retrying', 'sent', 'dead-lettered', 'expired', 'cancelled', 'superseded')),
  attempts            INTEGER NOT NULL DEFAULT 0,
  next_attempt_at     INTEGER NOT NULL,
  lease_owner         TEXT,
  lease_expires_at    INTEGER,
  last_error          TEXT,
  last_status         INTEGER,
  hub_notification_id TEXT,
  tracking_id         TEXT,
  correlation_id      TEXT,
  sent_at             INTEGER,
  created_at          INTEGER NOT NULL,
  updated_at          INTEGER NOT NULL
);
INSERT INTO deliveries_new SELECT * FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_new RENAME TO deliveries;
CREATE INDEX deliveries_claim ON deliveries (next_attempt_at) WHERE state IN ('pending', 'retrying');
CREATE INDEX deliveries_notification ON deliveries (notification_id);
CREATE INDEX deliveries_dead_lettered ON deliveries (id) WHERE state = 'dead-lettered';
CREATE INDEX deliveries_expired ON deliveries (id) WHERE state = 'expired';
