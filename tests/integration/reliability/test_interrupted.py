# -*- coding: utf-8 -*-
# Copyright: (c) 2026, s3_crossaccount.replication contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/replicate.yml SIGKILLed after a task, then run again: the rerun converges to the
state of an uninterrupted run, and other teams' rule, statements, inline policy and grant are
there at every kill point.

Kill points (RELIABILITY_KILL_POINTS): ``writes`` (default) kills after every task that changed
something in an uninterrupted run: a task that wrote nothing leaves the state of the kill point
before it (and a kill before the first write leaves the seeded state, from which the baseline run
itself converges), so these are all the distinct states a task-boundary kill can leave. ``all``
kills after every completed task (27 points on the seeded estate, about 25 minutes on two cores).
"""

import json
import os
import time

import estate
from conftest import recap
from conftest import run_playbook
from conftest import wipe

HERE = os.path.dirname(os.path.abspath(__file__))


def callback_env(limit=0, log=None):
    env = {"ANSIBLE_CALLBACK_PLUGINS": os.path.join(HERE, "callback_plugins"), "ANSIBLE_CALLBACKS_ENABLED": "kill_after_task",
           "RELIABILITY_KILL_AFTER_TASK": str(limit)}
    if log:
        env["RELIABILITY_TASK_LOG"] = log
    return env


def read_log(path):
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def kill_points(tasks):
    if os.environ.get("RELIABILITY_KILL_POINTS", "writes") == "all":
        return [task["n"] for task in tasks]
    return sorted(task["n"] for task in tasks if task["changed"])


def test_rerun_after_a_kill_converges_and_keeps_foreign(harness, proxy, tmp_path):
    wipe(harness, proxy)
    vars_path, variables = estate.seed(tmp_path / "baseline")
    log = str(tmp_path / "baseline.jsonl")
    baseline = run_playbook(proxy, vars_path, env=callback_env(log=log))
    assert baseline.returncode == 0, baseline.stdout[-4000:]
    tasks = read_log(log)
    reference = estate.with_placeholders(estate.snapshot(), variables)
    points = kill_points(tasks)
    print(f"{len(tasks)} completed tasks, {sum(t['changed'] for t in tasks)} changed; kill points {points}")

    failures, timings = [], []
    for point in points:
        started = time.monotonic()
        wipe(harness, proxy)
        workdir = tmp_path / f"kill-{point}"
        vars_path, variables = estate.seed(workdir)
        killed = run_playbook(proxy, vars_path, env=callback_env(limit=point), start_new_session=True)
        name = tasks[point - 1]["name"]
        if killed.returncode == 0:
            failures.append(f"kill after task {point} ({name}): the run was not killed")
            continue
        lost = estate.foreign_intact(estate.snapshot())
        if lost:
            failures.append(f"kill after task {point} ({name}): {lost}")
        rerun = run_playbook(proxy, vars_path)
        if rerun.returncode != 0:
            failures.append(f"kill after task {point} ({name}): the rerun failed: {rerun.stdout[-2000:]}")
            continue
        state = estate.snapshot()
        if estate.foreign_intact(state) or estate.with_placeholders(state, variables) != reference:
            failures.append(f"kill after task {point} ({name}): the rerun's end state differs from an uninterrupted run's")
        timings.append((point, recap(rerun.stdout).get("changed"), round(time.monotonic() - started, 1)))
    print("kill point, rerun changed, seconds:", timings)
    assert failures == []
