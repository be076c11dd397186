#!/usr/bin/env python3
"""TCP payload goodput of the bench's migration link, measured at the receiver.

  goodput.py recv HOST PORT         accept one connection, read to EOF, print JSON {bytes, seconds}
  goodput.py send HOST PORT BYTES   send BYTES zero bytes, then close

The receiver times from the first byte to EOF, so socket buffers do not flatter the figure.
"""
import json, socket, sys, time

def recv(host, port):
    srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, port)); srv.listen(1)
    print("listening", flush=True)
    conn, _ = srv.accept()
    total, first = 0, None
    while True:
        b = conn.recv(1 << 20)
        if not b: break
        if first is None: first = time.monotonic()
        total += len(b)
    print(json.dumps({"bytes": total, "seconds": time.monotonic() - (first or time.monotonic())}), flush=True)

def send(host, port, n):
    s = socket.create_connection((host, port)); chunk = bytes(1 << 20)
    while n > 0:
        s.sendall(chunk[:min(n, len(chunk))]); n -= min(n, len(chunk))
    s.close()

if __name__ == "__main__":
    if sys.argv[1] == "recv": recv(sys.argv[2], int(sys.argv[3]))
    else: send(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
