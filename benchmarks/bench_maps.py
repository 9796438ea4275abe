"""Benchmark reading and writing maps with mapbridge against a bare zipfile + ElementTree parse.

    python benchmarks/bench_maps.py [--repeat N]

Measures a generated 10,000-topic map and, when MAPBRIDGE_MMAP_CORPUS names a folder of
real maps, the largest of them. For each map it times, in the same run:

* baseline: ``zipfile`` opens the archive and ``xml.etree.ElementTree`` parses Document.xml;
* read: ``open_map`` (tolerant ZIP reader, safe lxml parse);
* write unchanged: ``save`` right after ``open_map`` (copies every member as is);
* write after edit: one topic text changed, then ``save`` (serializes Document.xml and
  deflates it, copies the other members).

Each measurement runs in a fresh child process. Peak memory is the growth of the peak
resident set size over the resident size after imports, and on Linux the peak is reset
through /proc/self/clear_refs first. This counts libxml2's allocations, which tracemalloc
would miss. The write rows time ``save`` alone, but their memory covers ``open_map`` and
``save`` together. Times are medians of ``--repeat`` runs.
Prints a Markdown table with the command and the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from xml.etree import ElementTree

GENERATED_TOPICS = 10_000
OPERATIONS = ("baseline", "read", "write unchanged", "write after edit")


def measure(operation: str, path: Path) -> dict[str, float]:
    """Run one operation on ``path`` in this process and return seconds and peak growth."""
    from mapbridge.mindmanager import open_map

    work = Path(tempfile.mkdtemp(prefix="bench-maps-"))
    copy = work / path.name
    shutil.copyfile(path, copy)
    rss_before = _reset_peak_rss()
    started = time.perf_counter()

    if operation == "baseline":
        with zipfile.ZipFile(copy) as archive, archive.open("Document.xml") as document:
            ElementTree.parse(document)
        seconds = time.perf_counter() - started
    elif operation == "read":
        open_map(copy)
        seconds = time.perf_counter() - started
    else:
        mindmap = open_map(copy)
        if operation == "write after edit":
            topics = mindmap.iter_topics()
            next(topics)
            next(topics).text = "Edited by the benchmark"
        started = time.perf_counter()
        mindmap.save()
        seconds = time.perf_counter() - started

    peak_kib = _peak_rss() - rss_before
    shutil.rmtree(work)
    return {"seconds": seconds, "peak_mib": max(peak_kib, 0) / 1024}


def _status_kib(field: str) -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _reset_peak_rss() -> int:
    """Reset the peak resident set size where Linux allows it; return the current size."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return _status_kib("VmRSS") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _peak_rss() -> int:
    return _status_kib("VmHWM") or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_child(operation: str, path: Path) -> dict[str, float]:
    command = [sys.executable, __file__, "--measure", operation, str(path)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=600)
    result: dict[str, float] = json.loads(output.stdout)
    return result


def build_generated_map(folder: Path) -> Path:
    """Write a map of 10,000 topics: 100 branches of 99 leads with properties and notes."""
    from mapbridge.mindmanager import new_map

    mindmap = new_map("Generated pipeline")
    for branch_number in range(100):
        branch = mindmap.central_topic.add_subtopic(f"Region {branch_number}")
        for lead_number in range(99):
            lead = branch.add_subtopic(f"Lead {branch_number}-{lead_number}")
            if lead_number % 3 == 0:
                lead.set_properties(
                    {
                        "Email": f"lead{branch_number}.{lead_number}@example.com",
                        "Phone": f"+1 415-555-{lead_number:04d}",
                    }
                )
                lead.add_labels(["hot"] if lead_number % 2 else ["newsletter"])
            if lead_number % 10 == 0:
                lead.notes = f"Met at event {lead_number}.\nFollow up next week."
    return mindmap.save(folder / "generated-10000.mmap")


def largest_corpus_map() -> Path | None:
    folder = os.environ.get("MAPBRIDGE_MMAP_CORPUS")
    if not folder or not Path(folder).is_dir():
        return None
    maps = sorted(Path(folder).glob("*.mmap"), key=lambda path: path.stat().st_size)
    return maps[-1] if maps else None


def _sizes(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        document = archive.getinfo("Document.xml").file_size
    return f"{path.stat().st_size / 1e6:.2f} MB file, Document.xml {document / 1e6:.2f} MB"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def benchmark(path: Path, label: str, repeat: int) -> list[str]:
    results = {
        operation: [run_child(operation, path) for _ in range(repeat)] for operation in OPERATIONS
    }
    base_seconds = statistics.median(r["seconds"] for r in results["baseline"])
    base_peak = statistics.median(r["peak_mib"] for r in results["baseline"])
    rows = []
    for operation in OPERATIONS:
        seconds = statistics.median(r["seconds"] for r in results[operation])
        peak = statistics.median(r["peak_mib"] for r in results[operation])
        time_ratio = seconds / base_seconds if base_seconds else float("nan")
        peak_ratio = peak / base_peak if base_peak else float("nan")
        rows.append(
            f"| {label} | {operation} | {seconds * 1000:.1f} | {time_ratio:.2f} | "
            f"{peak:.1f} | {peak_ratio:.2f} |"
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    parser.add_argument("--measure", nargs=2, metavar=("OPERATION", "PATH"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()

    if arguments.measure:
        operation, path = arguments.measure
        print(json.dumps(measure(operation, Path(path))))
        return

    folder = Path(tempfile.mkdtemp(prefix="bench-maps-"))
    try:
        targets = [(build_generated_map(folder), f"generated, {GENERATED_TOPICS:,} topics")]
        corpus_map = largest_corpus_map()
        if corpus_map is not None:
            targets.append((corpus_map, "largest real map"))
        rows = []
        for path, label in targets:
            rows += benchmark(path, f"{label} ({_sizes(path)})", arguments.repeat)
    finally:
        shutil.rmtree(folder)

    print(f"Command: `python benchmarks/bench_maps.py --repeat {arguments.repeat}`")
    print(f"Machine: {cpu_model()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print()
    print("| map | operation | time (ms) | time ratio | peak memory (MiB) | memory ratio |")
    print("|---|---|---:|---:|---:|---:|")
    print("\n".join(rows))
    print()
    print(
        "Ratios are against the baseline row of the same map (zipfile + ElementTree parse). "
        "Write rows time the save alone; their memory includes opening the map."
    )


if __name__ == "__main__":
    main()
