"""Plain helpers shared by tests (fixtures live in conftest.py)."""

import re

PASSWORD = "a-long-test-password"


def csrf_token_from(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
