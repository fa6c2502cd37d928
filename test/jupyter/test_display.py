"""Rich display through the kernel: arquero tables as HTML, plotly figures as a MIME bundle with
plotly.js inlined in the first figure only, update by display_id, output of async display calls
in the cell that made them."""
from kernel_helpers import KernelTestCase

PLOTLY = "application/vnd.plotly.v1+json"


class DisplayTests(KernelTestCase):
    def outputs(self, code, msg_type):
        reply, msgs = self.execute(code)
        self.assertEqual(reply["content"]["status"], "ok", reply["content"])
        return [m for m in msgs if m["msg_type"] == msg_type]

    def test_arquero_table_renders_as_html(self):
        [res] = self.outputs("import * as aq from 'arquero'; aq.table({ step: [1, 2, 3], logp: [-1.5, -2.5, -0.5] })", "execute_result")
        data = res["content"]["data"]
        self.assertIn("<table", data["text/html"])
        self.assertIn("<th", data["text/html"])
        self.assertIn("-2.5", data["text/html"])
        self.assertTrue(data["text/plain"].startswith("Table: 3 rows × 2 columns"))

    def test_plotly_figures_inline_plotly_once(self):
        fig = "({ data: [{ type: 'scatter', x: new Float32Array([1, 2, 3]), y: [4, 5, 6] }], layout: { title: { text: 'first' } } })"
        [first] = self.outputs(f"display({fig})", "display_data")
        [second] = self.outputs(fig.replace("first", "second"), "execute_result")
        d1, d2 = first["content"]["data"], second["content"]["data"]
        for d in (d1, d2):
            self.assertEqual(d[PLOTLY]["data"][0]["x"], [1, 2, 3], "typed arrays become JSON arrays")
            self.assertIn("Plotly.newPlot", d["text/html"])
            self.assertIn("Plotly figure", d["text/plain"])
        self.assertGreater(len(d1["text/html"]), 1_000_000, "plotly.js inlined in the first figure")
        self.assertLess(len(d2["text/html"]), 10_000, "later figures reference window.Plotly")
        self.assertEqual(d2["text/plain"], 'Plotly figure "second": 1 trace(s) (scatter)')

    def test_update_by_display_id(self):
        [shown] = self.outputs("const h = display.markdown('**0 %**'); (globalThis as any).h = h;", "display_data")
        display_id = shown["content"]["transient"]["display_id"]
        [upd] = self.outputs("(globalThis as any).h.update(42)", "update_display_data")
        self.assertEqual(upd["content"]["transient"]["display_id"], display_id)
        self.assertEqual(upd["content"]["data"]["text/plain"], "42")
        [upd2] = self.outputs(f"display.update({display_id!r}, 'done')", "update_display_data")
        self.assertEqual(upd2["content"]["transient"]["display_id"], display_id)

    def test_tslab_display_api_works_too(self):
        [out] = self.outputs("import * as tslab from 'tslab'; tslab.display.html('<i>from tslab</i>')", "display_data")
        self.assertEqual(out["content"]["data"]["text/html"], "<i>from tslab</i>")

    def test_png_is_base64(self):
        [out] = self.outputs("display.png(new Uint8Array([137, 80, 78, 71]))", "display_data")
        self.assertEqual(out["content"]["data"]["image/png"], "iVBORw==")

    def test_bad_display_input_is_an_argument_error(self):
        reply, msgs = self.execute("display.png('not bytes' as any)")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "ArgumentError")
        self.assertIn("png: expected PNG bytes", reply["content"]["evalue"])
