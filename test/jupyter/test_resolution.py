"""A notebook outside the package: the kernel runs in an unrelated temporary directory, and
`transportlab`, `transportlab/kernel`, `@tensorflow/tfjs` and `arquero` still resolve in cells,
for type checking and at run time, with no set-up."""
import tempfile

from kernel_helpers import KernelTestCase

_dir = tempfile.TemporaryDirectory(prefix="tl-elsewhere-")


class ResolutionTests(KernelTestCase):
    kernel_cwd = _dir.name

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        _dir.cleanup()

    def test_cells_run_in_the_notebook_directory(self):
        self.assertEqual(self.result_text("process.cwd()"), repr(_dir.name))

    def test_package_and_dependencies_resolve(self):
        code = """
        import { ready, random, tf } from 'transportlab';
        import * as tfjs from '@tensorflow/tfjs';
        import * as aq from 'arquero';
        import { comms, display as d } from 'transportlab/kernel';
        await ready();
        const x: number[] = Array.from(tfjs.tensor([1, 2, 3]).mul(2).dataSync());
        [x, aq.table({ a: [1, 2] }).numRows(), random.key(1) instanceof random.Key, tf === tfjs || tf.version.tfjs === tfjs.version.tfjs, typeof comms.registerTarget, d === display]
        """
        self.assertEqual(self.result_text(code), "[ [ 2, 4, 6 ], 2, true, true, 'function', true ]")

    def test_types_come_from_the_package(self):
        reply, msgs = self.execute("import { random } from 'transportlab'; const k: string = random.key(1);")
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "TypeScriptError")
        self.assertIn("'Key' is not assignable to type 'string'", reply["content"]["evalue"])
