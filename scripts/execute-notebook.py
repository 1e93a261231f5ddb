#!/usr/bin/env python3
"""Executes one notebook with nbclient (what `jupyter nbconvert --execute` uses), keeping the outputs
that Deno's kernel sends after it has reported the cell finished.

Why: Deno's Jupyter kernel (2.x) publishes a cell's value (`execute_result`) from JavaScript through
an asynchronous call that the kernel does not wait for; it then sends the reply and, 5 ms later, the
`idle` status. On a busy machine the value can arrive after `idle`. nbclient stops reading a cell's
output at `idle`, and drops what comes later (it belongs to a cell it no longer reads), so 1 to 3
cells per run came back empty. Here, after `idle`, messages of the same cell are still taken until
the kernel has been quiet for NOTEBOOK_GRACE seconds (default 1); the next cell starts only then.

Usage: execute-notebook.py NOTEBOOK.ipynb OUT_DIR [--timeout SECONDS] [--kernel NAME]
Exit status 1 and the failing cell's error on stderr when a cell fails.
"""

import argparse
import os
import sys
from queue import Empty

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete, CellExecutionError

try:
    from nbclient.util import ensure_async
except ImportError:  # newer nbclient
    from jupyter_core.utils import ensure_async

GRACE = float(os.environ.get("NOTEBOOK_GRACE", "1"))


class LateOutputClient(NotebookClient):
    """A NotebookClient that reads a cell's output past its `idle` status, until the kernel is quiet."""

    late = 0

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        await super()._async_poll_output_msg(parent_msg_id, cell, cell_index)
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=GRACE))
            except Empty:
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            if msg["msg_type"] in ("execute_result", "display_data", "stream", "error"):
                self.late += 1
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("notebook")
    p.add_argument("out_dir")
    p.add_argument("--timeout", type=int, default=600)
    p.add_argument("--kernel", default="deno")
    a = p.parse_args()
    nb = nbformat.read(a.notebook, as_version=4)
    client = LateOutputClient(
        nb,
        timeout=a.timeout,
        kernel_name=a.kernel,
        # nbclient waits this long after the reply for the output reading above to end.
        iopub_timeout=int(GRACE * 4 + 10),
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(a.notebook))}},
    )
    try:
        client.execute()
    except CellExecutionError as e:
        print(f"CellExecutionError: {e}", file=sys.stderr)
        return 1
    os.makedirs(a.out_dir, exist_ok=True)
    nbformat.write(nb, os.path.join(a.out_dir, os.path.basename(a.notebook)))
    print(f"late outputs kept: {client.late}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
