"""Link conditions (delay, jitter, loss) for the lab, in user space.

Why this exists: the lab's kernel is built without sch_netem (CONFIG_NET_SCH_NETEM is not set), so
`tc qdisc add ... netem` fails with "Specified qdisc kind is unknown". This relay does netem's job on
one link at layer 2: the topology takes a node's switch-side veth out of its bridge and puts a fresh
veth pair's far end in its place; this process copies frames between the two near ends, dropping and
delaying each direction independently, so ARP, IPv6 ND, multicast and unicast all see the conditions.

usage: python3 shaper.py PORT:RELAY[,PORT:RELAY...] [CONDITIONS]   (run inside the switch namespace)
CONDITIONS and each stdin line: a JSON object {"lossPct": n, "delayMs": n, "jitterMs": n}; EOF or SIGTERM stops it.
stdout: "ready" once every socket is bound.
"""
import heapq
import json
import os
import random
import select
import signal
import socket
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
# PACKET_VNET_HDR makes every frame carry a virtio_net_hdr, so GSO super-frames and frames whose checksum
# is left to the NIC (CHECKSUM_PARTIAL, the norm on veth) cross the relay intact instead of being
# dropped for size or arriving with a bad checksum (packet(7)).
PACKET_VNET_HDR = 15
# Frames this process sends must not come back to it as captures (packet(7), Linux >= 4.20).
PACKET_IGNORE_OUTGOING = 23
MAX_FRAME = 65536 + 64


def open_port(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_VNET_HDR, 1)
    s.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)
    s.bind((ifname, 0))
    s.setblocking(False)
    return s


def main():
    pairs = [p.split(':') for p in sys.argv[1].split(',')]
    peer = {}
    for a, b in pairs:
        sa, sb = open_port(a), open_port(b)
        peer[sa], peer[sb] = sb, sa
    cond = {'lossPct': 0.0, 'delayMs': 0.0, 'jitterMs': 0.0}
    if len(sys.argv) > 2:
        cond.update(json.loads(sys.argv[2]))
    queue = []  # (due, seq, out_socket, frame)
    seq = 0
    stdin = sys.stdin.fileno()
    os.set_blocking(stdin, False)
    pending_input = b''
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print('ready', flush=True)
    while True:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, out, frame = heapq.heappop(queue)
            try:
                out.send(frame)
            except OSError:
                pass  # the far end is down (an AP that "vanished"): the frame is lost, as on air
        timeout = max(0.0, queue[0][0] - now) if queue else None
        readable, _, _ = select.select([stdin, *peer.keys()], [], [], timeout)
        for r in readable:
            if r == stdin:
                chunk = os.read(stdin, 4096)
                if not chunk:
                    return
                pending_input += chunk
                *lines, pending_input = pending_input.split(b'\n')
                for line in lines:
                    if line.strip():
                        cond.update(json.loads(line))
                continue
            for _ in range(64):
                try:
                    frame = r.recv(MAX_FRAME)
                except BlockingIOError:
                    break
                except OSError:
                    break
                if cond['lossPct'] > 0 and random.random() * 100 < cond['lossPct']:
                    continue
                delay = cond['delayMs'] + random.uniform(-cond['jitterMs'], cond['jitterMs'])
                seq += 1
                heapq.heappush(queue, (time.monotonic() + max(0.0, delay) / 1000, seq, peer[r], frame))


if __name__ == '__main__':
    main()
