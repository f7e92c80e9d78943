-- Notification groups and alert group settings. body is the canonical wire
-- JSON of package notifygroup, kept verbatim.
CREATE TABLE notification_groups (
    id         TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL UNIQUE, -- creation order, the list order
    is_default INTEGER NOT NULL DEFAULT 0,
    body       BLOB NOT NULL
);
-- One default group per organization.
CREATE UNIQUE INDEX notification_groups_one_default ON notification_groups (is_default) WHERE is_default;

-- The default group exists from the start, with a random 11-character
-- base58 id like every other. Its body is exactly what
-- notifygroup.EncodeGroup(notifygroup.NewDefault(id)) gives (a store
-- contract test holds the two together).
WITH RECURSIVE id(n, s) AS (
    SELECT 0, ''
    UNION ALL
    SELECT n + 1, s || substr('123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz', abs(random() % 58) + 1, 1)
    FROM id WHERE n < 11
)
INSERT INTO notification_groups (id, seq, is_default, body)
SELECT s, 1, 1, CAST('{"id":"' || s || '","type":"group-default","name":"Default","notificationLevel":"all","childNotificationGroupIds":[],"childChannelIds":[],"monitors":[],"services":[]}' AS BLOB)
FROM id WHERE n = 11;

CREATE TABLE alert_group_settings (
    id   TEXT PRIMARY KEY,
    seq  INTEGER NOT NULL UNIQUE, -- creation order, the list order
    body BLOB NOT NULL
);
