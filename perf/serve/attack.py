#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Connection-level attackers for the mixed run of perf/serve/load.sh (issue 28 item 4), for SECONDS:
#   attack.py URL SECONDS endless   POST announcing 10 GB and streaming it; counts bytes until the server closes
#   attack.py URL SECONDS http10    HTTP/1.0 requests without keep-alive; counts answers closed by the server
# Prints one line: mode, connections, bytes sent, answers, connections the server closed.
import socket, sys, time

url, seconds, mode = sys.argv[1], float(sys.argv[2]), sys.argv[3]
host, port = url.split("//")[1].rsplit(":", 1)
port = int(port)
end = time.time() + seconds
connections = sent = answers = closed = 0
chunk = b"A" * 65536
while time.time() < end:
    s = socket.create_connection((host, port))
    s.settimeout(max(0.1, min(2, end - time.time())))
    connections += 1
    try:
        if mode == "endless":
            s.sendall(b"POST /oauth2/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                      b"Content-Length: 10000000000\r\n\r\n")
            while time.time() < end:
                s.sendall(chunk)
                sent += len(chunk)
        else:
            s.sendall(b"GET /nope HTTP/1.0\r\nHost: x\r\n\r\n")
            data = b""
            while True:
                d = s.recv(65536)
                if not d:
                    closed += 1
                    break
                data += d
            answers += data.count(b"HTTP/1.")
    except (ConnectionResetError, BrokenPipeError):
        closed += 1
    except socket.timeout:
        pass
    finally:
        s.close()
print(f"attack {mode}: connections={connections} bytes_sent={sent} answers={answers} closed_by_server={closed}")
