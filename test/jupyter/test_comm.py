"""Comm round trips with a real client (jupyter_client): front-end → kernel comm_open to a
target registered in a cell, messages echoed with and without binary buffers, comm_info,
comm_close both ways, an unknown target, and a kernel-initiated comm_open with buffers."""
import struct
import time
import uuid

from kernel_helpers import KernelTestCase

ECHO_TARGET = """
import { comms } from 'transportlab/kernel';
comms.registerTarget('echo', (comm, open) => {
  comm.send({ opened: open.data, nbuf: open.buffers.length }, { kind: 'open-ack' }, open.buffers);
  comm.onMsg((m) => comm.send({ echo: m.data, sizes: m.buffers.map((b) => b.length) }, {}, m.buffers.map((b) => Buffer.from(b).reverse())));
  comm.onClose((m) => console.log('closed with', JSON.stringify(m.data)));
});
"""


class CommTests(KernelTestCase):
    def send_shell(self, msg_type, content, buffers=None):
        msg = self.kc.session.msg(msg_type, content)
        self.kc.session.send(self.kc.shell_channel.socket, msg, buffers=buffers or [])
        return msg["header"]["msg_id"]

    def comm_msgs(self, msg_id, msg_type):
        return [m for m in self.iopub_until_idle(msg_id) if m["msg_type"] == msg_type]

    def test_front_end_opened_comm_round_trip(self):
        reply, _ = self.execute(ECHO_TARGET)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        comm_id = uuid.uuid4().hex

        # open with data and one buffer: the target answers with what it got
        open_id = self.send_shell("comm_open", {"comm_id": comm_id, "target_name": "echo", "data": {"hello": [1, 2]}}, [b"\x01\x02\x03"])
        [ack] = self.comm_msgs(open_id, "comm_msg")
        self.assertEqual(ack["content"], {"comm_id": comm_id, "data": {"opened": {"hello": [1, 2]}, "nbuf": 1}})
        self.assertEqual(ack["metadata"], {"kind": "open-ack"})
        self.assertEqual([bytes(b) for b in ack["buffers"]], [b"\x01\x02\x03"])

        # a message without buffers
        mid = self.send_shell("comm_msg", {"comm_id": comm_id, "data": {"x": "plain"}})
        [echo] = self.comm_msgs(mid, "comm_msg")
        self.assertEqual(echo["content"]["data"], {"echo": {"x": "plain"}, "sizes": []})
        self.assertEqual(echo["buffers"], [])

        # a message with two binary buffers (all 256 byte values, and float64 data)
        b1 = bytes(range(256)) * 3
        b2 = struct.pack("<4d", 0.5, -1.25, 3e300, float("inf"))
        mid = self.send_shell("comm_msg", {"comm_id": comm_id, "data": {"x": "binary"}}, [b1, b2])
        [echo] = self.comm_msgs(mid, "comm_msg")
        self.assertEqual(echo["content"]["data"], {"echo": {"x": "binary"}, "sizes": [768, 32]})
        self.assertEqual([bytes(b) for b in echo["buffers"]], [b1[::-1], b2[::-1]])

        # comm_info lists it under its target, with the right reply type
        info_id = self.kc.comm_info(target_name="echo")
        info = self.shell_reply(info_id)
        self.assertEqual(info["header"]["msg_type"], "comm_info_reply")
        self.assertEqual(info["content"]["status"], "ok")
        self.assertEqual(info["content"]["comms"].get(comm_id), {"target_name": "echo"})

        # the front-end closes it: the kernel's onClose runs, the comm is gone
        cid = self.send_shell("comm_close", {"comm_id": comm_id, "data": {"bye": True}})
        streams = self.comm_msgs(cid, "stream")
        self.assertIn('closed with {"bye":true}', "".join(m["content"]["text"] for m in streams))
        info = self.shell_reply(self.kc.comm_info())
        self.assertNotIn(comm_id, info["content"]["comms"])

    def test_comm_messages_are_handled_while_a_cell_awaits(self):
        reply, _ = self.execute(ECHO_TARGET.replace("'echo'", "'echo2'"))
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        comm_id = uuid.uuid4().hex
        self.iopub_until_idle(self.send_shell("comm_open", {"comm_id": comm_id, "target_name": "echo2", "data": {}}))
        long_cell = self.kc.execute("await new Promise((r) => setTimeout(r, 3000)); 'slow cell done'")
        t0 = time.time()
        mid = self.send_shell("comm_msg", {"comm_id": comm_id, "data": {"live": True}}, [b"\x05"])
        [echo] = self.comm_msgs(mid, "comm_msg")
        self.assertLess(time.time() - t0, 2.0, "the comm was served during the 3-second cell")
        self.assertEqual(echo["content"]["data"], {"echo": {"live": True}, "sizes": [1]})
        # the echo came back while the cell was still running: its reply is still to come
        first_reply = self.kc.get_shell_msg(timeout=10)
        self.assertEqual(first_reply["parent_header"]["msg_id"], long_cell)
        self.assertEqual(first_reply["content"]["status"], "ok")

    def test_unknown_target_is_closed(self):
        comm_id = uuid.uuid4().hex
        open_id = self.send_shell("comm_open", {"comm_id": comm_id, "target_name": "no.such.target", "data": {}})
        [close] = self.comm_msgs(open_id, "comm_close")
        self.assertEqual(close["content"]["comm_id"], comm_id)

    def test_kernel_opened_comm_with_buffers(self):
        code = """
        import { Comm } from 'transportlab/kernel';
        const fromClient: unknown[] = [];
        const c = new Comm('client.target', { from: 'kernel' }, { v: 1 }, [new Uint8Array([7, 8, 9])]);
        c.onMsg((m) => { fromClient.push({ data: m.data, bytes: m.buffers.map((b) => Array.from(b)) }); });
        c.send({ n: 2 }, {}, [new Float32Array([1.5, -2])]);
        (globalThis as any).kernelComm = c;
        (globalThis as any).fromClient = fromClient;
        c.commId
        """
        msg_id = self.kc.execute(code)
        reply = self.shell_reply(msg_id)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        msgs = self.iopub_until_idle(msg_id)
        [opened] = [m for m in msgs if m["msg_type"] == "comm_open"]
        [sent] = [m for m in msgs if m["msg_type"] == "comm_msg"]
        comm_id = opened["content"]["comm_id"]
        self.assertEqual(opened["content"]["target_name"], "client.target")
        self.assertEqual(opened["content"]["data"], {"from": "kernel"})
        self.assertEqual(opened["metadata"], {"v": 1})
        self.assertEqual([bytes(b) for b in opened["buffers"]], [b"\x07\x08\x09"])
        self.assertEqual(sent["content"], {"comm_id": comm_id, "data": {"n": 2}})
        self.assertEqual(struct.unpack("<2f", bytes(sent["buffers"][0])), (1.5, -2.0))

        # the client answers on that comm, with a buffer
        mid = self.send_shell("comm_msg", {"comm_id": comm_id, "data": {"reply": "ok"}}, [b"\xff\x00"])
        self.iopub_until_idle(mid)
        self.assertEqual(self.result_text("JSON.stringify((globalThis as any).fromClient)"), """'[{"data":{"reply":"ok"},"bytes":[[255,0]]}]'""")

        # the kernel closes it
        msg_id = self.kc.execute("(globalThis as any).kernelComm.close({ done: true })")
        self.shell_reply(msg_id)
        [closed] = [m for m in self.iopub_until_idle(msg_id) if m["msg_type"] == "comm_close"]
        self.assertEqual(closed["content"], {"comm_id": comm_id, "data": {"done": True}})
