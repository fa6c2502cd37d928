"""Runs one cell on a kernel of a running Jupyter server through its websocket (as a browser
front-end does) and prints the text/plain of the execute_result.

usage: ws_execute.py <base url> <token> <kernel id> <code>"""
import json
import sys
import uuid

from tornado.httpclient import HTTPRequest
from tornado.ioloop import IOLoop
from tornado.websocket import websocket_connect


async def main(base, token, kernel_id, code):
    url = base.replace("http", "ws", 1) + f"/api/kernels/{kernel_id}/channels"
    conn = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {token}"}, connect_timeout=30))
    msg_id = uuid.uuid4().hex
    header = {"msg_id": msg_id, "msg_type": "execute_request", "session": uuid.uuid4().hex, "username": "test", "date": "", "version": "5.3"}
    content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
    await conn.write_message(json.dumps({"header": header, "parent_header": {}, "metadata": {}, "content": content, "channel": "shell", "buffers": []}))
    while True:
        raw = await conn.read_message()
        if raw is None:
            raise SystemExit("websocket closed")
        msg = json.loads(raw)
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "execute_result":
            print(msg["content"]["data"]["text/plain"])
        if msg["msg_type"] == "error":
            raise SystemExit(f"{msg['content']['ename']}: {msg['content']['evalue']}")
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return


IOLoop.current().run_sync(lambda: main(*sys.argv[1:5]), timeout=60)
