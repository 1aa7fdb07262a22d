-- Times are epoch milliseconds (INTEGER) so both backends compare them identically.
CREATE TABLE notifications (
  id                  TEXT PRIMARY KEY,
  uns_id              TEXT NOT NULL,
  app_notification_id TEXT,
  idempotency_key     TEXT,
  content_hash        TEXT NOT NULL,
  body                TEXT NOT NULL,
  response            TEXT NOT NULL,
  ack_token           TEXT NOT NULL,
  created_at          INTEGER NOT NULL,
  expires_at          INTEGER NOT NULL,
  replaced_by         TEXT,
  state               TEXT NOT NULL CHECK (state IN ('live', 'replaced'))
);
-- At most one live notification per (uns_id, app_notification_id): the replace rule's backstop.
CREATE UNIQUE INDEX notifications_live_app_id ON notifications (uns_id, app_notification_id)
  WHERE state = 'live' AND app_notification_id IS NOT NULL;
CREATE INDEX notifications_idempotency ON notifications (uns_id, idempotency_key, created_at)
  WHERE idempotency_key IS NOT NULL;

CREATE TABLE deliveries (
  id                  TEXT PRIMARY KEY,
  notification_id     TEXT NOT NULL REFERENCES notifications (id),
  platform            TEXT NOT NULL,
  purpose             TEXT NOT NULL CHECK (purpose IN ('primary', 'windows-raw', 'ios-fallback-alert')),
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
-- The claim query scans only unfinished work, oldest due first.
CREATE INDEX deliveries_claim ON deliveries (next_attempt_at) WHERE state IN ('pending', 'retrying');
CREATE INDEX deliveries_notification ON deliveries (notification_id);
CREATE INDEX deliveries_state ON deliveries (state, id);

CREATE TABLE acknowledgements (
  notification_id TEXT NOT NULL REFERENCES notifications (id),
  installation_id TEXT,
  acknowledged_at INTEGER NOT NULL
);
CREATE INDEX acknowledgements_notification ON acknowledgements (notification_id);
