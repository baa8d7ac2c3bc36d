"""Rate limits shared through Redis, as several app servers behind a load balancer need."""

import os
import uuid

import pytest

from tests.conftest import make_config, post_form

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def server(make_app, database_url, redis_url, prefix):
    config = make_config(
        database_url,
        REDIS_URL=redis_url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_SIGN_IN="3 per minute",
        RATELIMIT_KEY_PREFIX=prefix,
    )
    return make_app(config).test_client()


def attempt(client):
    data = {"email": "someone@example.org", "password": "not the password"}
    return post_form(client, "/sign-in", data, token_from="/sign-in").status_code


@pytest.fixture
def prefix():
    return f"passerelle-test-{uuid.uuid4().hex}"


def test_the_count_lives_in_redis_and_outlives_the_process_state(make_app, database_url, prefix):
    first = server(make_app, database_url, REDIS_URL, prefix)
    assert [attempt(first) for _ in range(3)] == [200, 200, 200]
    # A new app (another server, or this one restarted) starts with empty process memory.
    second = server(make_app, database_url, REDIS_URL, prefix)
    assert attempt(second) == 429


def test_sign_in_keeps_working_when_redis_is_down(make_app, database_url, prefix):
    client = server(make_app, database_url, "redis://127.0.0.1:1/0", prefix)
    assert attempt(client) == 200
