"""Forged messages are never run: an execute_request signed with a wrong key, an unsigned one,
and one whose content was changed after signing are sent as raw ZeroMQ frames on the shell
socket; a correctly signed one sent the same way (the control) runs. A good client then checks
which side effects happened."""
import hashlib
import hmac
import json
import time
import uuid

import zmq

from kernel_helpers import KernelTestCase


def frames(key, code, tamper=False, signature=None):
    header = {"msg_id": uuid.uuid4().hex, "session": uuid.uuid4().hex, "username": "forger", "date": "2026-01-01T00:00:00Z", "msg_type": "execute_request", "version": "5.3"}
    content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
    parts = [json.dumps(p).encode() for p in (header, {}, {}, content)]
    sig = hmac.new(key, b"".join(parts), hashlib.sha256).hexdigest().encode() if key else b""
    if tamper:
        parts[3] = json.dumps({**content, "code": code + "; (globalThis as any).tampered = true"}).encode()
    return [b"<IDS|MSG>", signature if signature is not None else sig, *parts]


class SecurityTests(KernelTestCase):
    def test_forged_messages_are_not_executed(self):
        info = self.km.get_connection_info()
        key = info["key"] if isinstance(info["key"], bytes) else info["key"].encode()
        self.assertTrue(key)
        ctx = zmq.Context.instance()
        sock = ctx.socket(zmq.DEALER)
        sock.setsockopt(zmq.LINGER, 0)
        sock.connect(f"tcp://{info['ip']}:{info['shell_port']}")
        try:
            sock.send_multipart(frames(b"not-the-key", "(globalThis as any).forgedWrongKey = true"))
            sock.send_multipart(frames(None, "(globalThis as any).forgedUnsigned = true"))
            sock.send_multipart(frames(key, "(globalThis as any).forgedTampered = true", tamper=True))
            sock.send_multipart(frames(key, "(globalThis as any).forgedBadHex = true", signature=b"zz" * 32))
            # positive control: the same raw path with the right key does run
            sock.send_multipart(frames(key, "(globalThis as any).signedOk = true"))
            replies = []
            deadline = time.time() + 20
            while time.time() < deadline and not replies:
                if sock.poll(200):
                    replies.append(sock.recv_multipart())
            # exactly one reply (to the good message), none for the forged ones
            time.sleep(0.5)
            while sock.poll(100):
                replies.append(sock.recv_multipart())
            self.assertEqual(len(replies), 1)
            reply_content = json.loads(replies[0][-1])
            self.assertEqual(reply_content["status"], "ok")
        finally:
            sock.close()
        text = self.result_text(
            "JSON.stringify(['forgedWrongKey', 'forgedUnsigned', 'forgedTampered', 'tampered', 'forgedBadHex', 'signedOk'].map((k) => (globalThis as any)[k] ?? null))"
        )
        self.assertEqual(text, "'[null,null,null,null,null,true]'")
        # the kernel is still up and answering
        self.assertEqual(self.result_text("40 + 2"), "42")
