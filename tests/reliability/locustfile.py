"""Mixed load for tests/reliability/test_load.py: members read groups and threads, post
replies, register for an event and search. Run by the test as a separate process.

Every member logs in once; posted replies are counted per process and written to
LOAD_RESULTS so the test can compare what was sent with what was stored.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115 - tiny file
_members = itertools.cycle(PLAN["members"])
SENT: list[str] = []
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def check(response) -> None:
    """Only server errors count as failures: a 403 on a locked thread is an answer."""
    if response.status_code >= 500 or response.status_code == 0:
        response.failure(f"HTTP {response.status_code}")
    else:
        response.success()


class Member(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self) -> None:
        self.email = next(_members)
        with self.client.get("/auth/login", catch_response=True) as page:
            check(page)
            token = TOKEN.search(page.text).group(1)
        with self.client.post("/auth/login", catch_response=True, data={
            "csrf_token": token, "email": self.email, "password": PLAN["password"]},
        ) as response:  # fmt: skip
            check(response)

    def token(self, path: str) -> str | None:
        with self.client.get(path, catch_response=True, name=path.split("?")[0]) as page:
            check(page)
            match = TOKEN.search(page.text)
            return match.group(1) if match else None

    @task(4)
    def read_group(self) -> None:
        with self.client.get(f"/groups/{PLAN['group_slug']}", catch_response=True) as page:
            check(page)

    @task(6)
    def read_thread(self) -> None:
        thread = random.choice(PLAN["thread_ids"])
        with self.client.get(f"/threads/{thread}", catch_response=True, name="/threads/[id]") as r:
            check(r)

    @task(2)
    def post_reply(self) -> None:
        thread = random.choice(PLAN["thread_ids"])
        token = self.token(f"/threads/{thread}")
        marker = f"load-{uuid.uuid4().hex[:12]}"
        body = f"Ervaring uit de praktijk, met de school en het wijkteam besproken. {marker}"
        with self.client.post(f"/threads/{thread}/reply", catch_response=True, allow_redirects=False,
                              name="/threads/[id]/reply",
                              data={"csrf_token": token, "body": body}) as response:  # fmt: skip
            check(response)
            if response.status_code == 302:
                SENT.append(marker)

    @task(1)
    def register_for_event(self) -> None:
        event = PLAN["event_id"]
        token = self.token(f"/events/{event}")
        with self.client.post(f"/events/{event}/register", catch_response=True,
                              name="/events/[id]/register", allow_redirects=False,
                              data={"csrf_token": token}) as response:  # fmt: skip
            check(response)

    @task(2)
    def search(self) -> None:
        word = random.choice(["jongere", "school", "wijkteam", "radicalisering", "ouders"])
        with self.client.get(f"/search?q={word}", catch_response=True, name="/search") as r:
            check(r)


@events.quitting.add_listener
def write_results(environment, **_kwargs) -> None:
    path = os.environ["LOAD_RESULTS"]
    with open(path, "w") as handle:
        json.dump({"sent": SENT}, handle)
