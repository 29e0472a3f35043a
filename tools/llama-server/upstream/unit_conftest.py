# Added by Switchboard's harness (tools/llama-server/run-upstream-tests.sh) as unit/conftest.py.
import pytest


@pytest.fixture(scope="session", autouse=True)
def load_server_presets():
    """Replaces conftest.py's fixture of the same name, which starts every ServerPreset once, online,
    so that their models are downloaded before the tests run. The harness has already placed the
    models the router tests use in the offline cache (models.py), and the single-model presets
    (bert, gemma vision, ...) are not part of the router-mode suites."""
    yield
