#!/usr/bin/env python3
"""Boots one VM with a QEMU command line hyprd generated, playing hyprd's part of the guest
channel (guest/PROTOCOL.md): connect to agent.sock, HELLO_REQUEST, CONFIG from the workload.cfg
hyprd wrote. Without a host that sends CONFIG, Kestrel never starts the workload.

  bare-boot.py CMD_FILE WORKLOAD_CFG PORT [DEADLINE_S]

CMD_FILE holds one argument per line (vmm.cmd, already re-pointed at a fresh directory; it must
end in -daemonize and name a -pidfile). Prints "kestrel_ms started_ms http_ms" since the launch:
Kestrel's HELLO (the guest's agent is up), its STARTED for the workload, and the first HTTP answer
on 127.0.0.1:PORT (PORT 0: not waited for, printed as -). Every wait is bounded by DEADLINE_S
(default 120); QEMU is killed on every way out.
"""
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

HELLO_REQUEST, CONFIG, HELLO, STARTED = 0x01, 0x09, 0x81, 0x83


def frame(kind, payload=b"", stream=0):
    return struct.pack(">IBI", len(payload), kind, stream) + payload


def read_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise EOFError("the guest channel closed")
        buf += chunk
    return buf


def main():
    cmd_file, cfg_file, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    limit = float(sys.argv[4]) if len(sys.argv) > 4 else 120.0
    cmd = [line for line in open(cmd_file).read().split("\n") if line]
    rundir = os.path.dirname(cmd[cmd.index("-pidfile") + 1])
    console = os.path.join(rundir, "console.log")
    config = open(cfg_file, "rb").read()
    pid = None
    milestone = "QEMU to start"

    def fail(why):
        tail = ""
        try:
            tail = open(console, "rb").read()[-400:].decode(errors="replace")
        except OSError:
            pass
        sys.exit("bare-boot: %s (waiting for %s); console tail: %s" % (why, milestone, tail))

    def on_alarm(*_):
        raise TimeoutError()

    signal.signal(signal.SIGALRM, on_alarm)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("bare-boot: terminated"))
    signal.alarm(int(limit))
    start = time.monotonic()
    ms = lambda: "%.0f" % ((time.monotonic() - start) * 1000)
    try:
        done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=limit)
        if done.returncode != 0:
            fail("QEMU exited %d: %s" % (done.returncode, done.stderr.decode(errors="replace")[-400:]))
        pid = int(open(os.path.join(rundir, "vmm.pid")).read().strip())
        milestone = "Kestrel's HELLO on the guest channel"
        sock = socket.socket(socket.AF_UNIX)
        sock.connect(os.path.join(rundir, "agent.sock"))
        sock.sendall(frame(HELLO_REQUEST))
        kestrel = started = None
        while started is None:
            length, kind, stream = struct.unpack(">IBI", read_exact(sock, 9))
            payload = read_exact(sock, length)
            if kind == HELLO and kestrel is None:
                kestrel = ms()
                milestone = "the workload's STARTED"
                if b"config=wanted" in payload.split(b"\0"):
                    sock.sendall(frame(CONFIG, config))
            elif kind == STARTED and stream == 0:
                started = ms()
        # keep draining the channel (Kestrel stalls the workload once 1 MiB is unread)
        threading.Thread(target=lambda: [None for _ in iter(lambda: sock.recv(65536), b"")], daemon=True).start()
        http = "-"
        milestone = "HTTP on 127.0.0.1:%d" % port
        while port and http == "-":
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                    s.sendall(b"GET / HTTP/1.0\r\n\r\n")
                    if s.recv(12).startswith(b"HTTP/1."):
                        http = ms()
            except OSError:
                time.sleep(0.005)
        signal.alarm(0)
        print(kestrel, started, http)
    except TimeoutError:
        fail("no answer within %.0f s" % limit)
    except (OSError, EOFError, subprocess.TimeoutExpired) as e:
        fail(str(e))
    finally:
        if pid is None:  # killed while QEMU daemonized: its pidfile may still name it
            try:
                pid = int(open(os.path.join(rundir, "vmm.pid")).read().strip())
            except (OSError, ValueError):
                pass
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            for _ in range(400):  # up to 20 s for it to go
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)


if __name__ == "__main__":
    main()
