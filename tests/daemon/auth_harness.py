"""Bearer tokens for daemon tests: a tokens file made with `fhir837 token new`, and a client that
sends a token with every request."""
import pathlib
import subprocess

from serve_harness import BINARY, Client


def new_token(tokens_file, scopes, label):
    """`fhir837 token new --file`: the token (stdout); the file gets only its hash."""
    done = subprocess.run([BINARY, "token", "new", "--scopes", scopes, "--label", label,
                           "--file", str(tokens_file)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip()
    assert token not in pathlib.Path(tokens_file).read_text()
    return token


class TokenClient(Client):
    """A Client that sends `Authorization: Bearer <token>` unless the headers say otherwise."""

    def __init__(self, port, token, timeout=60):
        super().__init__(port, timeout)
        self.token = token

    def request(self, method, target, body=None, headers=None):
        headers = dict(headers or {})
        headers.setdefault("Authorization", f"Bearer {self.token}")
        return super().request(method, target, body, headers)
