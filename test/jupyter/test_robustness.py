"""Robustness with a real client: 100 failing cells in a row then a working one; interrupts
(interrupt_request on the control channel, the kernel manager's interrupt, SIGINT) during
60-second loops, asynchronous and synchronous, including a transportlab MCMC run that stops with
its partial trace; queued cells aborted after an error; stream coalescing; output of async work
routed to the cell that started it; shutdown_request replies, broadcasts and exits."""
import signal
import time

from kernel_helpers import KernelTestCase

LOOP_60S = """
(globalThis as any).ticks = 0;
const end = Date.now() + 60_000;
console.log('loop started');
while (Date.now() < end) {
  (globalThis as any).ticks++;
  await new Promise((r) => setTimeout(r, 5));
}
"""

MCMC_60S = """
import { run, KERNELS, random, targets } from 'transportlab';
const target = targets.gmm40();
const n = 4;
(globalThis as any).partial = null;
const res = await run(random.key(0), KERNELS.mala(target), new Float32Array(n * target.dim), n, {
  warmup: 0, steps: 50_000_000, stepSize: 0.5, adapt: false, progress: false,
  observers: [{ start: (phase) => console.log('sampling started', phase) }],
});
(globalThis as any).partial = { aborted: res.aborted, length: res.trace.length };
"""


class RobustnessTests(KernelTestCase):
    def test_100_failing_cells_then_a_working_one(self):
        for i in range(100):
            code = f'throw new Error("failure {i}")' if i % 2 == 0 else f"const bad{i}: number = 'not a number';"
            reply, msgs = self.execute(code)
            self.assertEqual(reply["content"]["status"], "error")
            [err] = [m for m in msgs if m["msg_type"] == "error"]
            if i % 2 == 0:
                self.assertEqual((err["content"]["ename"], err["content"]["evalue"]), ("Error", f"failure {i}"))
            else:
                self.assertEqual(err["content"]["ename"], "TypeScriptError")
        self.assertEqual(self.result_text("const fine = 6 * 7; fine"), "42")

    def test_an_error_aborts_the_cells_queued_behind_it(self):
        first = self.kc.execute("await new Promise((r) => setTimeout(r, 300)); throw new Error('stop here')")
        queued = [self.kc.execute(f"(globalThis as any).ranQueued{i} = true") for i in range(2)]
        self.assertEqual(self.shell_reply(first)["content"]["status"], "error")
        for q in queued:
            self.assertEqual(self.shell_reply(q)["content"]["status"], "aborted")
        self.assertEqual(self.result_text("[(globalThis as any).ranQueued0, (globalThis as any).ranQueued1]"), "[ undefined, undefined ]")
        # without stop_on_error, the next cell runs
        first = self.kc.execute("throw new Error('keep going')", stop_on_error=False)
        after = self.kc.execute("(globalThis as any).ranAfter = true")
        self.assertEqual(self.shell_reply(first)["content"]["status"], "error")
        self.assertEqual(self.shell_reply(after)["content"]["status"], "ok")

    def wait_for_stream(self, msg_id, text, timeout=60):
        deadline = time.time() + timeout
        while time.time() < deadline:
            msg = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
            if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream" and text in msg["content"]["text"]:
                return
        self.fail(f"no output {text!r}")

    def interrupted(self, code, started_text, interrupt):
        msg_id = self.kc.execute(code)
        if started_text:
            self.wait_for_stream(msg_id, started_text)
            time.sleep(0.5)
        else:  # synchronous code: nothing is sent until it ends, so give it time to start
            time.sleep(3)
        t0 = time.time()
        interrupt()
        reply = self.shell_reply(msg_id, timeout=10)
        elapsed = time.time() - t0
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        self.assertLess(elapsed, 3.0)
        return elapsed

    def send_interrupt_request(self):
        msg = self.kc.session.msg("interrupt_request", {})
        self.kc.control_channel.send(msg)
        reply = self.kc.get_control_msg(timeout=10)
        self.assertEqual(reply["header"]["msg_type"], "interrupt_reply")
        self.assertEqual(reply["parent_header"]["msg_id"], msg["header"]["msg_id"])
        self.assertEqual(reply["content"]["status"], "ok")

    def test_interrupt_request_stops_a_60_second_loop(self):
        self.interrupted(LOOP_60S, "loop started", self.send_interrupt_request)
        first = int(self.result_text("(globalThis as any).ticks"))
        self.assertGreater(first, 10)
        time.sleep(0.3)
        self.assertEqual(int(self.result_text("(globalThis as any).ticks")), first, "the loop kept running after the interrupt")

    def test_kernel_manager_interrupt_stops_a_60_second_loop(self):
        # the kernelspec's interrupt mode is 'signal': the manager sends SIGINT
        self.assertEqual(self.km.kernel_spec.interrupt_mode, "signal")
        self.interrupted(LOOP_60S, "loop started", self.km.interrupt_kernel)
        first = int(self.result_text("(globalThis as any).ticks"))
        time.sleep(0.3)
        self.assertEqual(int(self.result_text("(globalThis as any).ticks")), first)

    def test_sigint_stops_a_synchronous_60_second_loop(self):
        code = "const t0 = Date.now(); while (Date.now() - t0 < 60_000) {}"
        self.interrupted(code, None, lambda: self.km.signal_kernel(signal.SIGINT))
        self.assertEqual(self.result_text("'alive'"), "'alive'")

    def test_interrupt_cuts_a_wait_that_never_ends(self):
        self.interrupted("console.log('waiting'); await new Promise(() => {});", "waiting", self.km.interrupt_kernel)
        self.assertEqual(self.result_text("'still alive'"), "'still alive'")

    def test_interrupt_stops_a_transportlab_run_with_partial_results(self):
        self.interrupted(MCMC_60S, "sampling started", self.send_interrupt_request)
        text = self.result_text("JSON.stringify((globalThis as any).partial)")
        partial = __import__("json").loads(text.strip("'"))
        self.assertTrue(partial["aborted"])
        self.assertGreater(partial["length"], 0)
        self.assertLess(partial["length"], 50_000_000)

    def test_many_writes_are_coalesced_in_order(self):
        code = "for (let i = 0; i < 20000; i++) console.log(`line ${i}`); display.text('between'); console.error('err'); console.log('last')"
        reply, msgs = self.execute(code)
        self.assertEqual(reply["content"]["status"], "ok")
        kinds = [(m["msg_type"], m["content"].get("name")) for m in msgs if m["msg_type"] in ("stream", "display_data")]
        stdout_before = "".join(m["content"]["text"] for m in msgs[: [m["msg_type"] for m in msgs].index("display_data")] if m["msg_type"] == "stream")
        self.assertEqual(stdout_before, "".join(f"line {i}\n" for i in range(20000)))
        self.assertLess(len(kinds), 20, "20000 writes travel in a few messages")
        self.assertEqual(kinds[-3:], [("display_data", None), ("stream", "stderr"), ("stream", "stdout")])

    def test_async_output_goes_to_the_cell_that_started_it(self):
        id_a = self.kc.execute("setTimeout(() => { console.log('late output of A'); display.markdown('late display of A'); }, 700); 'A done'")
        self.shell_reply(id_a)
        id_b = self.kc.execute("await new Promise((r) => setTimeout(r, 1500)); console.log('output of B'); 'B done'")
        self.shell_reply(id_b)
        msgs = self.iopub_until_idle(id_b) + self.stray + self.drain_iopub(0.5)
        streams = {m["content"]["text"].strip(): m["parent_header"].get("msg_id") for m in msgs if m["msg_type"] == "stream"}
        self.assertEqual(streams.get("late output of A"), id_a)
        self.assertEqual(streams.get("output of B"), id_b)
        [late_display] = [m for m in msgs if m["msg_type"] == "display_data"]
        self.assertEqual(late_display["content"]["data"]["text/markdown"], "late display of A")
        self.assertEqual(late_display["parent_header"]["msg_id"], id_a)


class ShutdownTests(KernelTestCase):
    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        if cls.km.is_alive():
            cls.km.shutdown_kernel(now=True)
        else:
            cls.km.cleanup_resources()

    def test_shutdown_request_replies_and_exits(self):
        msg_id = self.kc.shutdown()
        reply = self.kc.get_control_msg(timeout=10)
        self.assertEqual(reply["header"]["msg_type"], "shutdown_reply")
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"], {"status": "ok", "restart": False})
        broadcast = [m for m in self.iopub_until_idle(msg_id) if m["msg_type"] == "shutdown_reply"]
        self.assertEqual(len(broadcast), 1)
        deadline = time.time() + 10
        while self.km.is_alive() and time.time() < deadline:
            time.sleep(0.1)
        self.assertFalse(self.km.is_alive(), "the kernel process exited")
