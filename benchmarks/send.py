"""Digests to a local SMTP sink (aiosmtpd, in a process of its own), five ways in one run: the
engine's sender; the same sender with each message built in a process pool, a chunk at a time,
each chunk sent while the next ones are built; the same sender handed messages serialised
beforehand (as it would be if sealing a digest serialised it); smtplib with one connection per
message (what a send-one-e-mail task does); and the sink's own ceiling — the same messages,
serialised beforehand, written raw and pipelined over reused connections.

    .venv/bin/python benchmarks/send.py [--messages 5000] [--connections 4] [--runs 3]

Printed: the median messages per second of each way, the CPU milliseconds per message of this
process (the pool's building not included) and of the sink, what building and serialising a
digest costs, and each engine way's ratios to a connection per message and to the ceiling.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import resource
import smtplib
import socket
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

from notifications.delivery import DeliveryOutcome, SmtpSender, SmtpSettings
from notifications.email import (
    OutgoingMessage,
    as_eml,
    build_email,
    envelope_recipients,
)

SENDER = "cchc@sonla.gov.example"


class _Counting:
    """Accepts everything and keeps nothing: the sink should cost as little as it can."""

    async def handle_DATA(self, server, session, envelope):
        return "250 Message accepted"


def _serve(port: int, ready) -> None:
    from aiosmtpd.controller import Controller

    controller = Controller(_Counting(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


def digests(count: int) -> list[OutgoingMessage]:
    """Digest-sized messages (a dozen items, text and HTML) to unit heads, cc the focal officer."""
    lines = "\n".join(
        f"{n}. Nhiệm vụ cải cách hành chính số {n}: báo cáo kết quả thực hiện — hạn "
        f"{n + 10:02d}/03/2025, còn {n % 7} ngày làm việc" for n in range(1, 13)
    )
    html = "<ul>" + "".join(f"<li>{line}</li>" for line in lines.splitlines()) + "</ul>"
    now = datetime.now(UTC)
    return [
        OutgoingMessage(
            notice_id=n, sender=SENDER, to=(f"truong.t{n % 34:02d}-x{n:05d}@sonla.gov.example",),
            cc=(f"caicach.t{n % 34:02d}-x{n:05d}@sonla.gov.example",),
            subject=f"[CCHC] UBND xã số {n}: 12 nhiệm vụ sắp đến hạn (12/03/2025)",
            text=f"Kính gửi: Chủ tịch UBND xã số {n}\n\n{lines}\n", html=html,
            message_id=f"<cchc.{n}.bench@sonla.gov.example>", date=now,
        )
        for n in range(1, count + 1)
    ]


CHUNK = 250  # messages a pool process builds at a time


class _Serialised(SmtpSender):
    """The engine's sender handed each message's bytes instead of building them."""

    def __init__(self, settings: SmtpSettings, serialised: dict[int, bytes]) -> None:
        super().__init__(settings)
        self.serialised = serialised

    def _serialise(self, message: OutgoingMessage) -> bytes:
        return self.serialised[message.notice_id]


def _sent(sender: SmtpSender, messages: list[OutgoingMessage]) -> int:
    results = sender.send_all_sync(messages)
    return sum(result.outcome is DeliveryOutcome.SENT for result in results)


def _settings(port: int, connections: int) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, max_connections=connections)


def engine_sender(port: int, messages: list[OutgoingMessage], connections: int) -> int:
    return _sent(SmtpSender(_settings(port, connections)), messages)


def serialised_beforehand(port: int, messages: list[OutgoingMessage], connections: int,
                          serialised: dict[int, bytes]) -> int:
    return _sent(_Serialised(_settings(port, connections), serialised), messages)


def serialise(messages: list[OutgoingMessage]) -> dict[int, bytes]:
    return {message.notice_id: as_eml(build_email(message)) for message in messages}


def built_in_pool(port: int, messages: list[OutgoingMessage], connections: int,
                  pool: ProcessPoolExecutor) -> int:
    """Every chunk is submitted at once, so the pool builds the next chunks while this process
    sends the one it has, over connections of its own (as the dispatch sends a batch)."""
    chunks = [messages[n:n + CHUNK] for n in range(0, len(messages), CHUNK)]
    building = [pool.submit(serialise, chunk) for chunk in chunks]
    return sum(serialised_beforehand(port, chunk, connections, built.result())
               for chunk, built in zip(chunks, building))


def per_message(port: int, messages: list[OutgoingMessage], _connections: int) -> int:
    for message in messages:
        with smtplib.SMTP("127.0.0.1", port) as client:
            client.send_message(build_email(message), SENDER, envelope_recipients(message))
    return len(messages)


def raw_transactions(messages: list[OutgoingMessage],
                     serialised: dict[int, bytes]) -> list[tuple[bytes, int]]:
    """Each message as the bytes of one whole SMTP transaction, and the replies it gets."""
    transactions = []
    for message in messages:
        recipients = envelope_recipients(message)
        data = serialised[message.notice_id].replace(b"\r\n.", b"\r\n..")
        commands = [f"MAIL FROM:<{SENDER}>\r\n".encode()]
        commands += [f"RCPT TO:<{address}>\r\n".encode() for address in recipients]
        commands += [b"DATA\r\n", data, b"\r\n.\r\n"]
        transactions.append((b"".join(commands), len(recipients) + 3))
    return transactions


def ceiling(port: int, transactions: list[tuple[bytes, int]], connections: int) -> int:
    async def one_connection(share: list[tuple[bytes, int]]) -> int:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        await reader.readline()  # greeting
        writer.write(b"EHLO bench\r\n")
        while not (await reader.readline()).startswith(b"250 "):
            pass
        expected = sum(replies for _, replies in share)

        async def write_all() -> None:
            for data, _ in share:
                writer.write(data)
                await writer.drain()

        async def read_all() -> int:
            accepted = 0
            for _ in range(expected):
                accepted += (await reader.readline()).startswith(b"250 Message")
            return accepted

        _, accepted = await asyncio.gather(write_all(), read_all())
        writer.write(b"QUIT\r\n")
        await writer.drain()
        writer.close()
        return accepted

    async def run() -> int:
        shares = [transactions[n::connections] for n in range(connections)]
        return sum(await asyncio.gather(*(one_connection(share) for share in shares)))

    return asyncio.run(run())


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _process_cpu(pid: int) -> float:
    """User and system CPU seconds of another process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    args = _arguments()
    port, sink = _start_sink()
    messages = digests(args.messages)
    for message in messages:  # addresses recur from one check to the next: validated once
        envelope_recipients(message)
    started = time.perf_counter()
    serialised = serialise(messages)
    building = (time.perf_counter() - started) * 1000 / len(messages)
    transactions = raw_transactions(messages, serialised)
    # A core is left to the sending process, which a pool as large as the machine slows down.
    processes = max(1, (os.cpu_count() or 1) - 1)
    pool = ProcessPoolExecutor(processes)
    pool.submit(serialise, messages[:1]).result()  # started before any way is timed
    ways = {
        "engine's sender": lambda: engine_sender(port, messages, args.connections),
        "engine, built in a process pool": lambda: built_in_pool(
            port, messages, args.connections, pool),
        "engine, serialised beforehand": lambda: serialised_beforehand(
            port, messages, args.connections, serialised),
        "smtplib, a connection per message": lambda: per_message(port, messages, 1),
        "ceiling: raw pipelined transactions": lambda: ceiling(port, transactions,
                                                               args.connections),
    }
    try:
        runs = _time_ways(ways, args.runs, len(messages), sink.pid)
    finally:
        sink.terminate()
        pool.shutdown()
    median = {name: [statistics.median(column) for column in zip(*values)]
              for name, values in runs.items()}
    _print_results(args, processes, building, median)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--connections", type=int, default=4,
                        help="connections of the engine's sender and of the ceiling")
    parser.add_argument("--runs", type=int, default=3)
    return parser.parse_args()


def _start_sink() -> tuple[int, multiprocessing.Process]:
    """The SMTP sink, in a process of its own, listening on a free port."""
    with socket.socket() as probe:  # a port nobody uses
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ready = multiprocessing.Event()
    sink = multiprocessing.Process(target=_serve, args=(port, ready), daemon=True)
    sink.start()
    ready.wait(30)
    return port, sink


def _time_ways(
    ways: dict[str, Callable[[], int]], runs: int, expected: int, sink_pid: int
) -> dict[str, list[tuple[float, float, float]]]:
    """Per way, each run's messages/s, and CPU milliseconds per message spent by this process
    and the sink."""
    timed: dict[str, list[tuple[float, float, float]]] = {name: [] for name in ways}
    for _ in range(runs):
        for name, way in ways.items():
            started, cpu, sink_cpu = time.perf_counter(), _cpu(), _process_cpu(sink_pid)
            delivered = way()
            seconds = time.perf_counter() - started
            if delivered != expected:
                raise SystemExit(f"{name}: {delivered} of {expected} accepted")
            timed[name].append((delivered / seconds,
                                (_cpu() - cpu) * 1000 / delivered,
                                (_process_cpu(sink_pid) - sink_cpu) * 1000 / delivered))
    return timed


def _print_results(args: argparse.Namespace, processes: int, building: float,
                   median: dict[str, list[float]]) -> None:
    print(f"{args.messages:,} digests to an aiosmtpd sink on 127.0.0.1, "
          f"{args.connections} connections; median of {args.runs} runs; "
          f"a pool of {processes} processes")
    print(f"{'':<38}{'messages/s':>11}{'client CPU ms/msg':>19}{'sink CPU ms/msg':>17}")
    for name, (rate, client, server) in median.items():
        print(f"{name:<38}{rate:>11,.0f}{client:>19.2f}{server:>17.2f}")
    print(f"building and serialising one digest: {building:.2f} ms (before the runs)")
    naive = median["smtplib, a connection per message"][0]
    top = median["ceiling: raw pipelined transactions"][0]
    # The targets are the engine's; the ceiling's own ratio says how far the first can be met.
    print(f"ratio ceiling vs a connection per message: {top / naive:.1f}x")
    for name in list(median)[:3]:
        label = name.replace("engine's sender", "engine")
        print(f"ratio {label} vs a connection per message: {median[name][0] / naive:.1f}x "
              "(target 5x)")
        print(f"ratio {label} vs ceiling: {median[name][0] / top:.0%} (target 80%)")


if __name__ == "__main__":
    main()
