"""The asyncio API and the MythosMUD-shaped drop-in, against a real server (PNAKOTIC_URL, PNAKOTIC_TOKEN).

The seed's log (Appendix A of the remediation plan) is replayed through ``PnakoticPersistenceLayer``
with the seed's own calls: three hits from Dr. Francis Morgan, the browser closing, the kill's
+1 XP, and then the save of the stale cached ``Player`` that restored 100 HP in the original bug.
"""

import asyncio
import logging
import os
import sys
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from pnakotic_client import AsyncPnakoticClient, PnakoticPersistenceLayer, StaleDataException, ValidationError  # noqa: E402

BASE_URL = os.environ.get("PNAKOTIC_URL", "")
TOKEN = os.environ.get("PNAKOTIC_TOKEN", "")

# (log time, what the game did, argument, the HP the seed log says was saved afterwards)
SEED_TIMELINE = [
    ("13:40:48", "morgan_hits", 10, 90),
    ("13:41:00", "morgan_hits", 10, 80),
    ("13:41:05", "browser_closed", None, 80),
    ("13:41:12", "morgan_hits", 10, 70),
    ("13:41:19", "morgan_defeated_xp", 1, 70),
    ("13:41:19", "stale_cached_player_saved", None, 70),
]


def unique_name(prefix: str) -> str:
    return "%s-%s" % (prefix, uuid.uuid4().hex[:12])


@unittest.skipUnless(BASE_URL and TOKEN, "set PNAKOTIC_URL and PNAKOTIC_TOKEN to run against a server")
class AsyncDropInTest(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self) -> None:
        self.client = AsyncPnakoticClient(BASE_URL, TOKEN, timeout=10.0, retries=2, backoff=0.05, max_workers=8)
        # The drop-in logs refusals; keep them as records (asserted below) instead of on stderr.
        self.logged = []
        logger = logging.getLogger("pnakotic_client.mythos.test-%s" % uuid.uuid4().hex)
        logger.propagate = False
        handler = logging.Handler()
        handler.emit = self.logged.append
        logger.addHandler(handler)
        self.persistence = PnakoticPersistenceLayer(self.client, logger=logger)

    async def asyncTearDown(self) -> None:
        self.client.close()

    async def test_seed_log_timeline_13_40_48_to_13_41_19_through_the_async_drop_in(self) -> None:
        # 13:40:23: Ithaqua logs in with 100 HP and 554 XP; the seed's PersistenceLayer caches this object.
        created = await self.client.async_create_player(unique_name("Ithaqua"), maxHealth=100, experiencePoints=554)
        cached = await self.persistence.get_player(created["id"])
        self.assertEqual((cached.get_stats()["current_health"], cached.get_stats()["experience_points"]), (100, 554))

        outcome = None
        for at, event, argument, saved_hp in SEED_TIMELINE:
            if event == "morgan_hits":
                after = await self.persistence.async_damage_player(cached, argument, "physical", source="npc:dr-francis-morgan")
            elif event == "browser_closed":
                after = await self.persistence.get_player(cached.player_id)  # the fight goes on server-side
            elif event == "morgan_defeated_xp":
                after = await self.persistence.async_gain_experience(cached, argument, source="killed_dr-francis-morgan")
            else:
                # The seed's bug, replayed: its gain_experience changed the stale cached object and saved it whole.
                stats = cached.get_stats()
                stats["experience_points"] = stats["experience_points"] + 1
                cached.set_stats(stats)
                self.assertEqual(cached.get_stats()["current_health"], 100)
                outcome = await self.persistence.async_save_player(cached)
                after = outcome.player
            self.assertEqual(after.get_stats()["current_health"], saved_hp, "at %s (%s)" % (at, event))

        # Merged (a server with field-by-field merge) or refused (409): never 100 HP again.
        self.assertIn(outcome.status, ("merged", "refused"))
        if outcome.status == "refused":
            self.assertIsInstance(outcome.refusal, StaleDataException)
            self.assertEqual([(record.levelname, "refused" in record.getMessage()) for record in self.logged], [("WARNING", True)])
        stored = await self.persistence.get_player(cached.player_id)
        self.assertEqual((stored.get_stats()["current_health"], stored.get_stats()["experience_points"]), (70, 555))
        ledger = await self.client.async_get_player_events(cached.player_id)
        self.assertEqual([(row["field"], row["before"], row["after"], row["reason"]) for row in ledger if row["field"] in ("health", "experience")],
                         [("health", 100, 90, "damage"), ("health", 90, 80, "damage"), ("health", 80, 70, "damage"), ("experience", 554, 555, "experience")])

    async def test_seed_field_paths_set_one_field_and_touch_no_other(self) -> None:
        player = await self.persistence.get_player((await self.client.async_create_player(unique_name("paths"), maxHealth=100, experiencePoints=10))["id"])
        after = await self.persistence.async_update_player_field(player.player_id, "stats.current_health", 80)
        self.assertEqual((after.get_stats()["current_health"], after.get_stats()["experience_points"]), (80, 10))
        after = await self.persistence.async_update_player_field(player.player_id, "stats.experience_points", 555)
        self.assertEqual((after.get_stats()["current_health"], after.get_stats()["experience_points"]), (80, 555))
        after = await self.persistence.async_update_player_xp(player.player_id, 5, reason="quest")
        self.assertEqual(after.get_stats()["experience_points"], 560)
        after = await self.persistence.async_update_player_health(player.player_id, -30)
        self.assertEqual(after.get_stats()["current_health"], 50)
        with self.assertRaises(ValueError):
            await self.persistence.async_update_player_field(player.player_id, "inventory", 1)
        with self.assertRaises(ValidationError):
            await self.persistence.async_update_player_field(player.player_id, "stats.no_such_stat", 1)
        self.assertEqual((await self.persistence.get_player(player.player_id)).get_stats()["current_health"], 50)

    async def test_a_fresh_whole_save_is_saved(self) -> None:
        player = await self.persistence.get_player((await self.client.async_create_player(unique_name("saver")))["id"])
        player.current_room_id = "miskatonic-library"
        outcome = await self.persistence.async_save_player(player)
        self.assertEqual((outcome.status, outcome.player.current_room_id, outcome.player.version), ("saved", "miskatonic-library", player.version + 1))

    async def test_writes_started_together_apply_in_call_order_per_player_and_in_parallel_across_players(self) -> None:
        # Damage 30 then heal 50, repeated: in order the health goes 100 → 70 → 100 → 70 …; any
        # reordering would clamp a heal at 100 or start with a heal, and end elsewhere or die.
        players = [await self.client.async_create_player(unique_name("lane"), maxHealth=100) for _ in range(4)]
        steps = [("damage", 30), ("heal", 50)] * 6 + [("damage", 30)]
        calls = []
        for player in players:
            for kind, amount in steps:
                call = self.client.async_damage_player if kind == "damage" else self.client.async_heal_player
                calls.append(call(player["id"], amount, source="lane-test"))
        results = await asyncio.gather(*calls)
        self.assertEqual(len(results), len(players) * len(steps))
        for player in players:
            health_rows = [row for row in await self.client.async_get_player_events(player["id"], field="health")]
            self.assertEqual([row["after"] for row in health_rows], [70, 100] * 6 + [70])
            self.assertEqual((await self.client.async_get_player(player["id"]))["health"], 70)


if __name__ == "__main__":
    unittest.main()
