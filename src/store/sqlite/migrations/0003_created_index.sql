-- Retention deletes the oldest finished notifications first (Store.purgeFinished).
CREATE INDEX notifications_created ON notifications (created_at);
