"""Stand-in for the openai package, imported by test_security.py: only its non-router tests use the
client, and the harness runs the router-mode ones."""


class OpenAI:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("the openai package is not installed; this test needs it")
