"""The command of the warm kernel's spec (see tally/warmkernel.py): hand this process's standard
streams, folder, environment and arguments to the zygote, which forks a kernel with them; relay
signals to that kernel; exit with its status. Run as a file, not as part of the package, so that it
imports nothing heavy: ``python _warmkernel_client.py SOCKET -f CONNECTION_FILE``.
"""

import contextlib
import json
import os
import signal
import socket
import sys


def main() -> int:
    sock_path, argv = sys.argv[1], sys.argv[2:]
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    conn.connect(sock_path)
    request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)}
    socket.send_fds(conn, [json.dumps(request).encode()], [0, 1, 2])
    pid = json.loads(conn.recv(4096))["pid"]

    def relay(signum, frame):
        # To the kernel's process group, as jupyter_client signals a fresh kernel's; to the kernel
        # alone if it has not made its group yet.
        try:
            os.killpg(pid, signum)
        except (ProcessLookupError, PermissionError):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2):
        signal.signal(sig, relay)
    reply = conn.recv(4096)  # the kernel's exit status, sent when it ends
    code = json.loads(reply)["exit"] if reply else 1
    return code if code >= 0 else 128 - code


if __name__ == "__main__":
    sys.exit(main())
