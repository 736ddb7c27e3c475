"""Two `entativa serve` processes share one PostgreSQL database with short leases: no job runs
twice, none dies without failing, and a killed worker's job resumes on the other (issue 12)."""
import json
import subprocess
import time
import uuid

import pytest

from conftest import PG_ADMIN, Server

pytestmark = pytest.mark.skipif(not PG_ADMIN, reason="instances share a database only on PostgreSQL")


@pytest.fixture
def two_workers(tmp_path):
    name = "peer_jobs_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", PG_ADMIN, "-q", "-c", f"CREATE DATABASE {name}"], check=True)
    url = PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    servers = []
    for number in (1, 2):
        data_dir = tmp_path / f"worker{number}"
        data_dir.mkdir()
        servers.append(Server(str(data_dir), url, {
            "ENTATIVA_INSTANCE_NUMBER": str(number), "ENTATIVA_JOB_LEASE_SECONDS": "3", "ENTATIVA_JOB_WORKERS": "4",
            "ENTATIVA_LOG_FORMAT": "json"}))
    # One at a time, so only the first migrates.
    for server in servers:
        server.start()
    yield servers
    for server in servers:
        server.stop()
    subprocess.run(["psql", PG_ADMIN, "-q", "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=False)


def probe_events(server):
    """(message, probe label) of every probe log line this server wrote."""
    events = []
    with open(server.log_path) as log:
        for line in log:
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("message", "").startswith("probe job"):
                events.append((entry["message"], entry["probe"]))
    return events


def runs_by_label(servers):
    started, finished = {}, {}
    for index, server in enumerate(servers):
        for message, label in probe_events(server):
            target = started if message == "probe job started" else finished
            target.setdefault(label, []).append(index)
    return started, finished


def wait_for(condition, what, timeout=120):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def probe_jobs(server, state):
    return [job for job in server.jobs(state) if job["kind"] == "jobs.probe"]


def test_two_instances_run_each_job_once(two_workers):
    first, _ = two_workers
    count = 300
    first.cli("admin", "jobs", "probe", "--count", str(count), "--millis", "20", "--prefix", "many")
    labels = {f"many-{index}" for index in range(count)}

    wait_for(lambda: labels <= set(runs_by_label(two_workers)[1]), "every probe to finish")
    started, finished = runs_by_label(two_workers)
    twice = {label: runs for label, runs in started.items() if label in labels and len(runs) > 1}
    assert not twice, f"probes started more than once: {twice}"
    assert all(len(finished[label]) == 1 for label in labels)
    # Both instances took part.
    assert {runs[0] for label, runs in started.items() if label in labels} == {0, 1}
    wait_for(lambda: not probe_jobs(first, "queued") and not probe_jobs(first, "running"), "the queue to empty")
    assert probe_jobs(first, "dead") == []
    done = probe_jobs(first, "done")
    assert len(done) == count
    assert all(job["attempts"] == 1 for job in done)


def test_killed_workers_job_resumes_on_the_other(two_workers):
    first, _ = two_workers
    first.cli("admin", "jobs", "probe", "--count", "1", "--millis", "6000", "--prefix", "slow")
    wait_for(lambda: "slow-0" in runs_by_label(two_workers)[0], "the slow probe to start")
    owner = runs_by_label(two_workers)[0]["slow-0"][0]
    survivor = two_workers[1 - owner]
    two_workers[owner].kill9()

    wait_for(lambda: "slow-0" in runs_by_label(two_workers)[1], "the slow probe to resume and finish")
    started, finished = runs_by_label(two_workers)
    # Listed by instance, not by time: each instance started it once.
    assert sorted(started["slow-0"]) == [0, 1]
    assert finished["slow-0"] == [1 - owner]
    job = probe_jobs(survivor, "done")[0]
    # The takeover counted as the second attempt, and says why.
    assert job["attempts"] == 2
    assert "lease lapsed" in job["last_error"]
    assert probe_jobs(survivor, "dead") == []
