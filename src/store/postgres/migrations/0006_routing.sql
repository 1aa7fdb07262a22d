-- Routing (ROUTING_FILE, docs/routing.md). Each delivery keeps the destination chosen when its
-- notification was accepted, so a reload of the routing file never moves accepted work; NULL is
-- the process's single destination (no routing file, or rows accepted before this migration).
-- role: 'shadow' deliveries copy a notification to a second hub, counted apart, never failing the main one.
-- notifications.routing: the decision as JSON (route, destination, shadow, canary bucket), for status and the feed.
ALTER TABLE notifications ADD COLUMN routing TEXT;
ALTER TABLE deliveries ADD COLUMN destination TEXT;
ALTER TABLE deliveries ADD COLUMN role TEXT NOT NULL DEFAULT 'main' CHECK (role IN ('main', 'shadow'));
