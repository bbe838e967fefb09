"""Drives the Headroom kernel through jupyter_client, as Jupyter itself would.

Used by the kernel module's integration tests (the kernelspec comes from JUPYTER_PATH):

    python3 kernel_driver.py cycles --kernel headroom --count 50 --timeout 30
    python3 kernel_driver.py session --kernel headroom --timeout 60
    python3 kernel_driver.py robustness --kernel headroom --timeout 60

Prints one JSON object per line; the last line is the summary. Exit status 0 = all good,
1 = a check failed, 3 = a hang (some step exceeded its timeout).
"""
import argparse
import gc
import json
import os
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
        elif kind in ("stream", "execute_result", "display_data", "update_display_data", "error"):
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


def kernel_pid(km):
    for get in (lambda: km.provisioner.pid, lambda: km.provisioner.process.pid, lambda: km.kernel.pid):
        try:
            pid = get()
            if pid:
                return pid
        except Exception:
            pass
    raise Failed("cannot find the kernel's process id")


def cpu_seconds(pid):
    """CPU time (user + system, all threads) the process used so far, from /proc."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def errors_of(run):
    return [c for k, c, _ in run["outputs"] if k == "error"]


def stream_text(run, name="stdout"):
    return "".join(c["text"] for k, c, _ in run["outputs"] if k == "stream" and c["name"] == name)


def interrupt_check(km, kc, code, busy_s, timeout):
    """Runs code, interrupts it after busy_s, and measures: seconds to the reply, CPU used in the second after."""
    pid = kernel_pid(km)
    msg_id = kc.execute(code)
    time.sleep(busy_s)
    cpu_before = cpu_seconds(pid)
    time.sleep(1.0)
    busy = cpu_seconds(pid) - cpu_before
    t_interrupt = time.time()
    km.interrupt_kernel()
    deadline = time.time() + timeout
    reply = None
    while reply is None:
        try:
            msg = kc.get_shell_msg(timeout=max(deadline - time.time(), 0.1))
        except queue.Empty:
            raise Hang("%r not interrupted within %ss" % (code[:60], timeout))
        if msg["parent_header"].get("msg_id") == msg_id:
            reply = msg["content"]
    replied = time.time() - t_interrupt
    # drain iopub of that request up to its idle status
    while True:
        try:
            msg = kc.get_iopub_msg(timeout=max(deadline - time.time(), 0.1))
        except queue.Empty:
            break
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "status" \
                and msg["content"]["execution_state"] == "idle":
            break
    # idle within 2 s: CPU over the second that starts 2 s after the interrupt
    time.sleep(max(0.0, 2.0 - (time.time() - t_interrupt)))
    cpu_start = cpu_seconds(pid)
    time.sleep(1.0)
    after = cpu_seconds(pid) - cpu_start
    return {"status": reply["status"], "ename": reply.get("ename"), "evalue": reply.get("evalue"),
            "busy_cpu_s": round(busy, 3), "reply_s": round(replied, 3), "cpu_after_s": round(after, 3)}


SWEEP = """var base = model("llama-3.1-8b").on("h100-sxm").input(2048).output(512);
var sweep = base.sweep()
    .batch(IntStream.rangeClosed(1, 100).toArray())
    .input(512, 1024, 2048, 4096, 8192)
    .kv("bf16", "fp8");
"""


def robustness(args):
    checks = {}
    km, kc = start(args.kernel, args.timeout)
    try:
        run = execute(kc, SWEEP + "sweep.table().rowCount()", args.timeout)
        checks["sweep_rows"] = result_text(run)
        checks["sweep_errors"] = errors_of(run)

        checks["interrupt_sweep"] = interrupt_check(km, kc, SWEEP + "for (int i = 0; i < 100_000; i++) { sweep.table(); }", 2.0, args.timeout)
        checks["after_interrupt_sweep"] = result_text(execute(kc, "6 * 7", args.timeout))

        checks["interrupt_catch_all"] = interrupt_check(km, kc, "long spun = 0;\nwhile (true) {\n    try {\n"
                                                        "        for (int i = 0; i < 1_000_000; i++) { spun += i % 7; }\n"
                                                        "    } catch (Throwable swallowed) {\n        spun++;\n    }\n}",
                                                        1.0, args.timeout)
        checks["after_interrupt_catch_all"] = result_text(execute(kc, "6 * 7", args.timeout))

        for name, code in (("exit", "System.out.println(\"bye?\");\nSystem.exit(3);"),
                           ("halt", "Runtime.getRuntime().halt(9);")):
            run = execute(kc, code, args.timeout)
            errors = errors_of(run)
            checks[name] = {"status": run["reply"]["status"], "ename": errors[0]["ename"] if errors else None,
                            "traceback": errors[0]["traceback"] if errors else None, "alive": km.is_alive()}
            checks["after_" + name] = result_text(execute(kc, "6 * 7", args.timeout))

        run = execute(kc, "int depth(int n) { return depth(n + 1) + 1; }\ndepth(0)", args.timeout)
        errors = errors_of(run)
        checks["stack_overflow"] = {"ename": errors[0]["ename"] if errors else None,
                                    "traceback": errors[0]["traceback"] if errors else None}
        checks["after_stack_overflow"] = result_text(execute(kc, "6 * 7", args.timeout))

        for name, code in (("huge_array", "long[] huge = new long[Integer.MAX_VALUE - 8];"),
                           ("growing_list", "List<long[]> hog = new ArrayList<>();\nwhile (true) { hog.add(new long[1_000_000]); }")):
            run = execute(kc, code, args.timeout)
            errors = errors_of(run)
            checks[name] = {"ename": errors[0]["ename"] if errors else None,
                            "traceback": errors[0]["traceback"] if errors else None, "alive": km.is_alive()}
            checks["after_" + name] = result_text(execute(kc, "6 * 7", args.timeout))

        run = execute(kc, "Thread ticker = new Thread(() -> {\n    for (int i = 0; i < 8; i++) {\n"
                          "        System.out.println(\"tick \" + i);\n"
                          "        try { Thread.sleep(150); } catch (InterruptedException e) { return; }\n    }\n}, \"ticker\");\n"
                          "ticker.start();\nThread.sleep(200);", args.timeout)
        checks["ticker_cell"] = {"stdout": stream_text(run), "stderr": stream_text(run, "stderr"),
                                 "count": run["reply"].get("execution_count")}
        run = execute(kc, "Thread.sleep(1500);\nSystem.out.println(\"mine\");", args.timeout)
        checks["after_ticker"] = stream_text(run)

        run = execute(kc, "model(\"no-such-model\")", args.timeout)
        errors = errors_of(run)
        checks["user_error"] = {"ename": errors[0]["ename"] if errors else None,
                                "traceback": errors[0]["traceback"] if errors else None}

        run = execute(kc, "String id = display(\"working\");\nupdateDisplay(id, \"done\");", args.timeout)
        shown = [(k, c) for k, c, _ in run["outputs"] if k in ("display_data", "update_display_data")]
        checks["display"] = [{"kind": k, "text": c["data"].get("text/plain"),
                              "display_id": (c.get("transient") or {}).get("display_id")} for k, c in shown]

        run = execute(kc, "%maven com.example:anything:1.0", args.timeout)
        errors = errors_of(run)
        checks["maven_offline"] = {"ename": errors[0]["ename"] if errors else None,
                                   "evalue": errors[0]["evalue"] if errors else None}
    finally:
        stop(km, kc, args.timeout)
    checks["summary"] = "robustness"
    emit(checks)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["cycles", "session", "robustness"])
    parser.add_argument("--kernel", default="headroom")
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--timeout", type=float, default=30)
    args = parser.parse_args()
    try:
        {"cycles": cycles, "session": session, "robustness": robustness}[args.mode](args)
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
