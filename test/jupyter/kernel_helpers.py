"""Shared helpers of the kernel protocol tests: start the transportlab kernel with
jupyter_client (JUPYTER_PATH must point at a prefix holding its kernelspec) and run cells,
collecting the IOPub messages of each request."""
import queue
import time
import unittest

from jupyter_client.manager import start_new_kernel

TIMEOUT = 60


class KernelTestCase(unittest.TestCase):
    """Starts one kernel per test class (in `kernel_cwd` when set)."""

    kernel_cwd = None

    @classmethod
    def setUpClass(cls):
        extra = {"cwd": cls.kernel_cwd} if cls.kernel_cwd else {}
        cls.km, cls.kc = start_new_kernel(kernel_name="transportlab", startup_timeout=TIMEOUT, **extra)

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=False)

    def iopub_until_idle(self, msg_id, timeout=TIMEOUT):
        """The IOPub messages with parent `msg_id`, up to its idle status (others are kept aside)."""
        out = []
        deadline = time.time() + timeout
        while True:
            msg = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
            if msg["parent_header"].get("msg_id") != msg_id:
                self.stray.append(msg)
                continue
            out.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return out

    def setUp(self):
        self.stray = []

    def execute(self, code, timeout=TIMEOUT):
        """Runs `code`; returns (execute_reply, IOPub messages of the request)."""
        msg_id = self.kc.execute(code)
        reply = self.shell_reply(msg_id, timeout)
        return reply, self.iopub_until_idle(msg_id, timeout)

    def shell_reply(self, msg_id, timeout=TIMEOUT):
        deadline = time.time() + timeout
        while True:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def result_text(self, code, timeout=TIMEOUT):
        """The text/plain execute_result of `code` (asserting the cell succeeded)."""
        reply, msgs = self.execute(code, timeout)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        results = [m for m in msgs if m["msg_type"] == "execute_result"]
        self.assertEqual(len(results), 1, msgs)
        return results[0]["content"]["data"]["text/plain"]

    def drain_iopub(self, seconds):
        """Every IOPub message arriving within `seconds`."""
        out = []
        deadline = time.time() + seconds
        while time.time() < deadline:
            try:
                out.append(self.kc.get_iopub_msg(timeout=max(0.01, deadline - time.time())))
            except queue.Empty:
                break
        return out
