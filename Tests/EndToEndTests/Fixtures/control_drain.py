#!/usr/bin/env python3
"""Sends one infertop.v1 Control.Drain call straight to an agent, as any gRPC client could,
without the checks that infertop and `infertop ctl` make first.

usage: control_drain.py HOST:PORT TOKEN OPERATION_ID NODE REASON   (REASON may be "")

Prints `OK` or the gRPC status and the agent's sentence; exits 0 when the agent accepted the
call, 1 when it answered with an error. The request is encoded by hand (three string fields of
DrainRequest), so no generated code is needed, only grpcio (installed with the OTLP exporter).
"""
import sys

import grpc


def string_field(number, text):
    data = text.encode()
    if not data:
        return b""  # proto3 leaves an empty string out
    length, n = b"", len(data)
    while True:
        byte, n = n & 0x7F, n >> 7
        length += bytes([byte | (0x80 if n else 0)])
        if not n:
            break
    return bytes([(number << 3) | 2]) + length + data


def main():
    address, token, operation_id, node, reason = sys.argv[1:6]
    # DrainRequest: operation_id = 1, nodes = 2 (repeated), reason = 3.
    request = string_field(1, operation_id) + string_field(2, node) + string_field(3, reason)
    with grpc.insecure_channel(address) as channel:
        drain = channel.unary_unary("/infertop.v1.Control/Drain")
        try:
            drain(request, metadata=[("authorization", "Bearer " + token)], timeout=60)
        except grpc.RpcError as error:
            print(f"{error.code().name}: {error.details()}")
            return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
