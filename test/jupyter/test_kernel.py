"""jupyter_kernel_test's protocol suite (Debian python3-jupyter-kernel-test) against the
transportlab kernel. Run with JUPYTER_PATH pointing at a prefix holding the kernelspec:

    JUPYTER_PATH=<prefix>/share/jupyter /usr/bin/python3 -m unittest -v test_kernel
"""
import unittest

import jupyter_kernel_test


class TransportlabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "transportlab"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("some error")'
    code_generate_error = 'throw new RangeError("deliberate")'

    completion_samples = [
        {"text": "const zebraCount = 1; zebraC", "matches": {"zebraCount"}},
        {"text": "Math.atan", "matches": {"atan", "atan2", "atanh"}},
    ]
    complete_code_samples = ["1 + 1", "const x = 3;", "function f(a: number) { return a; }"]
    incomplete_code_samples = ["function f(a: number) {", "const y = [1, 2,", "if (true) {"]
    invalid_code_samples = ["const = 5;", "1 +* 2"]

    code_inspect_sample = "Math.max"

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "[1, 2].map((v) => v * 10)", "result": "[ 10, 20 ]"},
        {"code": "'a' + 'b'", "result": "'ab'"},
        {"code": "display.markdown; ({ data: [{ x: [1, 2], y: [3, 4] }], layout: {} })", "mime": "application/vnd.plotly.v1+json"},
    ]
    code_display_data = [
        {"code": 'display.html("<b>bold</b>")', "mime": "text/html"},
        {"code": 'display.markdown("# title")', "mime": "text/markdown"},
        {"code": 'display.json({ a: 1 })', "mime": "application/json"},
        {"code": 'display.png(Buffer.from("89504e470d0a1a0a", "hex"))', "mime": "image/png"},
    ]
    code_clear_output = "display.clear()"
    code_page_something = 'display.page("a long help text")'

    code_history_pattern = "1 +*"
    supported_history_operations = ("tail", "range", "search")


if __name__ == "__main__":
    unittest.main()
