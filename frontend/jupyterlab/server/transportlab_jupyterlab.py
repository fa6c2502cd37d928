"""A JupyterLab application assembled from npm packages, served by Debian's jupyterlab_server.

`transportlab lab --ui jupyterlab3|jupyterlab4` (src/cli/frontend.ts) runs
`/usr/bin/python3 -m transportlab_jupyterlab` with TRANSPORTLAB_JUPYTERLAB_APP naming the app
folder (frontend/jupyterlab/v3 or v4). That folder's webpack build puts into `build/`:
  bundle.js (+ chunks)      the JupyterLab front-end (a module federation host)
  schemas/, themes/         the settings schemas and themes of its core extensions
The page (templates/index.html) embeds jupyterlab_server's page config, whose
`federated_extensions` lists the prebuilt labextensions found on the Jupyter path (JUPYTER_PATH
`<prefix>/share/jupyter/labextensions`), e.g. transportlab-widgets; the host loads them.
As in JupyterLab's examples/app (LabServerApp subclass; the module is its own server extension).
"""
import json
import os

from jupyter_server.base.handlers import APIHandler
from jupyterlab_server import LabServerApp
from tornado import web

os.environ.setdefault("JUPYTER_NO_CONFIG", "1")

HERE = os.path.dirname(os.path.abspath(__file__))
APP = os.environ.get("TRANSPORTLAB_JUPYTERLAB_APP")
if not APP or not os.path.isfile(os.path.join(APP, "package.json")):
    raise SystemExit(f"TRANSPORTLAB_JUPYTERLAB_APP must name a JupyterLab app folder with a package.json, got {APP!r}")
BUILD = os.path.join(APP, "build")
STATE = os.environ.get("TRANSPORTLAB_JUPYTERLAB_STATE") or os.path.join(APP, "state")

with open(os.path.join(APP, "package.json")) as f:
    PACKAGE = json.load(f)


class IdentityHandler(APIHandler):
    """`GET /api/me` of jupyter_server 2 (absent in 1.23): the token user, no permissions asked."""

    @web.authenticated
    def get(self):
        user = {"username": "transportlab", "name": "transportlab", "display_name": "transportlab",
                "initials": "TL", "avatar_url": None, "color": None}
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"identity": user, "permissions": {}}))


def _jupyter_server_extension_points():
    return [{"module": __name__, "app": TransportlabJupyterLab}]


class TransportlabJupyterLab(LabServerApp):
    """JupyterLab (the app in TRANSPORTLAB_JUPYTERLAB_APP) at /lab."""

    name = __name__
    extension_url = "/lab"
    default_url = "/lab"
    app_url = "/lab"
    load_other_extensions = False
    app_name = "JupyterLab (transportlab)"
    app_version = PACKAGE.get("version", "")
    static_dir = BUILD
    templates_dir = os.path.join(HERE, "templates")
    app_settings_dir = os.path.join(BUILD, "application_settings")
    schemas_dir = os.path.join(BUILD, "schemas")
    themes_dir = os.path.join(BUILD, "themes")
    user_settings_dir = os.path.join(STATE, "user_settings")
    workspaces_dir = os.path.join(STATE, "workspaces")

    def initialize_handlers(self):
        super().initialize_handlers()
        self.handlers.append(("/api/me", IdentityHandler))  # base_url is prepended by ExtensionApp


main = launch_new_instance = TransportlabJupyterLab.launch_instance

if __name__ == "__main__":
    main()
