# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Two (or more) AWS accounts on this machine: moto's server plus a throw-away AWS config.

    python tests/harness/aws_harness.py start  [--dir DIR]   # prints the env to export
    python tests/harness/aws_harness.py stop   [--dir DIR]
    python tests/harness/aws_harness.py reset  [--dir DIR]   # forget every account's resources
    python tests/harness/aws_harness.py run    [--dir DIR] -- COMMAND ...

    start and run also take --real-aws [--principal-delay SECONDS] (or AWS_HARNESS_REAL=1 and
    AWS_HARNESS_PRINCIPAL_DELAY=SECONDS): the emulator then refuses what AWS refuses, the document
    quotas with AWS's codes and a role as a principal for SECONDS after CreateRole
    (tests/harness/aws_limits.py, docs/testing.md).

Each account is a named profile (role_arn + source_profile): STS AssumeRole into
arn:aws:iam::ACCOUNT:role/ANY yields credentials that act in ACCOUNT. The server listens on a
free loopback port, so concurrent harnesses never collide.
"""

import argparse
import contextlib
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REGION = "us-east-1"
CONTROLLER_ACCOUNT = "123456789012"
ACCOUNTS = {
    "source": "211258069784",
    "destination": "880161310235",
    "third": "444455556666",
}
PROFILES = {
    "src": "source",
    "prod": "source",
    "dst": "destination",
    "analytics": "destination",
    "third": "third",
}
ASSUMED_ROLE = "harness-admin"
CLEARED_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_URL",
    "EC2_URL",
    "S3_URL",
)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def aws_config_text(endpoint):
    lines = [
        "[default]",
        "aws_access_key_id = testing",
        "aws_secret_access_key = testing",
        f"region = {REGION}",
        f"endpoint_url = {endpoint}",
        "",
        "[profile harness]",
        "aws_access_key_id = testing",
        "aws_secret_access_key = testing",
        f"region = {REGION}",
        f"endpoint_url = {endpoint}",
        "",
    ]
    for profile, side in PROFILES.items():
        lines += [
            f"[profile {profile}]",
            f"role_arn = arn:aws:iam::{ACCOUNTS[side]}:role/{ASSUMED_ROLE}",
            "source_profile = harness",
            f"region = {REGION}",
            f"endpoint_url = {endpoint}",
            "",
        ]
    return "\n".join(lines)


def harness_environment(state_dir, endpoint):
    env = {
        "AWS_CONFIG_FILE": os.path.join(state_dir, "aws_config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(state_dir, "credentials"),
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
        "HARNESS_DIR": state_dir,
        "HARNESS_ENDPOINT": endpoint,
        "HARNESS_CONTROLLER_ACCOUNT": CONTROLLER_ACCOUNT,
        "HARNESS_ASSUMED_ROLE": ASSUMED_ROLE,
    }
    for side, account in ACCOUNTS.items():
        env[f"HARNESS_{side.upper()}_ACCOUNT"] = account
    return env


def wait_until_ready(endpoint, process, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=2):
                return True
        except OSError:
            time.sleep(0.2)
    return False


def real_aws_options(real_aws=None, principal_delay=None):
    """``(real_aws, principal_delay)``: the arguments, else AWS_HARNESS_REAL / AWS_HARNESS_PRINCIPAL_DELAY, else off and 0."""
    if real_aws is None:
        real_aws = os.environ.get("AWS_HARNESS_REAL", "").lower() in ("1", "true", "yes")
    if principal_delay is None:
        principal_delay = float(os.environ.get("AWS_HARNESS_PRINCIPAL_DELAY") or 0)
    return real_aws, principal_delay


def launcher_command(port, real_aws=False, principal_delay=0.0):
    command = [sys.executable, os.path.join(HERE, "moto_launcher.py"), str(port)]
    return command + (["--real-aws", "--principal-delay", str(principal_delay)] if real_aws else [])


def start(state_dir, real_aws=None, principal_delay=None):
    real_aws, principal_delay = real_aws_options(real_aws, principal_delay)
    os.makedirs(state_dir, exist_ok=True)
    for _attempt in range(3):
        port = free_port()
        endpoint = f"http://127.0.0.1:{port}"
        log = open(os.path.join(state_dir, "moto.log"), "ab")  # pylint: disable=consider-using-with
        process = subprocess.Popen(  # pylint: disable=consider-using-with
            launcher_command(port, real_aws, principal_delay),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env=child_environment({}),
        )
        if wait_until_ready(endpoint, process):
            break
        stop_process(process.pid)
    else:
        raise SystemExit(f"moto server did not start: {last_line(os.path.join(state_dir, 'moto.log'))} (see {state_dir}/moto.log)")
    with open(os.path.join(state_dir, "aws_config"), "w", encoding="utf-8") as handle:
        handle.write(aws_config_text(endpoint))
    with open(os.path.join(state_dir, "credentials"), "w", encoding="utf-8") as handle:
        handle.write("")
    env = harness_environment(state_dir, endpoint)
    env["HARNESS_PID"] = str(process.pid)
    env["HARNESS_REAL_AWS"] = "1" if real_aws else "0"
    env["HARNESS_PRINCIPAL_DELAY"] = str(principal_delay if real_aws else 0)
    with open(os.path.join(state_dir, "env.json"), "w", encoding="utf-8") as handle:
        json.dump(env, handle, indent=2)
    with open(os.path.join(state_dir, "env.sh"), "w", encoding="utf-8") as handle:
        handle.write(shell_lines(env))
    return env


def last_line(path):
    """The last line of a log: the cause of a server that died (a Python traceback ends with it)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        lines = [line.strip() for line in handle if line.strip()]
    return lines[-1] if lines else "it wrote nothing"


def shell_lines(env):
    """What ``eval "$(aws_harness.py start)"`` runs: the calling shell's credential variables removed, then the harness's set."""
    return "".join(f"unset {name}\n" for name in CLEARED_VARIABLES) + "".join(f"export {name}={shlex.quote(value)}\n" for name, value in env.items())


def load_environment(state_dir):
    with open(os.path.join(state_dir, "env.json"), encoding="utf-8") as handle:
        return json.load(handle)


def stop_process(pid):
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    for _tick in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        try:
            os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            pass
        time.sleep(0.1)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def stop(state_dir):
    try:
        env = load_environment(state_dir)
    except FileNotFoundError:
        return
    stop_process(int(env["HARNESS_PID"]))
    os.remove(os.path.join(state_dir, "env.json"))


@contextlib.contextmanager
def environment(variables, cleared=()):
    """Sets ``variables`` (and removes ``cleared``) in this process's os.environ; restores both afterwards."""
    saved = {name: os.environ.get(name) for name in list(variables) + list(cleared)}
    for name in cleared:
        os.environ.pop(name, None)
    os.environ.update(variables)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def running_in_this_process(prefix, real_aws=None, principal_delay=None):
    """Starts a harness in a new state directory and points this process's os.environ at it (boto3 of
    the tests themselves); yields its environment plus HARNESS_DIR; stops it and restores os.environ."""
    state_dir = tempfile.mkdtemp(prefix=prefix)
    env = start(state_dir, real_aws, principal_delay)
    try:
        with environment(env, CLEARED_VARIABLES):
            yield dict(env, HARNESS_DIR=state_dir)
    finally:
        stop(state_dir)
        shutil.rmtree(state_dir, ignore_errors=True)


def reset(state_dir):
    endpoint = load_environment(state_dir)["HARNESS_ENDPOINT"]
    request = urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass


def child_environment(env):
    child = {name: value for name, value in os.environ.items() if name not in CLEARED_VARIABLES}
    child.update(env)
    return child


def run(state_dir, command, remove=False, real_aws=None, principal_delay=None):
    """Runs ``command`` against a harness started in ``state_dir``; ``remove``: delete the directory afterwards."""
    env = start(state_dir, real_aws, principal_delay)
    try:
        return subprocess.call(command, env=child_environment(env))
    finally:
        stop(state_dir)
        if remove:
            shutil.rmtree(state_dir, ignore_errors=True)


def split_command(argv):
    """Everything after the first ``--`` is the command to run; the rest are our options."""
    if "--" in argv:
        cut = argv.index("--")
        return argv[:cut], argv[cut + 1:]
    return argv, []


def main(argv=None):
    options, command = split_command(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("start", "stop", "reset", "run"))
    parser.add_argument("--dir", help="state directory (default: a new temporary one for run)")
    parser.add_argument("--real-aws", action="store_true", default=None,
                        help="refuse what AWS refuses: document quotas, new roles as principals (default: AWS_HARNESS_REAL)")
    parser.add_argument("--principal-delay", type=float, help="with --real-aws: seconds after CreateRole before a role is a valid principal "
                        "(default: AWS_HARNESS_PRINCIPAL_DELAY, else 0)")
    args = parser.parse_args(options)
    if args.action == "run":
        if not command:
            parser.error("run needs a command after --")
        return run(os.path.abspath(args.dir) if args.dir else tempfile.mkdtemp(prefix="aws-harness-"), command, remove=not args.dir,
                   real_aws=args.real_aws, principal_delay=args.principal_delay)
    # Absolute: the exported AWS_CONFIG_FILE must hold in the directories modules run in.
    state_dir = os.path.abspath(args.dir or os.environ.get("HARNESS_DIR") or os.path.join(os.getcwd(), ".build", "harness"))
    if args.action == "start":
        env = start(state_dir, args.real_aws, args.principal_delay)
        print(shell_lines(env), end="")
    elif args.action == "stop":
        stop(state_dir)
    else:
        reset(state_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
