"""Drives the Headroom kernel through jupyter_client, as Jupyter itself would.

Used by the kernel module's integration tests (the kernelspec comes from JUPYTER_PATH):

    python3 kernel_driver.py cycles --kernel headroom --count 50 --timeout 30
    python3 kernel_driver.py session --kernel headroom --timeout 60

Prints one JSON object per line; the last line is the summary. Exit status 0 = all good,
1 = a check failed, 3 = a hang (some step exceeded its timeout).
"""
import argparse
import gc
import json
import queue
import sys
import time

from jupyter_client.manager import KernelManager


class Hang(Exception):
    pass


class Failed(Exception):
    pass


def emit(obj):
    print(json.dumps(obj), flush=True)


def start(kernel, timeout):
    km = KernelManager(kernel_name=kernel)
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
    except RuntimeError as e:
        raise Hang("kernel not ready after %ss: %s" % (timeout, e))
    return km, kc


def stop(km, kc, timeout):
    kc.stop_channels()
    km.request_shutdown()
    deadline = time.time() + timeout
    while km.is_alive() and time.time() < deadline:
        time.sleep(0.01)
    alive = km.is_alive()
    if alive:
        km.shutdown_kernel(now=True)
    km.cleanup_resources()
    if alive:
        raise Hang("kernel still running %ss after shutdown_request" % timeout)


def execute(kc, code, timeout):
    """Runs code; returns dict(reply=content, outputs=[(msg_type, content, t)], t_reply)."""
    msg_id = kc.execute(code)
    deadline = time.time() + timeout
    outputs = []
    idle = False
    reply = None
    while not idle:
        remaining = deadline - time.time()
        if remaining <= 0:
            raise Hang("no idle status for %r within %ss" % (code[:60], timeout))
        try:
            msg = kc.get_iopub_msg(timeout=remaining)
        except queue.Empty:
            raise Hang("no idle status for %r within %ss" % (code[:60], timeout))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind = msg["msg_type"]
        if kind == "status" and msg["content"]["execution_state"] == "idle":
            idle = True
        elif kind in ("stream", "execute_result", "display_data", "error"):
            outputs.append((kind, msg["content"], time.time()))
    while reply is None:
        remaining = deadline - time.time()
        try:
            msg = kc.get_shell_msg(timeout=max(remaining, 0.1))
        except queue.Empty:
            raise Hang("no execute_reply for %r within %ss" % (code[:60], timeout))
        if msg["parent_header"].get("msg_id") == msg_id:
            reply = msg["content"]
    return {"reply": reply, "outputs": outputs}


def request(kc, send, timeout):
    msg_id = send()
    deadline = time.time() + timeout
    while True:
        remaining = deadline - time.time()
        if remaining <= 0:
            raise Hang("no reply within %ss" % timeout)
        try:
            msg = kc.get_shell_msg(timeout=remaining)
        except queue.Empty:
            raise Hang("no reply within %ss" % timeout)
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg["content"]


def result_text(run):
    for kind, content, _ in run["outputs"]:
        if kind == "execute_result":
            return content["data"].get("text/plain")
    return None


def cycles(args):
    times = []
    started = time.time()
    for i in range(args.count):
        t0 = time.time()
        km, kc = start(args.kernel, args.timeout)
        t_ready = time.time()
        try:
            run = execute(kc, "1+1", args.timeout)
            t_exec = time.time()
            if run["reply"]["status"] != "ok" or result_text(run) != "2":
                raise Failed("cycle %d: 1+1 gave %r (reply %r)" % (i, result_text(run), run["reply"]))
        finally:
            stop(km, kc, args.timeout)
        t_done = time.time()
        times.append({"cycle": i, "ready_s": round(t_ready - t0, 3), "first_result_s": round(t_exec - t0, 3),
                      "shutdown_s": round(t_done - t_exec, 3), "total_s": round(t_done - t0, 3)})
        emit(times[-1])
    firsts = sorted(t["first_result_s"] for t in times)
    emit({"summary": "cycles", "count": len(times), "hangs": 0, "total_s": round(time.time() - started, 2),
          "median_first_result_s": firsts[len(firsts) // 2], "max_first_result_s": firsts[-1],
          "median_ready_s": sorted(t["ready_s"] for t in times)[len(times) // 2]})


def session(args):
    checks = {}
    km, kc = start(args.kernel, args.timeout)
    try:
        run = execute(kc, "int x = 20;\nx + 22", args.timeout)
        checks["value"] = result_text(run)

        run = execute(kc, 'throw new IllegalStateException("boom in a cell")', args.timeout)
        errors = [c for k, c, _ in run["outputs"] if k == "error"]
        checks["throw_status"] = run["reply"]["status"]
        checks["throw_ename"] = errors[0]["ename"] if errors else None
        checks["throw_evalue"] = errors[0]["evalue"] if errors else None
        checks["throw_traceback"] = errors[0]["traceback"] if errors else None

        run = execute(kc, "x * 2", args.timeout)
        checks["after_throw"] = result_text(run)

        run = execute(kc, "int y = undefinedName + 1;", args.timeout)
        errors = [c for k, c, _ in run["outputs"] if k == "error"]
        checks["compile_ename"] = errors[0]["ename"] if errors else None
        checks["compile_evalue"] = errors[0]["evalue"] if errors else None

        code = 'System.out.println("first"); Thread.sleep(1500); System.out.println("second");'
        t_sent = time.time()
        run = execute(kc, code, args.timeout)
        streams = [(c["text"], t - t_sent) for k, c, t in run["outputs"] if k == "stream"]
        checks["streams"] = streams

        reply = request(kc, lambda: kc.complete("Tab", 3), args.timeout)
        checks["complete_Tab"] = reply.get("matches", [])
        reply = request(kc, lambda: kc.is_complete("for (int i = 0; i < 3; i++) {"), args.timeout)
        checks["is_complete_open_loop"] = reply.get("status")

        msg_id = kc.execute("while (true) { }")
        time.sleep(1.0)
        t_interrupt = time.time()
        km.interrupt_kernel()
        deadline = time.time() + args.timeout
        reply = None
        while reply is None:
            try:
                msg = kc.get_shell_msg(timeout=max(deadline - time.time(), 0.1))
            except queue.Empty:
                raise Hang("infinite loop not interrupted within %ss" % args.timeout)
            if msg["parent_header"].get("msg_id") == msg_id:
                reply = msg["content"]
        checks["interrupt_status"] = reply["status"]
        checks["interrupt_ename"] = reply.get("ename")
        checks["interrupt_s"] = round(time.time() - t_interrupt, 3)
        run = execute(kc, "x + 1", args.timeout)
        checks["after_interrupt"] = result_text(run)
    finally:
        stop(km, kc, args.timeout)
    checks["summary"] = "session"
    emit(checks)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["cycles", "session"])
    parser.add_argument("--kernel", default="headroom")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=30)
    args = parser.parse_args()
    try:
        cycles(args) if args.mode == "cycles" else session(args)
    except Hang as e:
        emit({"summary": "hang", "message": str(e)})
        return 3
    except Failed as e:
        emit({"summary": "failed", "message": str(e)})
        return 1
    finally:
        # Let clients be collected while logging still works (else Python prints noise at exit).
        gc.collect()
    return 0


if __name__ == "__main__":
    sys.exit(main())
