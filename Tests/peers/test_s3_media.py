"""The server on an S3 bucket (moto, started by the test command) instead of local disk."""
import os
import time
import uuid

import boto3
import pytest
import requests

ENDPOINT = os.environ.get("TEST_S3_ENDPOINT")


@pytest.mark.skipif(not ENDPOINT, reason="the test command starts moto and sets TEST_S3_ENDPOINT")
def test_media_round_trip_through_s3(make_server, tmp_path):
    bucket = "peer-" + uuid.uuid4().hex[:10]
    boto3.client("s3", endpoint_url=ENDPOINT, aws_access_key_id="test", aws_secret_access_key="test",
                 region_name="us-east-1").create_bucket(Bucket=bucket)
    server = make_server(S3_ENDPOINT=ENDPOINT, S3_BUCKET=bucket, S3_ACCESS_KEY_ID="test", S3_SECRET_ACCESS_KEY="test").start()
    token = server.register("s3_user")["access_token"]
    image = tmp_path / "card.png"
    os.system(f"ffmpeg -v error -y -f lavfi -i testsrc=size=640x480:rate=1 -frames:v 1 {image}")
    with open(image, "rb") as handle:
        upload = requests.post(server.url("/api/v1/media"), headers={"Authorization": f"Bearer {token}"},
                               files={"file": ("card.png", handle, "image/png")})
    assert upload.status_code == 202, upload.text
    media_id = upload.json()["id"]
    deadline = time.time() + 60
    while time.time() < deadline:
        media = requests.get(server.url(f"/api/v1/media/{media_id}")).json()
        if media.get("state") == "ready":
            break
        time.sleep(0.3)
    assert media["state"] == "ready", media
    small = next(v for v in media["variants"] if v["name"] == "small")
    whole = requests.get(small["url"])
    assert whole.status_code == 200 and whole.headers["Content-Type"] == "image/webp"
    part = requests.get(small["url"], headers={"Range": "bytes=0-15"})
    assert part.status_code == 206 and part.content == whole.content[:16]
    keys = [item["Key"] for item in boto3.client(
        "s3", endpoint_url=ENDPOINT, aws_access_key_id="test", aws_secret_access_key="test",
        region_name="us-east-1").list_objects_v2(Bucket=bucket)["Contents"]]
    assert f"media/{media_id}/small.webp" in keys
    assert not os.path.exists(os.path.join(server.data_dir, "blobs"))
