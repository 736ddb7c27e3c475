"""kill -9 during a burst of registrations: every answered 201 survives, and jobs enqueued
before the kill run after the restart."""
import threading
import time

import requests


def test_registrations_and_jobs_survive_kill_9(make_server):
    # Workers off in the first life, so the verification mails are still queued when it dies.
    server = make_server(ENTATIVA_BCRYPT_COST=8, ENTATIVA_REGISTRATIONS_PER_IP=100000).start(ENTATIVA_JOB_WORKERS="0")
    answered = []
    lock = threading.Lock()
    stop = threading.Event()

    def burst(worker):
        index = 0
        while not stop.is_set():
            name = f"burst_{worker}_{index}"
            index += 1
            try:
                response = requests.post(server.url("/api/v1/auth/register"), json={
                    "username": name, "email": f"{name}@example.com", "password": "a perfectly fine passphrase"}, timeout=10)
            except requests.RequestException:
                continue
            if response.status_code == 201:
                with lock:
                    answered.append(name)

    threads = [threading.Thread(target=burst, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    deadline = time.time() + 30
    while len(answered) < 20 and time.time() < deadline:
        time.sleep(0.05)
    server.kill9()
    stop.set()
    for thread in threads:
        thread.join()
    assert len(answered) >= 20, "the burst never got going"

    queued_mail = [job for job in server.jobs("queued") if job["kind"] == "mail.send"]
    assert len(queued_mail) >= len(answered)

    server.start()
    for name in answered:
        response = requests.get(server.url(f"/api/v1/accounts/lookup?username={name}"))
        assert response.status_code == 200, f"{name} was answered 201 but is gone"

    deadline = time.time() + 60
    while time.time() < deadline:
        queued = [job for job in server.jobs("queued") if job["kind"] == "mail.send"]
        if not queued:
            break
        time.sleep(0.5)
    done_ids = {job["id"] for job in server.jobs("done")}
    assert {job["id"] for job in queued_mail} <= done_ids
