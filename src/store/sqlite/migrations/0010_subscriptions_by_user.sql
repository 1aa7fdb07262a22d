-- GET /bridge/me/subscriptions lists a user's subscriptions, minted and claimed, by id; the unique
-- index on (tenant_id, user_object_id, target_host_name) covers minted ones only.
CREATE INDEX subscriptions_user ON subscriptions (tenant_id, user_object_id, id);
