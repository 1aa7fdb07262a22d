-- The user's feed (docs/clients.md, "The feed"): one row per accepted notification, written in
-- the accept transaction. `id` is the notification's id; `removed` marks an item a later POST
-- with the same appNotificationId replaced (kept so a delta can report it gone). `change_seq`
-- orders changes for delta links: writers of one uns_id hold its advisory lock, so one user's
-- sequence numbers become visible in order; `version` is the ETag.
CREATE SEQUENCE feed_change_seq;
CREATE TABLE feed_items (
  id                TEXT PRIMARY KEY,
  uns_id            TEXT NOT NULL,
  target_host_name  TEXT NOT NULL,
  created_at        BIGINT NOT NULL,
  expires_at        BIGINT NOT NULL,
  modified_at       BIGINT NOT NULL,
  read_state        TEXT NOT NULL CHECK (read_state IN ('unread', 'read')),
  user_action_state TEXT NOT NULL CHECK (user_action_state IN ('noInteraction', 'activated', 'dismissed', 'snoozed')),
  version           INTEGER NOT NULL,
  change_seq        BIGINT NOT NULL,
  removed           BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX feed_items_list ON feed_items (uns_id, target_host_name, created_at, id);
CREATE INDEX feed_items_changes ON feed_items (uns_id, target_host_name, change_seq);

-- Sync pushes are deliveries with purpose 'feed-sync'.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_purpose_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_purpose_check
  CHECK (purpose IN ('primary', 'windows-raw', 'ios-fallback-alert', 'feed-sync'));
