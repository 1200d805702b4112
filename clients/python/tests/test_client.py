"""Runs against a real Pnakotic server: PNAKOTIC_URL and PNAKOTIC_TOKEN (a service token).

npm test starts `next start` on a fresh SQLite database and runs this suite
(tests/ops/python-client.test.ts). By hand:

    PNAKOTIC_URL=http://127.0.0.1:3000 PNAKOTIC_TOKEN=pnk_... python3 -m unittest discover -s clients/python/tests -v
"""

import http.server
import json
import os
import socket
import sys
import threading
import time
import unittest
import urllib.request
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from pnakotic_client import (  # noqa: E402
    AuthenticationError,
    ConflictError,
    PnakoticError,
    NotFoundError,
    PnakoticClient,
    StaleDataException,
    TransportError,
    ValidationError,
)

BASE_URL = os.environ.get("PNAKOTIC_URL", "")
TOKEN = os.environ.get("PNAKOTIC_TOKEN", "")
# An admin token lets the transfer test declare its own stat, and runs the lifecycle test
# (archive, unarchive, purge); both are skipped without one.
ADMIN_TOKEN = os.environ.get("PNAKOTIC_ADMIN_TOKEN", "")
STATS_PATH = "/api/v1/players/{id}/stats"


def unique_name(prefix: str) -> str:
    return "%s-%s" % (prefix, uuid.uuid4().hex[:12])


class LossyProxy:
    """Forwards requests to the real server, but for the first `lose` requests drops the answer
    (closes the connection without replying) after the server has handled them: a write applied
    whose answer never arrived. Records the Idempotency-Key of every request it saw."""

    def __init__(self, target: str, lose: int) -> None:
        self.target = target
        self.remaining_losses = lose
        self.keys = []
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep the test output clean
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                proxy.keys.append(self.headers.get("Idempotency-Key"))
                forwarded = urllib.request.Request(proxy.target + self.path, data=body, method="POST")
                for name in ("Authorization", "Content-Type", "Idempotency-Key"):
                    if self.headers.get(name):
                        forwarded.add_header(name, self.headers[name])
                try:
                    with urllib.request.urlopen(forwarded, timeout=10) as response:
                        status, payload, content_type = response.status, response.read(), response.headers.get("Content-Type")
                except urllib.error.HTTPError as answer:
                    status, payload, content_type = answer.code, answer.read(), answer.headers.get("Content-Type")
                if proxy.remaining_losses > 0:
                    proxy.remaining_losses -= 1
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                self.send_response(status)
                self.send_header("Content-Type", content_type or "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> "LossyProxy":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@unittest.skipUnless(BASE_URL and TOKEN, "set PNAKOTIC_URL and PNAKOTIC_TOKEN to run against a server")
class PnakoticClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.client = PnakoticClient(BASE_URL, TOKEN, timeout=5.0, retries=2, backoff=0.05)
        with urllib.request.urlopen(BASE_URL + "/api/openapi.json", timeout=5) as response:
            cls.document = json.loads(response.read().decode("utf-8"))

    def test_seed_scenario_100_90_80_70_xp_plus_one_and_a_stale_save_refused_with_merge_none(self) -> None:
        player = self.client.create_player(unique_name("Ithaqua"), maxHealth=100, experiencePoints=554)
        stale_copy = self.client.get_player(player["id"])
        self.assertEqual(stale_copy["health"], 100)
        for expected in (90, 80, 70):
            after = self.client.damage_player(player["id"], 10, damage_type="melee", source="npc:dr-francis-morgan")
            self.assertEqual(after["health"], expected)
        after_xp = self.client.gain_experience(player["id"], 1, source="npc:dr-francis-morgan")
        self.assertEqual((after_xp["health"], after_xp["experiencePoints"]), (70, 555))

        # The original bug: a whole-object save from the pre-combat copy would restore 100 HP.
        stale_copy["experiencePoints"] = 555
        with self.assertRaises(StaleDataException) as refused:
            self.client.save_player(stale_copy, merge=False)
        self.assertEqual((refused.exception.status, refused.exception.code), (409, "stale_version"))
        self.assertIn("health", [conflict["field"] for conflict in refused.exception.problem["conflicts"]])

        stored = self.client.get_player(player["id"])
        self.assertEqual((stored["health"], stored["experiencePoints"]), (70, 555))
        ledger = self.client.get_player_events(player["id"])
        self.assertEqual([(row["field"], row["before"], row["after"]) for row in ledger if row["field"] in ("health", "experience")][-4:],
                         [("health", 100, 90), ("health", 90, 80), ("health", 80, 70), ("experience", 554, 555)])

    def test_seed_scenario_through_whole_saves_merges_a_stale_copy(self) -> None:
        player = self.client.create_player(unique_name("Ithaqua"), maxHealth=100, experiencePoints=554)
        stale_copy = self.client.get_player(player["id"])
        for _ in range(3):
            fresh = self.client.get_player(player["id"])
            fresh["health"] -= 10
            self.client.save_player(fresh)
        stale_copy["experiencePoints"] += 1
        saved = self.client.save_player(stale_copy)
        self.assertEqual((saved["health"], saved["experiencePoints"]), (70, 555))

    def test_find_player_by_name_is_exact_and_case_insensitive(self) -> None:
        name = unique_name("Nyarlathotep")
        player = self.client.create_player(name)
        self.assertEqual(self.client.find_player_by_name(name.upper())["id"], player["id"])
        self.assertIsNone(self.client.find_player_by_name(name[:-1]))

    def test_save_player_from_a_fresh_read_is_applied(self) -> None:
        player = self.client.create_player(unique_name("saver"))
        fresh = self.client.get_player(player["id"])
        fresh["currentRoomId"] = "miskatonic-library"
        saved = self.client.save_player(fresh)
        self.assertEqual(saved["currentRoomId"], "miskatonic-library")
        self.assertEqual(saved["version"], fresh["version"] + 1)

    def test_heal_player(self) -> None:
        player = self.client.create_player(unique_name("healer"), health=40, maxHealth=100)
        self.assertEqual(self.client.heal_player(player["id"], 25)["health"], 65)

    def test_accepts_game_objects_with_a_player_id(self) -> None:
        player = self.client.create_player(unique_name("object"))

        class GamePlayer:
            player_id = player["id"]

        self.assertEqual(self.client.damage_player(GamePlayer(), 3)["health"], 97)

    def test_lost_answer_is_retried_with_the_same_idempotency_key_and_applied_once(self) -> None:
        player = self.client.create_player(unique_name("lossy"))
        with LossyProxy(BASE_URL, lose=1) as proxy:
            through_proxy = PnakoticClient(proxy.url, TOKEN, timeout=5.0, retries=2, backoff=0.05)
            after = through_proxy.damage_player(player["id"], 10)
        self.assertEqual(len(proxy.keys), 2)
        self.assertEqual(proxy.keys[0], proxy.keys[1])
        self.assertEqual(after["health"], 90)
        stored = self.client.get_player(player["id"])
        self.assertEqual((stored["health"], stored["version"]), (90, player["version"] + 1))

    def test_timeouts_and_unreachable_servers_raise_transport_error_after_retries(self) -> None:
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # accepts connections, never answers
        try:
            client = PnakoticClient("http://127.0.0.1:%d" % silent.getsockname()[1], TOKEN, timeout=0.3, retries=1, backoff=0.01)
            started = time.monotonic()
            with self.assertRaises(TransportError):
                client.get_player("anyone")
            self.assertLess(time.monotonic() - started, 5)
        finally:
            silent.close()

    def test_problem_json_becomes_typed_errors(self) -> None:
        with self.assertRaises(NotFoundError) as missing:
            self.client.get_player(str(uuid.uuid4()))
        self.assertEqual(missing.exception.code, "player_not_found")
        self.assertTrue(missing.exception.request_id)
        with self.assertRaises(ValidationError) as invalid:
            player = self.client.create_player(unique_name("invalid"))
            self.client.damage_player(player["id"], -5)
        self.assertEqual(invalid.exception.status, 422)
        with self.assertRaises(AuthenticationError):
            PnakoticClient(BASE_URL, "pnk_not-a-real-token").get_player(str(uuid.uuid4()))

    def test_update_player_field(self) -> None:
        # The stats endpoint (issue 14) lands separately: skip only while the server lacks it.
        if STATS_PATH not in self.document.get("paths", {}):
            self.skipTest("server's OpenAPI document has no %s yet" % STATS_PATH)
        player = self.client.create_player(unique_name("stats"), maxHealth=100)
        after = self.client.update_player_field(player["id"], "health", -15, op="add", source="python-client-test")
        self.assertEqual(after["health"], 85)
        after = self.client.update_player_field(player["id"], "experience", 42, op="set")
        self.assertEqual(after["experiencePoints"], 42)
        with self.assertRaises(ValidationError):
            self.client.update_player_field(player["id"], "no-such-stat", 1)
        with self.assertRaises(StaleDataException):
            self.client.update_player_field(player["id"], "health", 1, op="add", expected_version=player["version"])
        self.assertEqual([row["field"] for row in self.client.get_player_events(player["id"], field="experience")][-1:], ["experience"])

    def test_apply_changes_atomic_refuses_whole_independent_applies_the_rest(self) -> None:
        alive = self.client.create_player(unique_name("batch"))
        dead = self.client.create_player(unique_name("batch-dead"), health=1)
        self.client.damage_player(dead["id"], 50)
        with self.assertRaises(ValidationError) as refused:
            self.client.apply_changes([{"op": "damage", "playerId": alive["id"], "amount": 5}, {"op": "heal", "playerId": dead["id"], "amount": 5}])
        self.assertEqual((refused.exception.code, refused.exception.problem["changeIndex"]), ("player_dead", 1))
        self.assertEqual(self.client.get_player(alive["id"])["health"], 100)
        key = str(uuid.uuid4())
        changes = [{"op": "damage", "playerId": alive["id"], "amount": 5}, {"op": "heal", "playerId": dead["id"], "amount": 5}]
        results = self.client.apply_changes(changes, mode="independent", idempotency_key=key)
        self.assertEqual([result["status"] for result in results], [200, 422])
        self.assertEqual(results[1]["problem"]["code"], "player_dead")
        # The same key again: replayed, not applied a second time.
        self.client.apply_changes(changes, mode="independent", idempotency_key=key)
        self.assertEqual(self.client.get_player(alive["id"])["health"], 95)

    def test_transfer_moves_a_declared_stat_whole_or_not_at_all(self) -> None:
        if not ADMIN_TOKEN:
            self.skipTest("PNAKOTIC_ADMIN_TOKEN is not set: cannot declare the stat to transfer")
        stat = "coins" + uuid.uuid4().hex[:6]
        declaration = json.dumps({"label": "Coins", "min": 0, "max": 1000, "default": 100, "conserved": True}).encode("utf-8")
        request = urllib.request.Request(
            "%s/api/v1/stats/%s" % (BASE_URL, stat), data=declaration, method="PUT", headers={"Authorization": "Bearer %s" % ADMIN_TOKEN, "Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            self.assertEqual(response.status, 200)
        giver = self.client.create_player(unique_name("giver"))
        receiver = self.client.create_player(unique_name("receiver"))
        moved = self.client.transfer(stat, 30, giver, receiver["id"])
        self.assertEqual((moved["from"]["stats"][stat], moved["to"]["stats"][stat]), (70, 130))
        with self.assertRaises(ValidationError) as short:
            self.client.transfer(stat, 71, giver, receiver)
        self.assertEqual(short.exception.code, "insufficient_balance")
        self.assertEqual(self.client.get_player(giver["id"])["stats"][stat], 70)

    def test_archive_refuses_writes_and_a_test_player_is_purged_with_its_ledger(self) -> None:
        if not ADMIN_TOKEN:
            self.skipTest("set PNAKOTIC_ADMIN_TOKEN to an admin token")
        admin = PnakoticClient(BASE_URL, ADMIN_TOKEN, timeout=5.0)
        player = admin.create_player(unique_name("qa"), testTag="python-client-test")
        self.client.damage_player(player["id"], 10)
        self.assertIsNotNone(admin.archive_player(player["id"])["archivedAt"])
        with self.assertRaises(PnakoticError) as archived:
            self.client.damage_player(player["id"], 10)
        self.assertEqual((archived.exception.status, archived.exception.code), (410, "player_archived"))
        self.assertIsNone(admin.unarchive_player(player["id"])["archivedAt"])
        self.assertEqual(self.client.damage_player(player["id"], 10)["health"], 80)
        purge = admin.purge_test_player(player["id"])
        self.assertEqual((purge["playerId"], purge["testTag"], purge["ledgerRows"]), (player["id"], "python-client-test", 4))
        with self.assertRaises(NotFoundError):
            self.client.get_player(player["id"])
        real = self.client.create_player(unique_name("real"))
        with self.assertRaises(ConflictError) as refused:
            admin.purge_test_player(real["id"])
        self.assertEqual(refused.exception.code, "not_a_test_player")


if __name__ == "__main__":
    unittest.main()
