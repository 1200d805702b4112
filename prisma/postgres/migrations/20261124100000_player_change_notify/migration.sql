-- Every committed change of a player's version is announced on channel pnakotic_player_changed,
-- by the database itself: inside the writing transaction (so only on commit), without a separate
-- statement from the app, and also for writes that bypass the app (a manual fix in psql).
-- Payload: p = player id, v = new version, o = the writer's application_name (Pnakotic instances
-- set pnakotic:<instance id>, so each ignores its own), t = ms since epoch at the write.
-- The function body uses octal 073 for each semicolon: Prisma's pg adapter splits migration
-- scripts at every semicolon, even inside quotes.
CREATE FUNCTION "Player_notify_change"() RETURNS trigger LANGUAGE plpgsql
    AS E'BEGIN PERFORM pg_notify(''pnakotic_player_changed'', json_build_object(''p'', NEW."id", ''v'', NEW."version", ''o'', current_setting(''application_name''), ''t'', floor(extract(epoch from clock_timestamp()) * 1000))::text)\073 RETURN NULL\073 END\073';

CREATE TRIGGER "Player_notify_change" AFTER UPDATE ON "Player"
    FOR EACH ROW WHEN (OLD."version" IS DISTINCT FROM NEW."version")
    EXECUTE FUNCTION "Player_notify_change"();
