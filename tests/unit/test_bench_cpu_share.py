"""The load benchmark's CPU accounts: what each /proc line gives, and the sums it prints."""

import os

from bench.cpu_share import Snapshot, machine_ticks, process_ticks, share_text, snapshot


def test_the_machine_line_gives_all_busy_and_stolen_ticks():
    # user nice system idle iowait irq softirq steal guest guest_nice
    assert machine_ticks("cpu  100 5 40 800 30 2 3 20 7 0") == (1000, 150, 20)


def test_a_process_line_gives_its_name_parent_and_cpu_even_with_odd_names():
    text = "4242 (post gres) (x)) S 17 4242 4242 0 -1 4194560 1 0 0 0 31 9 0 0 20 0 1 0 5"
    assert process_ticks(text) == ("post gres) (x)", 17, 40)


def _proc(tmp_path, machine: str, processes: dict[int, tuple[str, int, int]]):
    (tmp_path / "stat").write_text(machine + "\ncpu0 1 2 3 4\n")
    for pid, (name, parent, ticks) in processes.items():
        (tmp_path / str(pid)).mkdir()
        fields = f"S {parent} 1 1 0 -1 0 0 0 0 0 {ticks} 0 0 0 20 0 1 0 5"
        (tmp_path / str(pid) / "stat").write_text(f"{pid} ({name}) {fields}")
    (tmp_path / "self").mkdir()  # not a process number: skipped
    return tmp_path


def test_a_snapshot_sums_the_servers_children_and_postgres(tmp_path):
    proc = _proc(
        tmp_path,
        "cpu  10 0 10 70 10 0 0 0 0 0",
        {
            100: ("python", 1, 500),  # gunicorn's master: not a worker
            101: ("python", 100, 30),
            102: ("python", 100, 12),
            200: ("postgres", 1, 7),
            201: ("postgres", 200, 4),
            300: ("redis-server", 1, 99),
        },
    )
    assert snapshot(100, proc) == Snapshot(total=100, busy=20, steal=0, workers=42, postgres=11)


def test_without_proc_nothing_is_measured(tmp_path):
    assert snapshot(1, tmp_path / "nowhere") == Snapshot()
    assert share_text([(Snapshot(), Snapshot())], 50) == "not measured (no /proc)"


def test_the_text_gives_each_share_per_request():
    tick_ms = 1000 / os.sysconf("SC_CLK_TCK")
    bursts = [
        (Snapshot(0, 0, 0, 0, 0), Snapshot(400, 300, 40, 200, 50)),
        (Snapshot(1000, 500, 50, 300, 100), Snapshot(1200, 700, 50, 420, 160)),
    ]
    # 600 ticks in all, 500 busy, 40 stolen; workers 320, PostgreSQL 110, the rest 70.
    text = share_text(bursts, 10)
    assert text.startswith(f"{500 * tick_ms / 10:.2f} ms of CPU a request: ")
    assert f"app workers {320 * tick_ms / 10:.2f}, PostgreSQL {110 * tick_ms / 10:.2f}" in text
    assert f"the rest (client, kernel, others) {70 * tick_ms / 10:.2f}" in text
    assert text.endswith("the cores busy 83 % of the bursts, 7 % taken by other tenants")


def test_a_real_snapshot_counts_this_machine():  # the benchmark runs on Linux
    taken = snapshot(os.getppid())
    assert taken.total > 0 and 0 <= taken.busy <= taken.total
