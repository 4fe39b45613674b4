"""What every error answer of the service must be: an RFC 9457 problem document (docs/service.md, "Errors")."""

from __future__ import annotations

import re
from typing import Any

import httpx

from sanctuary.service.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE

KIND = re.compile(re.escape(PROBLEM_BASE) + r"[a-z0-9-]+")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def assert_problem(response: httpx.Response) -> dict[str, Any]:
    """``response`` is a problem document: the problem media type; ``type`` a URI under the project's problem
    base, ``title`` and ``detail`` words, ``status`` the HTTP status, ``instance`` (when given) a path with no
    control character or space; ``errors`` (when given) field problems, each a path and a message. Returns it."""
    where = f"{response.request.method} {str(response.request.url)[:120]}: {response.status_code} {response.text[:300]}"
    assert response.status_code >= 400, where
    assert response.headers["content-type"].split(";")[0] == PROBLEM_MEDIA_TYPE, where
    body = response.json()
    assert isinstance(body, dict), where
    assert isinstance(body.get("type"), str) and KIND.fullmatch(body["type"]), where
    assert isinstance(body.get("title"), str) and body["title"], where
    assert body.get("status") == response.status_code, where
    assert isinstance(body.get("detail"), str) and body["detail"], where
    if "instance" in body:
        assert isinstance(body["instance"], str) and body["instance"].startswith("/"), where
        assert not CONTROL.search(body["instance"]) and " " not in body["instance"], where
        assert len(body["instance"]) <= 12 * 200, where  # cut to 200 characters, each at most four %XX
    for problem in body.get("errors", []):
        assert set(problem) == {"path", "message"} and all(isinstance(v, str) for v in problem.values()), where
    return body
