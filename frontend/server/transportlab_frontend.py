"""jupyter_server extension serving the transportlab notebook front-end.

Loaded by `transportlab lab` (src/cli/frontend.ts) into Debian's jupyter_server 1.23:
  /transportlab/static/<file>        the esbuild bundle (frontend/dist)
  /transportlab/tree/<dir>           the file list
  /transportlab/notebooks/<path>     a notebook
Pages require the server's token (or its login cookie) like every Jupyter page; the page gets
the token in its config so that @jupyterlab/services authenticates API and WebSocket calls.
"""
import json
import os

from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import web

DIST = os.environ.get("TRANSPORTLAB_FRONTEND_DIST") or os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "dist")
KERNEL = os.environ.get("TRANSPORTLAB_KERNEL_NAME", "transportlab")

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>transportlab</title>
<link rel="stylesheet" href="{static}app.css">
<script id="tl-config" type="application/json">{config}</script>
</head><body><div id="tl-header"></div><div id="tl-main"></div>
<script src="{static}app.js"></script></body></html>
"""


class PageHandler(JupyterHandler):
    """The front-end's HTML page, with the server configuration embedded."""

    @web.authenticated
    def get(self, route=""):
        base = self.base_url
        app = url_path_join(base, "transportlab") + "/"
        config = {
            "baseUrl": base,
            "wsUrl": self.settings.get("websocket_url", ""),
            "token": self.token or "",
            "appUrl": app,
            "kernelName": KERNEL,
        }
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.write(PAGE.format(static=app + "static/", config=json.dumps(config).replace("</", "<\\/")))


def _jupyter_server_extension_points():
    return [{"module": "transportlab_frontend"}]


def _load_jupyter_server_extension(serverapp):
    web_app = serverapp.web_app
    base = web_app.settings["base_url"]
    web_app.add_handlers(
        ".*$",
        [
            (url_path_join(base, "transportlab", "static", "(.*)"), web.StaticFileHandler, {"path": DIST}),
            (url_path_join(base, "transportlab") + r"(/.*)?", PageHandler),
        ],
    )
    serverapp.log.info("transportlab front-end at %stransportlab/tree/ (bundle %s)", base, DIST)
