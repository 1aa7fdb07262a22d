-- The client-facing API (/bridge/me): subscription ids and the installations registered with them.
-- A subscription id is what an app service sends as X-UNS-ID. Each user has one minted id per host
-- (the userId of all their installations for it); legacy UNS IDs the user claimed point at it.
CREATE TABLE subscriptions (
  id               TEXT PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('minted', 'legacy')),
  primary_id       TEXT NOT NULL,
  tenant_id        TEXT NOT NULL,
  user_object_id   TEXT NOT NULL,
  target_host_name TEXT NOT NULL,
  created_at       INTEGER NOT NULL
);
CREATE UNIQUE INDEX subscriptions_user_host ON subscriptions (tenant_id, user_object_id, target_host_name)
  WHERE kind = 'minted';

CREATE TABLE installations (
  id               TEXT PRIMARY KEY,
  tenant_id        TEXT NOT NULL,
  user_object_id   TEXT NOT NULL,
  app_id           TEXT NOT NULL,
  target_host_name TEXT NOT NULL,
  subscription_id  TEXT NOT NULL REFERENCES subscriptions (id),
  platform         TEXT NOT NULL CHECK (platform IN ('apns', 'fcmv1', 'wns', 'browser')),
  push_channel     TEXT NOT NULL,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  expires_at       INTEGER NOT NULL
);
CREATE INDEX installations_user ON installations (tenant_id, user_object_id, id);
CREATE INDEX installations_subscription ON installations (subscription_id, id);
