# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A fault-injecting HTTP reverse proxy in front of the moto harness (tests only).

    python tests/harness/fault_proxy.py --upstream http://127.0.0.1:PORT [--rate 0.2] [--seed 7]
        [--kinds throttle,error,reset,slow,after] [--user-agent s3_crossaccount.replication]
        [--log faults.jsonl]

Prints ``endpoint=http://127.0.0.1:PORT`` and serves until interrupted. Tests import
:class:`FaultProxy` and run it in a thread instead.

Each request is classified (service from the SigV4 credential scope; operation from the query
protocol's Action, the JSON protocol's X-Amz-Target, or S3's method and sub-resource) and, with
probability ``rate`` (seeded), answered with one fault, as the real service would send it:

- ``throttle``: S3 503 SlowDown (XML); IAM/STS 400 Throttling (query XML); KMS 400
  ThrottlingException (JSON).
- ``error``: 500 or 503 in the protocol's shape (InternalError / InternalFailure /
  KMSInternalException, ServiceUnavailable).
- ``reset``: the TCP connection is reset before the request is forwarded.
- ``slow``: the answer is delayed (0.3-1.5 s), then forwarded normally.
- ``after``: the request IS forwarded to moto (it took effect), then the client gets a 5xx or a
  connection reset instead of the answer: the realistic case for non-idempotent calls.

Independently of faults, ``read_delay`` (seconds) delays the answer of every read (not STS) the way a
real endpoint answers (about 0.15 s): the client acts on a state that much older, which widens the
read-merge-write windows of simultaneous runs.

Bounded: the same request (method, path, operation) is never faulted more than
``max_consecutive`` times in a row, and at most ``max_faults`` faults are injected in total, so a
client that retries always gets through. Every request is recorded in :attr:`FaultProxy.requests`
(and the ``--log`` file): service, operation, whether it writes, and the fault injected.
``on_write`` (tests) is called with the running count of writes that reached moto.
"""

import argparse
import http.client
import http.server
import json
import random
import re
import socket
import socketserver
import struct
import sys
import threading
import time
import urllib.parse
import uuid

KINDS = ("throttle", "error", "reset", "slow", "after")
READ_PREFIXES = ("Get", "List", "Describe", "Head")
NOT_WRITES = {"AssumeRole", "GetCallerIdentity", "AssumeRoleWithWebIdentity", "GetSessionToken"}
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "te", "trailer", "upgrade"}
CREDENTIAL_SCOPE = re.compile(r"Credential=[^/]+/\d{8}/[^/]+/([^/]+)/aws4_request")
S3_SUBRESOURCES = (
    "replication", "policy", "versioning", "encryption", "ownershipControls", "acl", "tagging", "lifecycle",
    "publicAccessBlock", "location", "uploads", "versions", "delete", "object-lock", "notification", "cors",
)


def classify(method, path, headers, body):
    """(service, operation, writes) of one AWS API request."""
    match = CREDENTIAL_SCOPE.search(headers.get("Authorization", ""))
    service = match.group(1) if match else "unknown"
    target = headers.get("X-Amz-Target")
    if target:
        operation = target.rsplit(".", 1)[-1]
        return service, operation, _action_writes(operation)
    if service == "s3":
        query = urllib.parse.urlsplit(path).query
        keys = [part.split("=", 1)[0] for part in query.split("&") if part]
        sub = next((key for key in keys if key in S3_SUBRESOURCES), "")
        return service, f"{method} {sub}".strip(), method in ("PUT", "POST", "DELETE")
    fields = urllib.parse.parse_qs(body.decode("utf-8", "replace")) if body else {}
    fields.update(urllib.parse.parse_qs(urllib.parse.urlsplit(path).query))
    operation = (fields.get("Action") or ["unknown"])[0]
    return service, operation, _action_writes(operation)


def _action_writes(operation):
    return not operation.startswith(READ_PREFIXES) and operation not in NOT_WRITES


def protocol_of(service, headers):
    if headers.get("X-Amz-Target"):
        return "json"
    return "rest-xml" if service == "s3" else "query"


def fault_response(protocol, kind, status):
    """(status, content type, body) of a throttling (kind throttle) or 5xx (kind error) answer."""
    request_id = str(uuid.uuid4())
    if protocol == "rest-xml":
        code, message = {
            ("throttle", 503): ("SlowDown", "Please reduce your request rate."),
            ("error", 500): ("InternalError", "We encountered an internal error. Please try again."),
            ("error", 503): ("ServiceUnavailable", "Service is unable to handle request."),
        }[(kind, status)]
        body = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>{request_id}</RequestId></Error>'
        return status, "application/xml", body.encode("utf-8")
    if protocol == "json":
        code = {("throttle", 400): "ThrottlingException", ("error", 500): "KMSInternalException", ("error", 503): "ServiceUnavailable"}[(kind, status)]
        message = "Rate exceeded" if kind == "throttle" else "Internal error"
        return status, "application/x-amz-json-1.1", json.dumps({"__type": code, "message": message}).encode()
    code, error_type = {
        ("throttle", 400): ("Throttling", "Sender"),
        ("error", 500): ("InternalFailure", "Receiver"),
        ("error", 503): ("ServiceUnavailable", "Receiver"),
    }[(kind, status)]
    body = (
        f"<ErrorResponse><Error><Type>{error_type}</Type><Code>{code}</Code><Message>injected {code}</Message></Error>"
        f"<RequestId>{request_id}</RequestId></ErrorResponse>"
    )
    return status, "text/xml", body.encode("utf-8")


def throttle_status(protocol):
    return 503 if protocol == "rest-xml" else 400


class FaultProxy:
    """A threaded reverse proxy that injects faults in front of ``upstream`` (see the module doc)."""

    def __init__(self, upstream, rate=0.0, seed=0, kinds=KINDS, user_agent=None, max_consecutive=2, max_faults=10000,
                 log_path=None, on_write=None, read_delay=0.0):
        self.upstream = urllib.parse.urlsplit(upstream)
        self.rate = rate
        self.kinds = tuple(kinds)
        self.user_agent = user_agent
        self.max_consecutive = max_consecutive
        self.max_faults = max_faults
        self.on_write = on_write
        # Seconds every read waits before it is forwarded: a real endpoint's latency, which widens
        # the read-merge-write windows of concurrent runs the way AWS does (the emulator answers in ms).
        self.read_delay = read_delay
        self.requests = []
        self.writes_forwarded = 0
        self.issued_secrets = set()
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._streak = {}
        self._faults = 0
        self._log = open(log_path, "a", encoding="utf-8") if log_path else None  # pylint: disable=consider-using-with
        self._server = None
        self._thread = None

    # -- lifecycle ---------------------------------------------------------------------------------
    def start(self, port=0):
        proxy = self

        class Handler(ProxyHandler):
            owner = proxy

        self._server = ThreadingServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-proxy", daemon=True)
        self._thread.start()
        return self.endpoint

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._log:
            self._log.close()
            self._log = None

    def reset_counters(self, rate=None):
        with self._lock:
            self.requests = []
            self.writes_forwarded = 0
            self._streak = {}
            self._faults = 0
            if rate is not None:
                self.rate = rate

    # -- decisions ---------------------------------------------------------------------------------
    def choose_fault(self, signature, user_agent):
        """The fault kind for this request, or None; bounded per request and in total."""
        with self._lock:
            eligible = self.rate > 0 and (self.user_agent is None or self.user_agent in user_agent)
            streak = self._streak.get(signature, 0)
            if not eligible or streak >= self.max_consecutive or self._faults >= self.max_faults or self._random.random() >= self.rate:
                self._streak[signature] = 0
                return None, None
            self._streak[signature] = streak + 1
            self._faults += 1
            return self._random.choice(self.kinds), self._random.random()

    def record(self, entry):
        with self._lock:
            entry["n"] = len(self.requests) + 1
            self.requests.append(entry)
            if self._log:
                self._log.write(json.dumps(entry) + "\n")
                self._log.flush()

    def count_write(self):
        with self._lock:
            self.writes_forwarded += 1
            count = self.writes_forwarded
        if self.on_write:
            self.on_write(count)

    def remember_secrets(self, answer):
        """Keeps the secret key and session token STS issued (tests grep output for them)."""
        found = re.findall(rb"<(?:SecretAccessKey|SessionToken)>([^<]+)</", answer)
        with self._lock:
            self.issued_secrets.update(value.decode("utf-8") for value in found)

    def injected(self):
        return [entry for entry in self.requests if entry["fault"]]

    def writes(self):
        """Requests that changed state in moto (forwarded writes, whatever the client got back)."""
        return [entry for entry in self.requests if entry["write"] and entry["forwarded"]]


class ThreadingServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    owner = None
    protocol_version = "HTTP/1.0"

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        return

    def do_GET(self):
        self.handle_any()

    do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = do_GET

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def handle_any(self):
        proxy = self.owner
        body = self.read_body()
        service, operation, writes = classify(self.command, self.path, self.headers, body)
        signature = (self.command, self.path.split("?")[0], operation)
        kind, pick = proxy.choose_fault(signature, self.headers.get("User-Agent", ""))
        entry = {"service": service, "operation": operation, "write": writes, "fault": kind, "forwarded": False, "status": None}
        protocol = protocol_of(service, self.headers)
        if kind == "reset":
            proxy.record(entry)
            self.reset_connection()
            return
        if kind in ("throttle", "error"):
            status = throttle_status(protocol) if kind == "throttle" else (500 if pick < 0.5 else 503)
            entry["status"] = status
            proxy.record(entry)
            self.send_fault(protocol, kind, status)
            return
        if kind == "slow":
            time.sleep(0.3 + 1.2 * pick)
        status, headers, answer = self.forward(body)
        if proxy.read_delay and not writes and service != "sts":
            time.sleep(proxy.read_delay)  # after moto answered: the client acts on a state this much older
        entry.update(forwarded=True, status=status)
        if writes and status < 300:
            proxy.count_write()
        if operation == "AssumeRole" and status == 200:
            proxy.remember_secrets(answer)
        if kind == "after":
            proxy.record(entry)
            if pick < 0.5:
                self.reset_connection()
            else:
                self.send_fault(protocol, "error", 500 if pick < 0.75 else 503)
            return
        proxy.record(entry)
        self.send_response(status)
        for name, value in headers:
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer)

    def forward(self, body):
        upstream = self.owner.upstream
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=120)
        try:
            headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
            headers["Content-Length"] = str(len(body))
            connection.request(self.command, self.path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read()
        finally:
            connection.close()

    def send_fault(self, protocol, kind, status):
        status, content_type, answer = fault_response(protocol, kind, status)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer)

    def reset_connection(self):
        """Closes the socket with SO_LINGER 0: the client sees a connection reset."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.close_connection = True
        self.connection.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upstream", required=True, help="moto's endpoint, e.g. $HARNESS_ENDPOINT")
    parser.add_argument("--port", type=int, default=0, help="listening port (default: a free one)")
    parser.add_argument("--rate", type=float, default=0.2, help="probability of a fault per request")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"comma-separated, from {', '.join(KINDS)}")
    parser.add_argument("--user-agent", help="fault only requests whose User-Agent contains this")
    parser.add_argument("--max-consecutive", type=int, default=2)
    parser.add_argument("--max-faults", type=int, default=10000)
    parser.add_argument("--log", help="append one JSON line per request here")
    args = parser.parse_args(argv)
    kinds = [kind for kind in args.kinds.split(",") if kind]
    unknown = set(kinds) - set(KINDS)
    if unknown:
        parser.error(f"--kinds: unknown {', '.join(sorted(unknown))}; choose from {', '.join(KINDS)}")
    proxy = FaultProxy(args.upstream, args.rate, args.seed, kinds, args.user_agent, args.max_consecutive, args.max_faults, args.log)
    print(f"endpoint={proxy.start(args.port)}", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        proxy.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
