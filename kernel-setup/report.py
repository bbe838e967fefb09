"""Executes notebooks through a Jupyter kernel and writes one self-contained HTML write-up per notebook.

    python3 kernel-setup/report.py [--notebooks DIR] [--out DIR] [--kernel NAME] [--timeout SECONDS]

Every notebook is run (a failing one does not stop the others), cell by cell: the first cell that
fails unexpectedly (an error in a cell not tagged raises-exception, a cell that times out, or a kernel
that dies) ends that notebook's run, and its write-up shows the cells up to and including the
failure. Prints which notebook and which cell failed (cell number, first line of its source, the
error line), writes OUT/index.html linking every write-up with pass or fail, and exits 1 if any failed.

Used by `./headroom report`; needs nbclient and nbconvert (Jupyter). Each page carries what it needs
(the kernel embeds plotly.js once per notebook), so a page can be copied anywhere on its own.
"""
import argparse
import html
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter


def first_line(source):
    for line in source.splitlines():
        if line.strip():
            return line.strip()
    return ""


def error_line(cell):
    """The error a cell shows: 'ename: evalue' (the traceback's first line when longer)."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            ename, evalue = output.get("ename", "Error"), output.get("evalue", "")
            return "%s: %s" % (ename, evalue) if evalue else ename
    return "failed"


def expects_error(cell):
    return "raises-exception" in cell.get("metadata", {}).get("tags", [])


def run_notebook(path, kernel, timeout):
    """Executes one notebook; returns (notebook, failure or None, seconds)."""
    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=True,
                            resources={"metadata": {"path": str(path.parent)}})
    started = time.time()
    failure = None
    code_cells = 0
    try:
        with client.setup_kernel():
            for index, cell in enumerate(nb.cells):
                if cell.cell_type != "code":
                    continue
                code_cells += 1
                where = {"cell": index + 1, "code_cell": code_cells, "source": first_line(cell.source)}
                try:
                    client.execute_cell(cell, index)
                except CellTimeoutError:
                    failure = dict(where, error="the cell did not finish within %d s" % timeout)
                except DeadKernelError:
                    failure = dict(where, error="the kernel died while running this cell")
                except CellExecutionError as e:
                    failure = dict(where, error=str(e).strip().splitlines()[-1] if str(e).strip() else "failed")
                if failure is None and not expects_error(cell) \
                        and any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
                    failure = dict(where, error=error_line(cell))
                if failure is not None:
                    break
    except DeadKernelError:
        failure = failure or {"cell": 0, "code_cell": 0, "source": "", "error": "the kernel died"}
    except RuntimeError as e:  # the kernel did not start
        failure = failure or {"cell": 0, "code_cell": 0, "source": "", "error": "the kernel did not start: %s" % e}
    return nb, failure, time.time() - started


def describe(name, failure):
    if failure["cell"] == 0:
        return "%s: %s" % (name, failure["error"])
    return "%s: cell %d (code cell %d) `%s`: %s" % (
        name, failure["cell"], failure["code_cell"], failure["source"], failure["error"])


def write_index(out, results):
    rows = []
    for name, page, failure, seconds in results:
        status = "passed" if failure is None else "FAILED"
        detail = "" if failure is None else html.escape(describe(name, failure).split(": ", 1)[1])
        rows.append("<tr><td><a href=\"%s\">%s</a></td><td class=\"%s\">%s</td><td>%.1f s</td><td>%s</td></tr>"
                    % (html.escape(page), html.escape(name), status.lower(), status, seconds, detail))
    failed = sum(1 for r in results if r[2] is not None)
    summary = "all %d notebooks passed" % len(results) if not failed else "%d of %d notebooks failed" % (failed, len(results))
    (out / "index.html").write_text("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Headroom write-ups</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; }
table { border-collapse: collapse; }
td, th { padding: 0.3em 0.8em; text-align: left; border-bottom: 1px solid rgba(128, 128, 128, 0.4); }
td.failed { font-weight: bold; }
</style></head>
<body>
<h1>Headroom write-ups</h1>
<p>%s. Each page draws its charts on its own (no network, nothing beside it).</p>
<table>
<thead><tr><th>notebook</th><th>result</th><th>time</th><th>failure</th></tr></thead>
<tbody>
%s
</tbody>
</table>
</body></html>
""" % (summary, "\n".join(rows)), encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description="Execute notebooks into self-contained HTML write-ups.")
    parser.add_argument("--notebooks", default="notebooks", help="folder of .ipynb files (default: notebooks)")
    parser.add_argument("--out", default="build/report", help="output folder (default: build/report)")
    parser.add_argument("--kernel", default="headroom", help="kernelspec name (default: headroom)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds one cell may take (default: 600)")
    args = parser.parse_args()

    notebooks = sorted(Path(args.notebooks).glob("*.ipynb"))
    if not notebooks:
        print("report: no notebooks in %s" % args.notebooks, file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter()
    results = []
    for path in notebooks:
        name = path.name
        print("report: executing %s" % name, file=sys.stderr, flush=True)
        nb, failure, seconds = run_notebook(path, args.kernel, args.timeout)
        page = path.stem + ".html"
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
        (out / page).write_text(body, encoding="utf-8")
        if failure is not None:
            print("report: FAILED %s" % describe(name, failure), file=sys.stderr, flush=True)
        results.append((name, page, failure, seconds))
    write_index(out, results)
    failed = [r for r in results if r[2] is not None]
    print("report: %d of %d notebooks passed; write-ups and index.html in %s"
          % (len(results) - len(failed), len(results), os.path.abspath(str(out))), file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
